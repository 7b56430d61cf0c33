"""The register opened by a real office suite (LibreOffice, headless), where it is installed."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date

import pytest

from o365flow.columns import CASES_ORDER
from o365flow.register import Link, read_register, update_register

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed"
    ),
]
# Comma, double quote, UTF-8, from line 1, ..., and token 9 "save cell contents as shown": the CSV
# then holds what a person sees in each cell, date format included.
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


def _convert(tmp_path, data: bytes, target: str) -> bytes:
    source = tmp_path / "register.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    # A private profile: parallel runs of soffice would otherwise clash over one.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        check=False,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    (converted,) = out.iterdir()
    return converted.read_bytes()


def _register() -> bytes:
    cases = [
        {
            "Reference": "NWSB-CPR-2026-001",
            "Kind": "CPR",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1",
            "Next deadline": date(2026, 8, 14),
            "RAG": "Green",
            "Folder": Link("NWSB-CPR-2026-001", "../Reviews/NWSB-CPR-2026-001/"),
            "Sign-offs outstanding": 2,
        },
        {
            "Reference": "NWSB-APR-2026-001",
            "Kind": "APR",
            "Referral received": date(2026, 3, 1),
            "Stage": "@SUM(A1)",
            "Final report date": date(2026, 12, 31),
            "Notes": "_x0041_ -x",
        },
    ]
    return update_register(
        None, cases, [{"Reference": "NWSB-CPR-2026-001", "Agency": "NWP"}]
    )


def test_libreoffice_shows_dates_as_dd_mm_yyyy_and_text_as_typed(tmp_path):
    text = _convert(tmp_path, _register(), CSV_AS_SHOWN).decode(
        "utf-8-sig", errors="replace"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CASES_ORDER)
    first, second = (dict(zip(CASES_ORDER, r)) for r in rows[1:3])
    assert first["Referral received"] == "14/02/2026"
    assert first["Next deadline"] == "14/08/2026"
    assert second["Final report date"] == "31/12/2026"
    assert first["Stage"] == "=1+1" and second["Stage"] == "@SUM(A1)"
    assert second["Notes"] == "_x0041_ -x"
    assert first["Folder"] == "NWSB-CPR-2026-001"


def test_libreoffice_renders_the_register_to_pdf(tmp_path):
    pdf = _convert(tmp_path, _register(), "pdf")
    assert pdf.startswith(b"%PDF")


def test_a_register_saved_by_libreoffice_reads_the_same_and_needs_no_rewrite(tmp_path):
    folder = Link(
        "NWSB-CPR-2026-001",
        "https://example.invalid/sites/board/Reviews/NWSB-CPR-2026-001",
    )
    cases = [
        {
            "Reference": "NWSB-CPR-2026-001",
            "Kind": "CPR",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1",
            "Sign-offs outstanding": 2,
            "Folder": folder,
        }
    ]
    signoffs = [
        {"Reference": "NWSB-CPR-2026-001", "Agency": "NWP", "Due": date(2026, 7, 29)}
    ]
    ours = update_register(None, cases, signoffs)
    theirs = _convert(tmp_path, ours, "xlsx:Calc MS Excel 2007 XML")
    assert read_register(theirs) == read_register(ours)
    assert update_register(theirs, cases, signoffs) is None
    grown = update_register(
        theirs, cases + [{"Reference": "NWSB-APR-2026-001", "Kind": "APR"}], []
    )
    assert list(read_register(grown).cases) == [
        "NWSB-CPR-2026-001",
        "NWSB-APR-2026-001",
    ]
