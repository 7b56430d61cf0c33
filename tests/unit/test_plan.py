"""The pure core: plan() over hand-made boards and facts (no disk, no clock)."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from o365flow.mail.base import IncomingMail
from o365flow.core.model import CaseRecord, Referral, SignoffRecord
from o365flow.plan import plan
from o365flow.plan.actions import RecordSignoff, RegisterCase, RenderDocument, SendMail, SetAside, WriteRegister
from o365flow.plan.facts import Board, Facts, FormFact, RegisterFacts
from o365flow.plan.mail import message_id

TZ = ZoneInfo("Europe/London")
REF = "DRSB-CPR-2026-001"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=TZ)


def case(**kw) -> CaseRecord:
    base = CaseRecord(REF, "CPR", 2026, 1, "form.docx", date(2026, 3, 2), Referral("CPR", "A.B.", "Dyffryn Police"))
    return replace(base, **kw)


def test_forms_become_cases_in_path_order(config, workflows):
    fields = {"kind": "CPR", "subject_initials": "A.B.", "referring_agency": "Dyffryn Police"}
    facts = Facts(now=at("2026-03-02T09:00"), forms=(
        FormFact("b.docx", "e2", date(2026, 3, 1), fields),
        FormFact("a.docx", "e1", date(2026, 3, 5), fields),
    ))
    out = plan(config, workflows, Board(), facts)
    regs = [a for a in out.actions if isinstance(a, RegisterCase)]
    assert [(a.case.source, a.ref) for a in regs] == [("a.docx", "DRSB-CPR-2026-001"), ("b.docx", "DRSB-CPR-2026-002")]
    assert regs[0].case.referral_received == date(2026, 3, 2)  # saved "later" than the pass: the pass's day
    assert regs[1].case.referral_received == date(2026, 3, 1)


def test_a_decision_plans_the_folder_and_documents_once(config, workflows):
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10)}
    facts = Facts(now=at("2026-03-11"), register=RegisterFacts(True, {REF: row}))
    board = Board(cases={REF: case()})
    out = plan(config, workflows, board, facts)
    docs = [a for a in out.actions if isinstance(a, RenderDocument)]
    assert len(docs) == len(workflows["cpr"].documents) >= 10
    assert all(a.context["case"]["reference"] == REF for a in docs)
    assert "circumstances" not in docs[0].context["case"]
    done = frozenset(a.key for a in out.actions if a.key)
    again = plan(config, workflows, replace(board, done=done), facts)
    assert not [a for a in again.actions if not isinstance(a, (WriteRegister, SendMail))]


def test_final_report_asks_every_agency_once_and_reminds_before_due(config, workflows):
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
    board = Board(cases={REF: case()}, done=frozenset({f"folder/{REF}"}))
    facts = Facts(now=at("2026-08-03"), register=RegisterFacts(True, {REF: row}))
    requests = [a for a in plan(config, workflows, board, facts).actions if isinstance(a, SendMail) and a.purpose == "request"]
    assert sorted(a.agency for a in requests) == sorted(a.code for a in config.agencies)
    sent = frozenset(a.key for a in requests)
    signoffs = {(REF, a.agency): SignoffRecord(REF, a.agency, requested=date(2026, 8, 3)) for a in requests}
    board = replace(board, done=board.done | sent, signoffs=signoffs)
    quiet = plan(config, workflows, board, replace(facts, now=at("2026-08-20")))
    assert not [a for a in quiet.actions if isinstance(a, SendMail) and a.purpose != "digest"]
    week_before = plan(config, workflows, board, replace(facts, now=at("2026-08-24")))
    reminders = [a for a in week_before.actions if isinstance(a, SendMail) and a.purpose == "reminder"]
    assert len(reminders) == 6 and all(a.in_reply_to for a in reminders)


def _reply(config, agency_code, sender, first_line, **kw):
    mid = message_id(config, f"request/{REF}/{agency_code}", REF)
    base = dict(key="k1", message_id="<r@x>", sender=sender, sender_name="", subject=f"RE: [{REF}] sign-off",
                date=at("2026-08-04T10:00"), in_reply_to=(mid,), references=(), first_line=first_line,
                body_text=first_line, auto_submitted=False, authentication_failed=False)
    base.update(kw)
    return IncomingMail(**base), {mid: (REF, agency_code)}


@pytest.mark.parametrize(
    "sender, first_line, extra, recorded",
    [
        ("jo@council.example.org", "Approved.", {}, True),
        ("jo@council.example.org", "Signed off by the director", {}, True),
        ("jo@council.example.org", "Not approved: see comments", {}, False),
        ("jo@council.example.org", "Approvedish", {}, False),
        ("jo@gmail.example.com", "Approved", {}, False),  # spoofed / wrong domain
        ("jo@council.example.org", "Approved", {"authentication_failed": True}, False),
        ("jo@council.example.org", "Approved", {"auto_submitted": True}, False),
        ("jo@council.example.org", "Approved", {"in_reply_to": (), "subject": "RE: sign-off"}, False),
    ],
)
def test_only_a_genuine_approval_counts(config, workflows, sender, first_line, extra, recorded):
    msg, ids = _reply(config, "DCC", sender, first_line, **extra)
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
    board = Board(cases={REF: case()}, message_ids=ids, signoffs={(REF, "DCC"): SignoffRecord(REF, "DCC", date(2026, 8, 3))})
    out = plan(config, workflows, board, Facts(now=at("2026-08-05"), register=RegisterFacts(True, {REF: row}), messages=(msg,)))
    kinds = [type(a) for a in out.actions if isinstance(a, (RecordSignoff, SetAside))]
    assert kinds == [RecordSignoff if recorded else SetAside]
    if recorded:
        rec = next(a for a in out.actions if isinstance(a, RecordSignoff))
        assert rec.day == date(2026, 8, 4)


def test_token_in_subject_matches_a_reply_without_threading_headers(config, workflows):
    msg, _ = _reply(config, "DCC", "jo@council.example.org", "Approved", in_reply_to=())
    board = Board(cases={REF: case()}, signoffs={(REF, "DCC"): SignoffRecord(REF, "DCC", date(2026, 8, 3))})
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
    out = plan(config, workflows, board, Facts(now=at("2026-08-05"), register=RegisterFacts(True, {REF: row}), messages=(msg,)))
    assert any(isinstance(a, RecordSignoff) and a.agency == "DCC" for a in out.actions)


def test_a_reply_dated_in_the_future_is_dated_the_day_it_was_read(config, workflows):
    msg, ids = _reply(config, "DCC", "jo@council.example.org", "Approved", date=at("2027-01-01"))
    board = Board(cases={REF: case()}, message_ids=ids)
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
    out = plan(config, workflows, board, Facts(now=at("2026-08-05"), register=RegisterFacts(True, {REF: row}), messages=(msg,)))
    assert next(a for a in out.actions if isinstance(a, RecordSignoff)).day == date(2026, 8, 5)


def test_a_person_typed_worker_cell_is_restored_and_reported(config, workflows):
    facts = Facts(now=at("2026-03-03"), register=RegisterFacts(True, {REF: {"Reference": REF, "Stage": "Done!"}}))
    board = Board(cases={REF: case()}, last_written={REF: {"Stage": "Awaiting decision"}})
    write = next(a for a in plan(config, workflows, board, facts).actions if isinstance(a, WriteRegister))
    assert write.cases[0]["Stage"] == "Awaiting decision"
    assert any("Stage" in r for r in write.restored)
