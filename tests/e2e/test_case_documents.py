"""What people save in a case folder, read back by the worker: agencies' timeline returns merged
into the summary timeline, the action plan into the register, and learning shared."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import docx

CPR = "DRSB-CPR-2026-001"
MAPF = "DRSB-MAPF-2026-001"
TIMELINES = f"{CPR}/03 Agency timelines"


def timeline_return(agency: str, rows) -> bytes:
    doc = docx.Document()
    facts = doc.add_table(rows=0, cols=2)
    for label, value in (("Reference", CPR), ("Agency", agency)):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Date", "Time", "What happened", "Who was involved", "Source record")):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def fill_action_plan(template: bytes, rows) -> bytes:
    """Fill the generated action plan's table as a panel would, adding rows as needed."""
    doc = docx.Document(BytesIO(template))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == "Recommendation")
    for i, values in enumerate(rows, start=1):
        row = table.rows[i] if i < len(table.rows) else table.add_row()
        for cell, text in zip(row.cells, values):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def texts(data: bytes) -> str:
    doc = docx.Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def decided(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11")


def test_timeline_returns_are_merged_into_the_summary_and_shown_in_the_register(board):
    decided(board)
    board.save_file("Reviews", f"{TIMELINES}/POLICE timeline.docx", timeline_return("Dyffryn Police", [
        ("14/02/2026", "10:30", "Officers attended the home", "PC 123", "Log 45"),
        ("3 January 2026", "", "Referral received from school", "Duty sergeant", "Log 12"),
    ]))
    board.save_file("Reviews", f"{TIMELINES}/Health return.docx", timeline_return("UHB", [
        ("2026-02-14", "10:30", "Health visitor home visit", "HV", "Record 7"),
    ]))
    board.run("2026-03-20")
    summary = board.read_file("Reviews", f"{TIMELINES}/{CPR} Summary timeline.docx")
    text = texts(summary)
    assert text.index("Referral received from school") < text.index("Officers attended the home")
    assert "Accounts differ: POLICE, UHB" in text
    assert board.case(CPR)["Timelines returned"] == "POLICE, UHB"

    # Nothing changed: nothing is made again (later the same day, so no new digest either).
    before = board.snapshot()
    board.run("2026-03-20T16:00")
    assert board.snapshot() == before

    # A return corrected: the summary is made again.
    board.save_file("Reviews", f"{TIMELINES}/Health return.docx", timeline_return("UHB", [
        ("2026-02-14", "10:30", "Officers attended the home", "HV", "Record 7"),
    ]))
    board.run("2026-03-22")
    text = texts(board.read_file("Reviews", f"{TIMELINES}/{CPR} Summary timeline.docx"))
    assert "Health visitor home visit" not in text and "Accounts differ" not in text


def test_the_action_plan_fills_the_actions_sheet_and_overdue_actions_reach_the_digest(board):
    decided(board)
    path = f"{CPR}/08 Action plan/{CPR} Action plan (draft).docx"
    plan = fill_action_plan(board.read_file("Reviews", path), [
        ("1. Share information at strategy meetings", "Audit attendance", "Dyffryn Police", "DI Jones", "31/03/2026", "Amber", ""),
        ("", "Refresh training", "DCC", "Training lead", "March 2027", "Not started", ""),
        ("2. Escalation policy", "=HYPERLINK(\"x\")", "UHB", "", "2026-03-01", "Complete", "Policy v2"),
    ])
    board.save_file("Reviews", path, plan)
    board.run("2026-04-02")
    actions = [r for r in board.rows("Actions") if r["Reference"] == CPR]
    assert [(r["Item"], r["Lead agency"]) for r in actions] == [(1, "Dyffryn Police"), (2, "DCC"), (3, "UHB")]
    assert actions[1]["Recommendation"] == "1. Share information at strategy meetings"  # merged down
    assert actions[2]["Action"] == "=HYPERLINK(\"x\")"  # stored as text, not a formula
    assert actions[0]["Target date"].date() == date(2026, 3, 31)
    digest = board.outbox()[-1].get_body(("plain",)).get_content()
    assert f"{CPR}: action 1 (Dyffryn Police) had a target date of 31 March 2026" in digest
    assert "action 3" not in digest  # complete
    audit = board.rows("Audit")
    assert any(r["Reference"] == CPR and r["What"] == "folder created" for r in audit)


def test_learning_event_invitation_carries_a_calendar_event(board):
    board.run("2026-03-02")
    board.set_case(MAPF, Decision="Forum", Decision_date=date(2026, 3, 10), Learning_event_date=date(2026, 4, 21))
    board.run("2026-03-11")
    invites = [m for m in board.outbox() if "learning event" in str(m["Subject"]).lower()]
    assert len(invites) == 6
    parts = [p for p in invites[0].walk() if p.get_content_type() == "text/calendar"]
    ics = parts[0].get_payload(decode=True).decode()
    assert "METHOD:REQUEST" in ics and "DTSTART;TZID=Europe/London:20260421T100000" in ics.replace("\r\n ", "")
    assert f"Learning event \u2013 {MAPF}" in ics.replace("\r\n ", "")
    board.set_case(MAPF, Learning_event_date=date(2026, 4, 28))
    board.run("2026-03-12")
    updates = [m for m in board.outbox() if str(m["Subject"]).startswith(f"[{MAPF}] Changed:")]
    assert len(updates) == 6
    ics2 = [p for p in updates[0].walk() if p.get_content_type() == "text/calendar"][0].get_payload(decode=True).decode()
    assert "SEQUENCE:1" in ics2


def test_the_learning_summary_is_shared_once_after_the_forum(board):
    board.run("2026-03-02")
    board.set_case(MAPF, Decision="Forum", Decision_date=date(2026, 3, 10), Learning_event_date=date(2026, 4, 21))
    board.run("2026-03-11")
    board.save_file("Reviews", f"{MAPF}/05 Ready to share/{MAPF} Learning summary.pdf", b"%PDF-1.4 learning")
    board.run("2026-04-20")
    assert not [m for m in board.outbox() if "Learning to share" in str(m["Subject"])]
    board.run("2026-04-22")
    shared = [m for m in board.outbox() if "Learning to share" in str(m["Subject"])]
    assert len(shared) == 6
    dcc = next(m for m in shared if "practice.learning@council.example.org" in str(m["To"]))
    attached = [p for p in dcc.iter_attachments()]
    assert attached[0].get_filename() == f"{MAPF} Learning summary.pdf"
    assert attached[0].get_payload(decode=True) == b"%PDF-1.4 learning"
    board.run("2026-04-23")
    assert len([m for m in board.outbox() if "Learning to share" in str(m["Subject"])]) == 6


def test_named_agencies_sign_off_when_the_board_says_so(board):
    config = board.root / "o365flow.toml"
    config.write_text(config.read_text().replace('agencies = "all"', 'agencies = "named"', 1))
    decided(board)
    path = f"{CPR}/08 Action plan/{CPR} Action plan (draft).docx"
    board.save_file("Reviews", path, fill_action_plan(board.read_file("Reviews", path), [
        ("1. Information sharing", "Audit attendance", "Dyffryn Police", "", "31/12/2026", "", ""),
        ("", "Refresh guidance", "UHB and Dyffryn Police", "", "31/12/2026", "", ""),
    ]))
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    asked = sorted(str(m["To"]) for m in board.outbox() if "sign-off requested" in str(m["Subject"]))
    assert asked == ["public.protection@police.example.org", "safeguarding.team@health.example.org"]
    status = board.cli("status", "--now", "2026-08-03", "--json")
    case = next(c for c in json.loads(status.output) if c["reference"] == CPR)
    assert sorted(case["signoffs"]) == ["POLICE", "UHB"]
