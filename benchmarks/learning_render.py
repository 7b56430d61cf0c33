"""Render what a board reads about its learning and its day at 1, 20 and 500 cases, to look at:
the quarterly report (Word, then PDF and page images), the register's Learning sheet, and the
daily digest (text and HTML), on synthetic boards (``synth.py``) with themes tagged on cases and
a few action plans read into the register.

    python benchmarks/learning_render.py OUT [1 20 500]

Writes OUT/<n>/report.docx, digest.txt, digest.html and times each step (printed).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from benchmarks.synth import build  # noqa: E402

NOW = "2026-11-30"


def tag(config_path: Path, n: int, seed: int = 3) -> None:
    """Themes on every case, and three actions for one review in four, as a coordinator would."""
    from o365flow.configuration.loader import load_config

    rnd = random.Random(seed)
    cfg = load_config(config_path)
    register = cfg.site_path / cfg.register_library / cfg.register_path
    wb = openpyxl.load_workbook(register)
    ws = wb["Cases"]
    head = [c.value for c in ws[1]]
    col = head.index("Themes") + 1
    refs = []
    for row in range(2, ws.max_row + 1):
        ref = ws.cell(row, 1).value
        if ref:
            refs.append(ref)
            ws.cell(row, col).value = "; ".join(rnd.sample(cfg.themes, rnd.randint(1, 3)))
    wa = wb["Actions"]
    ah = [c.value for c in wa[1]]
    r = 2
    codes = [a.code for a in cfg.agencies]
    for ref in refs[::4] or refs:
        for item in (1, 2, 3):
            values = {"Reference": ref, "Item": item, "Recommendation": f"Recommendation {1 + item // 2}",
                      "Action": "Agreed action", "Lead agency": rnd.choice(codes),
                      "Target date": datetime(2026, rnd.randint(1, 12), 15),
                      "Progress": rnd.choice(("Complete", "On track", "Not started")),
                      "Theme": rnd.choice(cfg.themes)}
            for k, v in values.items():
                wa.cell(r, ah.index(k) + 1).value = v
            r += 1
    wa.tables["Actions"].ref = f"A1:{openpyxl.utils.get_column_letter(len(ah))}{max(2, r - 1)}"
    wb.save(register)


def digest(config_path: Path, out: Path) -> None:
    from o365flow.configuration.loader import load_config
    from o365flow.mail.render import render_mail
    from o365flow.worker.run import dry_run
    from o365flow.worker.services import open_services

    cfg = load_config(config_path)
    # The next morning: the digest tells what the pass of NOW did, and what is due.
    now = (datetime.fromisoformat(NOW + "T07:00") + timedelta(days=1)).replace(tzinfo=ZoneInfo(cfg.timezone))
    svc = open_services(cfg, clock=lambda: now)
    the_plan = dry_run(svc, now)
    mail = next(a for a in the_plan.actions if getattr(a, "purpose", "") == "digest")
    subject, text, html = render_mail("digest", mail.context, svc.mail_template_dirs())
    (out / "digest.txt").write_text(f"Subject: {subject}\n\n{text}")
    (out / "digest.html").write_text(html)


def main() -> None:
    base = Path(sys.argv[1]).resolve()
    sizes = [int(x) for x in sys.argv[2:]] or [1, 20, 500]
    for n in sizes:
        out = base / str(n)
        board = out / "board"
        t = time.perf_counter()
        config = build(board, cases=n, folders=False)  # no documents needed to look at the report
        tag(config, n)
        built = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "o365flow", "--config", str(config), "run", "--now", NOW + "T06:00"],
                       check=False, capture_output=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        passed = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "o365flow", "--config", str(config), "report", "--quarter", "2026Q3",
                        "--now", NOW, "-o", str(out / "report.docx")], check=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "MPLCONFIGDIR": str(out / ".mpl")})
        reported = time.perf_counter() - t
        (board / "state" / "state.sqlite").exists()
        digest(config, out)
        print(f"{n} cases: board {built:.1f}s, pass {passed:.1f}s, report {reported:.1f}s")


if __name__ == "__main__":
    main()
