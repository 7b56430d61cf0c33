"""Busy passes on the 1,000-case board of ``pass_bench.py``, beside the naive way and bare openpyxl.

    python benchmarks/busy_bench.py [CASES] [--forms N]

Each figure is CPU seconds of the whole process (user + system), the median of 5 runs, each run in
a new process as a scheduler starts it, with its ratio to the floor measured in the same run:

- one changed cell: a coordinator types a note in one row (saved with openpyxl, as a person's
  save changes the file), then a pass;
- one new referral: a referral form saved in ``Referrals``, then a pass (registers the case and
  appends its row);
- one reply: an agency's "Approved" to its sign-off request in the inbox, then a pass;
- the naive baseline: list every folder of the site and load and save the register with
  openpyxl, what a worker without caches, change queries or cell patches pays every pass;
- bare openpyxl: load and save the same register, nothing else;
- the first pass over ``--forms`` new referral forms (default 1,000) on a new board: per form,
  with the functions that dominate (cProfile).

Results are written down in benchmarks/README.md.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import shutil
import statistics
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.pass_bench import NOW, built, floor, measured  # noqa: E402
from benchmarks.synth import sample_form  # noqa: E402

RUNS = 5
_NAIVE = (
    "import os, sys, openpyxl; "
    "[None for _ in os.walk(sys.argv[1])]; "
    "wb = openpyxl.load_workbook(sys.argv[2]); wb.save(sys.argv[3])"
)
_BARE = "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[2])"


def _median(label: str, runs: list[float], base: float) -> None:
    cpu = statistics.median(runs)
    print(f"  {label:34} {cpu:6.3f} s CPU ({cpu / base:4.1f}x floor)   min {min(runs):.3f}  max {max(runs):.3f}")


def busy(cases: int, base: float) -> None:
    config_path = built(cases, True)
    root = config_path.parent
    py = [sys.executable, "-m", "o365flow", "--quiet", "--config", str(config_path)]
    cpu, rss, _ = measured(py + ["run", "--now", NOW])
    print(f"\n{cases} cases: first pass {cpu:.2f} s CPU, {rss:.0f} MB (settles the board)")
    quiet = [measured(py + ["run", "--now", NOW])[0] for _ in range(RUNS)]
    _median("quiet pass", quiet, base)

    from o365flow.configuration.loader import load_config
    from o365flow.plan.mail import message_id
    from o365flow.worker.state import State
    import openpyxl

    config = load_config(config_path)
    register = config.site_path / config.register_library / config.register_path

    cell = []
    for k in range(RUNS):
        wb = openpyxl.load_workbook(register)
        ws = wb["Cases"]
        header = [c.value for c in ws[1]]
        ws.cell(row=2 + k, column=header.index("Notes") + 1, value=f"Chair asked for an update ({k})")
        wb.save(register)
        cell.append(measured(py + ["run", "--now", NOW])[0])
    _median("one changed cell", cell, base)

    form = sample_form()
    referral = []
    for k in range(RUNS):
        (config.site_path / config.referrals_library / f"Referral new {k}.docx").write_bytes(form)
        referral.append(measured(py + ["run", "--now", NOW])[0])
    _median("one new referral", referral, base)

    with State(config.state_dir, readonly=True) as state:
        open_requests = [
            (ref, code) for (ref, code), s in sorted(state.board().signoffs.items()) if s.requested and not s.signed_off
        ]
    contacts = {a.code: a.contact for a in config.agencies}
    reply = []
    for k, (ref, code) in enumerate(open_requests[:RUNS]):
        msg = EmailMessage()
        msg["From"] = contacts[code]
        msg["To"] = config.mail.sender
        msg["Subject"] = f"RE: [{ref}] Action plan sign-off"
        msg["Message-ID"] = f"<bench-{k}@agency.example.org>"
        request = message_id(config, f"request/{ref}/{code}", ref)
        msg["In-Reply-To"] = msg["References"] = request
        msg["Date"] = "Fri, 27 Nov 2026 09:00:00 +0000"
        msg.set_content("Approved\n\nRegards\n")
        inbox = root / "mail" / "inbox" / "new"
        inbox.mkdir(parents=True, exist_ok=True)
        (inbox / f"bench-{k}.eml").write_bytes(msg.as_bytes())
        reply.append(measured(py + ["run", "--now", NOW])[0])
    if reply:
        _median("one reply (a sign-off)", reply, base)

    out = Path(tempfile.mkdtemp()) / "register.xlsx"
    naive = [
        measured([sys.executable, "-c", _NAIVE, str(config.site_path), str(register), str(out)])[0] for _ in range(RUNS)
    ]
    _median("naive: walk every folder, openpyxl", naive, base)
    bare = [measured([sys.executable, "-c", _BARE, str(register), str(out)])[0] for _ in range(RUNS)]
    _median("bare openpyxl load + save", bare, base)


def first_pass(forms: int, base: float) -> None:
    """The first pass over ``forms`` new referral forms on a new board, per form, and its profile."""
    from o365flow.commands.init import CONFIG, init_board

    root = HERE / ".work" / f"forms-{forms}"
    shutil.rmtree(root, ignore_errors=True)
    init_board(root)
    (root / "o365flow.toml").write_text(CONFIG)
    form = sample_form()
    referrals = root / "site" / "Referrals"
    for old in referrals.glob("*.docx"):
        old.unlink()
    for i in range(forms):
        (referrals / f"Referral {i:05d}.docx").write_bytes(form)
    py = [sys.executable, "-m", "o365flow", "--quiet", "--config", str(root / "o365flow.toml")]
    cpu, rss, _ = measured(py + ["run", "--now", NOW])
    print(
        f"\nfirst pass over {forms} new referral forms: {cpu:.1f} s CPU ({cpu / forms * 1000:.1f} ms a form), "
        f"peak {rss:.0f} MB"
    )
    # Where it goes: the same pass again on a fresh copy, under the profiler.
    again = root.with_name(root.name + "-profiled")
    shutil.rmtree(again, ignore_errors=True)
    init_board(again)
    (again / "o365flow.toml").write_text(CONFIG)
    for old in (again / "site" / "Referrals").glob("*.docx"):
        old.unlink()
    for i in range(forms):
        (again / "site" / "Referrals" / f"Referral {i:05d}.docx").write_bytes(form)
    from o365flow.cli import cli

    profile = cProfile.Profile()
    profile.enable()
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            cli.main(["--quiet", "--config", str(again / "o365flow.toml"), "run", "--now", NOW], standalone_mode=False)
    finally:
        profile.disable()
    text = io.StringIO()
    stats = pstats.Stats(profile, stream=text).sort_stats("cumulative")
    stats.print_stats(r"o365flow/(documents|register|worker|plan|storage|mail)/", 14)
    print("\n".join(line for line in text.getvalue().splitlines() if "/o365flow/" in line))


def main() -> None:
    argv = sys.argv[1:]
    forms = 1000
    if "--forms" in argv:
        at = argv.index("--forms")
        forms = int(argv[at + 1])
        del argv[at : at + 2]
    cases = int(argv[0]) if argv else 1000
    f_cpu, _ = floor()
    print(f"floor (python -c 'import openpyxl, click'): {f_cpu:.3f} s CPU")
    busy(cases, f_cpu)
    first_pass(forms, f_cpu)


if __name__ == "__main__":
    main()
