from o365flow.core.filelabel import file_id
"""What gather noticed but may not record itself -- a rejected form gone from the library, an
unreadable message -- is decided by the plan, and which folders gather reads is a pure function
of the board and the register (``o365flow.plan.needs``)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from o365flow.core.model import CaseRecord, Referral
from o365flow.plan import plan
from o365flow.plan.facts import Board, Facts, FormState, RegisterFacts
from o365flow.plan.housekeeping import ForgetForm, RecordUnreadable
from o365flow.plan.needs import final_report_folders, publication_checks_due, ready_to_share, share_folders, signed_dates

TZ = ZoneInfo("Europe/London")
REF = "DRSB-CPR-2026-001"
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=TZ)


def case(ref=REF, kind="CPR", **extra) -> CaseRecord:
    return CaseRecord(ref, kind, 2026, 1, "a.docx", date(2026, 3, 2), Referral(kind, "A.B.", "DCC"), **extra)


def test_a_rejected_form_gone_from_the_library_is_forgotten_and_no_longer_reported(config, workflows):
    board = Board(forms={"bad.docx": FormState("e1", "", ("no kind",)), "other.docx": FormState("e2", "", ("no kind",))})
    out = plan(config, workflows, board, Facts(now=NOW, forms_gone=("bad.docx",)))
    assert [a.path for a in out.actions if isinstance(a, ForgetForm)] == ["bad.docx"]
    texts = " ".join(n.text for n in out.notices)
    # Forms are named by a short id of their path, never by their name (it may name someone).
    assert file_id("other.docx") in texts and file_id("bad.docx") not in texts


def test_an_unreadable_message_is_reported_and_recorded_once(config, workflows):
    line = "inbox/new/x.eml could not be read as a message"
    out = plan(config, workflows, Board(), Facts(now=NOW, unreadable=(line,)))
    recorded = [a for a in out.actions if isinstance(a, RecordUnreadable)]
    assert [a.message_key for a in recorded] == ["bad:" + line]
    assert any(n.text == line and n.failed for n in out.notices)
    assert not [a for a in plan(config, workflows, Board(), Facts(now=NOW)).actions if isinstance(a, RecordUnreadable)]


def test_final_report_folders_only_for_decided_cases_without_a_date(workflows):
    board = Board(cases={REF: case(), "DRSB-CPR-2026-002": case("DRSB-CPR-2026-002", final_report_seen=date(2026, 8, 1))})
    decided = {"Decision": "Concise review", "Decision date": date(2026, 3, 10)}
    register = RegisterFacts(True, {REF: decided, "DRSB-CPR-2026-002": decided})
    assert final_report_folders(workflows, board, register) == {REF: workflows["cpr"].final_report_folder}
    typed = RegisterFacts(True, {REF: {**decided, "Final report date": date(2026, 8, 3)}})
    assert final_report_folders(workflows, board, typed) == {}
    assert final_report_folders(workflows, board, RegisterFacts(True, {REF: {}})) == {}


def test_publication_check_due_only_once_a_published_date_is_typed(workflows):
    board = Board(cases={REF: case()})
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10)}
    assert publication_checks_due(workflows, board, RegisterFacts(True, {REF: row})) == {}
    published = RegisterFacts(True, {REF: {**row, "Published date": date(2026, 10, 1)}})
    assert list(publication_checks_due(workflows, board, published)) == [REF]
    assert publication_checks_due(workflows, Board(cases=board.cases, done=frozenset({f"anon/{REF}"})), published) == {}


def test_share_folders_and_the_stage_they_wait_for(config, workflows):
    board = Board(cases={REF: case()})
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10)}
    folders = share_folders(config, workflows, board, RegisterFacts(True, {REF: row}))
    assert folders == {REF: workflows["cpr"].share.folder}
    # In review: not yet at the stage the workflow shares after.
    assert ready_to_share(config, workflows, board, RegisterFacts(True, {REF: row}), folders, date(2026, 3, 16)) == set()
    done = frozenset({f"anon/{REF}"})
    published = {**row, "Final report date": date(2026, 8, 3), "Published date": date(2026, 10, 1)}
    signed = RegisterFacts(True, {REF: published}, {(REF, a.code): {"Signed off": date(2026, 8, 20)} for a in config.agencies})
    board = Board(cases=board.cases, done=done)
    assert ready_to_share(config, workflows, board, signed, folders, date(2026, 10, 2)) == {REF}
    everyone = frozenset({f"share/{REF}/{a.code}" for a in config.agencies}) | done
    assert share_folders(config, workflows, Board(cases=board.cases, done=everyone), signed) == {}


def test_a_date_a_person_typed_wins_over_the_one_recorded(config):
    from o365flow.core.model import SignoffRecord

    board = Board(signoffs={(REF, "DCC"): SignoffRecord(REF, "DCC", signed_off=date(2026, 8, 4))})
    register = RegisterFacts(True, {}, {(REF, "DCC"): {"Signed off": date(2026, 8, 2)}, (REF, "EDU"): {"Signed off": None}})
    assert signed_dates(board, register) == {(REF, "DCC"): date(2026, 8, 2)}
