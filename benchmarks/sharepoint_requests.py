"""Count the requests a pass sends to Microsoft 365, on the test suite's stand-in (real client
libraries, real HTTPS on loopback), for the demo board:

1. the first pass (four referral forms registered, the register made);
2. the pass after a Child Practice Review is decided (its case folder, ten subfolders, the
   documents, the panel-only restriction);
3. the pass after it (which reads back what the last one wrote and sends the first reminders);
4. a pass with nothing to do;

each a new ``Services`` as the scheduler's new process would have, with the board's mail in the
outbox, then again with the mailbox in Exchange Online.

    python benchmarks/sharepoint_requests.py

Results are written down in benchmarks/README.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.helpers import Board  # noqa: E402
from tests.m365.server import M365  # noqa: E402
from tests.m365.tls import make_pki  # noqa: E402

CPR = "DRSB-CPR-2026-001"
WRITES = {"PUT", "POST", "PATCH", "DELETE"}


def _count(m365) -> dict:
    log, inner = list(m365.log), list(getattr(m365, "batched", []))
    every = log + inner
    sign_in = [r for r in log if "/oauth2/" in r.path or "openid-configuration" in r.path]
    folders = [r for r in every if r.method == "POST" and r.path.endswith("/children")]
    return {
        "requests": len(log),
        "sign-in": len(sign_in),
        "discovery": sum(1 for r in log if r.path.startswith("/v1.0/sites/")),
        "writes": sum(1 for r in log if r.method in WRITES and r not in sign_in),
        "folder creations": len(folders),
        "of which 409": sum(1 for r in folders if r.status == 409),
        "$batch": sum(1 for r in log if r.path.endswith("$batch")),
        "kinds": Counter(f"{r.method} {'delta' if 'delta' in r.path else r.path.rsplit('/', 1)[-1][:24]}" for r in log),
    }


def run(mail_in_exchange: bool, pki, folder: Path) -> list[tuple[str, dict]]:
    m365 = M365(pki).start()
    for name in ("Referrals", "Reviews", "Register"):
        m365.add_library(name)
    try:
        board = Board(folder / ("board-exchange" if mail_in_exchange else "board"), m365=m365)
        from o365flow.cli import cli

        assert board.runner.invoke(cli, ["init", str(board.root), "--demo"]).exit_code == 0
        board.use_sharepoint()
        if mail_in_exchange:
            config = board.root / "o365flow.toml"
            text = config.read_text(encoding="utf-8")
            mailbox = 'mailbox = "safeguarding.board@board.example.org"'
            config.write_text(text.replace('backend = "outbox"', f'backend = "graph"\n{mailbox}', 1), encoding="utf-8")
        rows = []
        for label, step in (
            ("first pass", lambda: None),
            ("case decided", lambda: board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))),
            ("the pass after", lambda: None),
            ("no-op", lambda: None),
        ):
            step()
            m365.log.clear()
            getattr(m365, "batched", []).clear()
            board.run("2026-03-16")
            rows.append((label, _count(m365)))
        return rows
    finally:
        m365.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        _table(make_pki(Path(scratch) / "pki"), Path(scratch))


def _table(pki, folder: Path) -> None:
    print("| pass | mail | requests | sign-in | discovery | writes | folder creations (409) | $batch |")
    print("|---|---|---|---|---|---|---|---|")
    for exchange in (False, True):
        for label, c in run(exchange, pki, folder):
            print(
                f"| {label} | {'Exchange' if exchange else 'outbox'} | {c['requests']} | {c['sign-in']} | "
                f"{c['discovery']} | {c['writes']} | {c['folder creations']} ({c['of which 409']}) | {c['$batch']} |"
            )
            if label == "no-op":
                print("|  | requests: " + ", ".join(f"{k} ×{n}" for k, n in sorted(c["kinds"].items())) + " | | | | | | |")


if __name__ == "__main__":
    main()
