"""The register as LibreOffice shows and prints it: no cell's text cut off, each sheet at most
its number of pages wide, the header row on every page.

Row heights are checked against LibreOffice's own: LibreOffice opens the workbook and sizes each
row to its wrapped text ("optimal height"), and no row o365flow wrote may be shorter than that. Each way of writing is checked: a new register (the
openpyxl rewrite), changed cells and appended rows (the XML patch). Skipped where LibreOffice or
the Calibri-metric font Carlito is not installed (without it the text is set in a wider font).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from o365flow.register import Link, update_register

SOFFICE = shutil.which("soffice")


def _has_carlito() -> bool:
    fc = shutil.which("fc-match")
    if fc is None:
        return False
    found = subprocess.run([fc, "Calibri"], capture_output=True, text=True, check=False).stdout
    return "Carlito" in found or "Calibri" in found


pytestmark = pytest.mark.skipif(
    SOFFICE is None or not _has_carlito(), reason="needs LibreOffice (soffice) and the Carlito font"
)

AGENCIES = ("DCC", "EDU", "POLICE", "PROBATION", "UHB", "WAST")
LONG = (
    "The chair asked for the review to wait until the criminal trial ends; the family were told "
    "by letter and agreed; revisit in the spring"
)


def _cases(n: int, *, long: bool = False) -> list[dict]:
    rows = []
    for i in range(n):
        ref = f"DRSB-CPR-2026-{i + 1:03d}"
        rows.append(
            {
                "Reference": ref,
                "Kind": ("CPR", "APR", "SUSR", "MAPF")[i % 4],
                "Subject initials": "AB",
                "Referring agency": "Dyfryn County Council Social Services",
                "Referral received": date(2026, 3, 2),
                "Stage": ("Awaiting decision", "In review", "Action plan sign-off")[i % 3],
                "Review due": date(2026, 9, 17),
                "Action plan sign-off due": date(2026, 8, 31),
                "Sign-offs outstanding": ", ".join(AGENCIES[: 1 + i % 6]),
                "Next deadline": date(2026, 8, 31),
                "Next deadline is": "Action plan sign-off by every agency" + (" and the board" if long else ""),
                "RAG": ("Red", "Amber", "Green")[i % 3],
                "Folder": Link(ref, f"https://example.org/Reviews/{ref}"),
                "Last updated": date(2026, 8, 24),
            }
        )
    return rows


def _signoffs(n: int) -> list[dict]:
    return [
        {
            "Reference": f"DRSB-CPR-2026-{i + 1:03d}",
            "Agency": code,
            "Agency name": "Welsh Ambulance Services NHS Trust" if code == "WAST" else f"Dyfryn {code}",
            "Requested": date(2026, 8, 3),
            "Due": date(2026, 8, 31),
            "Signed off": date(2026, 8, 4) if code == "DCC" else None,
            "Signed off by": "Sam Evans <sam.evans@council.example.org>" if code == "DCC" else None,
            "How": "Email reply" if code == "DCC" else None,
        }
        for i in range(n)
        for code in AGENCIES
    ]


def _audit(n: int, when: datetime) -> list[dict]:
    return [
        {
            "When": when,
            "Reference": f"DRSB-CPR-2026-{i % 3 + 1:03d}",
            "What": "final report date 2026-08-03 recorded" if i % 2 else "sign-off request sent to PROBATION",
            "Why": LONG if i % 3 == 0 else "the final report is dated; sign-offs are due 28 days later",
        }
        for i in range(n)
    ]


def _register() -> bytes:
    """A register written both ways: made new, then changed and added to by the patch."""
    data = update_register(
        None, _cases(6), _signoffs(2), audit=_audit(6, datetime(2026, 8, 3, 8)), agencies=AGENCIES,
        board="Dyfryn Regional Safeguarding Board",
    )
    changed = _cases(8, long=True)
    changed[0]["Sign-offs outstanding"] = ", ".join(AGENCIES) + ", PROBATION SERVICE IN WALES"
    again = update_register(data, changed, _signoffs(3), audit=_audit(5, datetime(2026, 8, 4, 8)), agencies=AGENCIES)
    assert again is not None
    return again


def _soffice(src: Path, fmt: str, out: Path) -> Path:
    profile = out / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out), str(src)],
        capture_output=True, check=True, timeout=240,
    )
    return out / (src.stem + "." + fmt.split(":")[0])


# Run by the system's Python, which has LibreOffice's UNO bridge: open the workbook, and for
# each row read the height o365flow gave it, then let LibreOffice fit the row to its wrapped
# text and read that height (both in 1/100 mm).
UNO_SCRIPT = r"""
import json, os, subprocess, sys, time, uno
src, profile, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
pipe = "o365flow_%d" % os.getpid()
proc = subprocess.Popen(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                         "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (hidden,))
    out = {}
    for sheet in doc.Sheets:
        have, need = [], []
        for i in range(min(limit, sheet.Rows.Count)):
            row = sheet.Rows.getByIndex(i)
            have.append(row.Height)
            row.OptimalHeight = True
            need.append(row.Height)
        out[sheet.Name] = [have, need]
    doc.close(True)
    print(json.dumps(out))
finally:
    proc.terminate()
"""
SYSTEM_PYTHON = "/usr/bin/python3"


def _uno() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _uno(), reason="needs LibreOffice's Python bridge (python3-uno) for the system Python")
def test_no_row_is_shorter_than_libreoffice_needs_for_its_wrapped_text(tmp_path):
    (tmp_path / "register.xlsx").write_bytes(_register())
    result = subprocess.run(
        [SYSTEM_PYTHON, "-c", UNO_SCRIPT, str(tmp_path / "register.xlsx"), str(tmp_path / "profile"), "60"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    heights = json.loads(result.stdout)
    one_line = 500  # 1/100 mm: LibreOffice's optimal height for one line of 11-point text is 4.9 mm
    wrapped = 0
    for sheet in ("Cases", "Sign-offs", "Actions", "Audit"):
        have, need = heights[sheet]
        for number, (kept, fits) in enumerate(zip(have, need), start=1):
            wrapped += fits > one_line and number > 1
            assert kept >= fits - 20, f"{sheet} row {number}: {kept / 100:.1f} mm high, its text needs {fits / 100:.1f} mm"
    assert wrapped >= 10  # rows of wrapped text were there to check


def test_each_sheet_prints_at_most_its_pages_wide_with_the_header_on_every_page(tmp_path):
    (tmp_path / "register.xlsx").write_bytes(_register())
    pdf = _soffice(tmp_path / "register.xlsx", "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    # The sheet's last column, and how many pages wide the sheet may print.
    sheets = {"Cases": ("updated", 3), "Sign-offs": ("How", 1), "Actions": ("outcome", 1), "Audit": ("Why", 1)}
    for sheet, (last, wide) in sheets.items():
        mine = [p for p in pages if f"Safeguarding Board: {sheet}" in p]
        assert mine, f"no printed page of {sheet}"
        assert all("Reference" in p for p in mine)  # the header row (and Reference) on every page
        assert all("Printed" in p and "Page" in p for p in mine)  # the footer
        ending = sum(last in p for p in mine)
        assert ending * wide >= len(mine), f"{sheet}: {len(mine)} pages, {ending} with its last column"
