"""Reminder and escalation policy, and what the coordinator is told about a non-approval."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from o365flow.configuration.loader import load_config
from o365flow.mail.base import IncomingMail
from o365flow.core.model import CaseRecord, Referral, SignoffRecord
from o365flow.plan import plan
from o365flow.plan.actions import SendMail, SetAside
from o365flow.plan.facts import Board, Facts, RegisterFacts
from o365flow.plan.mail import message_id
from o365flow.commands.init import CONFIG

from tests.helpers import board_config

TZ = ZoneInfo("Europe/London")
REF = "DRSB-CPR-2026-001"
ROW = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
DUE = date(2026, 8, 31)  # final report + 28 days


config_with = board_config


@pytest.fixture
def config(tmp_path):
    return config_with(tmp_path, "days_after = []", "days_after = [3]")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=TZ)


def board_after_requests(config, **signoff) -> Board:
    case = CaseRecord(REF, "CPR", 2026, 1, "form.docx", date(2026, 3, 2), Referral("CPR", "A.B.", "Dyffryn Police"))
    codes = [a.code for a in config.agencies]
    done = {f"folder/{REF}"} | {f"request/{REF}/{c}" for c in codes}
    signoffs = {(REF, c): SignoffRecord(REF, c, requested=date(2026, 8, 3), **signoff) for c in codes}
    ids = {message_id(config, f"request/{REF}/{c}", REF): (REF, c) for c in codes}
    return Board(cases={REF: case}, done=frozenset(done), signoffs=signoffs, message_ids=ids)


def mails(out, purpose):
    return [a for a in out.actions if isinstance(a, SendMail) and a.purpose == purpose]


def test_a_reminder_after_the_due_date_when_configured_and_threaded(config, workflows):
    board = board_after_requests(config, last_reminder=DUE)
    out = plan(config, workflows, board, Facts(now=at("2026-09-03"), register=RegisterFacts(True, {REF: ROW})))
    after = mails(out, "reminder")
    assert len(after) == len(config.agencies)
    assert all(a.in_reply_to == message_id(config, f"request/{REF}/{a.agency}", REF) for a in after)
    assert all(a.context["days_left"] == -3 for a in after)
    # Once it is recorded, the next day brings no other.
    board = replace(board, signoffs={k: replace(v, last_reminder=date(2026, 9, 3)) for k, v in board.signoffs.items()})
    out = plan(config, workflows, board, Facts(now=at("2026-09-04"), register=RegisterFacts(True, {REF: ROW})))
    assert not mails(out, "reminder")


def test_no_reminder_after_the_due_date_by_default(tmp_path, workflows):
    config = load_config((tmp_path / "c.toml", (tmp_path / "c.toml").write_text(CONFIG))[0])
    board = board_after_requests(config, last_reminder=DUE)
    out = plan(config, workflows, board, Facts(now=at("2026-09-03"), register=RegisterFacts(True, {REF: ROW})))
    assert not mails(out, "reminder")


def test_escalation_goes_once_to_the_senior_contact_after_n_days(config, workflows):
    board = board_after_requests(config, last_reminder=date(2026, 9, 3))
    before = plan(config, workflows, board, Facts(now=at("2026-09-13"), register=RegisterFacts(True, {REF: ROW})))
    assert not mails(before, "escalation")  # 13 days overdue; the default is 14
    out = plan(config, workflows, board, Facts(now=at("2026-09-14"), register=RegisterFacts(True, {REF: ROW})))
    escalations = mails(out, "escalation")
    # Only DCC has a senior contact in the sample configuration.
    assert [(a.agency, a.to) for a in escalations] == [
        ("DCC", ("head.of.safeguarding@council.example.org", "safeguarding.reviews@council.example.org"))
    ]
    assert escalations[0].template == "signoff-escalation" and escalations[0].context["days_overdue"] == 14
    digest = mails(out, "digest")[0]
    items = [i for s in digest.context["digest"]["sections"] for i in s["items"]]
    assert any("DCC is 14 days overdue; its senior contact has been told" in i for i in items)
    again = plan(config, workflows, replace(board, done=board.done | {escalations[0].key}),
                 Facts(now=at("2026-09-20"), register=RegisterFacts(True, {REF: ROW})))
    assert not mails(again, "escalation")


def test_escalation_off_with_zero(tmp_path, workflows):
    config = config_with(tmp_path, "escalate_after_days = 14", "escalate_after_days = 0")
    board = board_after_requests(config)
    out = plan(config, workflows, board, Facts(now=at("2026-12-01"), register=RegisterFacts(True, {REF: ROW})))
    assert not mails(out, "escalation")


@pytest.mark.parametrize("bad", ["days_after = [0]", "days_after = \"3\"", "escalate_after_days = -1"])
def test_bad_policy_is_named(tmp_path, bad):
    key = bad.split(" =")[0]
    old = "days_after = []" if key == "days_after" else "escalate_after_days = 14"
    with pytest.raises(Exception) as info:
        config_with(tmp_path, old, bad)
    assert f"reminders.{key}" in " ".join(getattr(info.value, "problems", [])) + str(info.value)


def test_a_non_approval_is_not_quoted_the_coordinator_is_told_where_it_is(config, workflows):
    board = board_after_requests(config)
    mid = message_id(config, f"request/{REF}/POLICE", REF)
    msg = IncomingMail(
        key="k1", message_id="<r@x>", sender="public.protection@police.example.org", sender_name="",
        subject=f"RE: [{REF}] sign-off for Zebediah", date=at("2026-08-10T10:00"), in_reply_to=(mid,), references=(),
        first_line="Not approved yet.",
        body_text="Not approved yet.\nThe report still names Zebediah Quaxworth and his mother Petronella for a.b.",
        auto_submitted=False, authentication_failed=False,
    )
    out = plan(config, workflows, board, Facts(now=at("2026-08-10"), register=RegisterFacts(True, {REF: ROW}), messages=(msg,)))
    aside = next(a for a in out.actions if isinstance(a, SetAside))
    for word in ("Zebediah", "Quaxworth", "Petronella", "a.b", "Not approved yet"):
        assert word.lower() not in aside.note.lower(), word
    assert "POLICE" in aside.note and "10 August 2026" in aside.note and "inbox" in aside.note
    digest = mails(out, "digest")[0]
    items = " ".join(i for s in digest.context["digest"]["sections"] for i in s["items"])
    assert "10 August 2026" in items and "Zebediah" not in items and "Petronella" not in items
