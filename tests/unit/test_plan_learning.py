"""Learning event invitations and the dissemination of learning: each once, updates threaded."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from o365flow.core.model import CaseRecord, Referral
from o365flow.plan import plan
from o365flow.plan.actions import SendMail
from o365flow.plan.facts import Board, Facts, RegisterFacts
from o365flow.plan.learning import ShareFile
from o365flow.core.workflow import ShareRule
from o365flow.configuration.workflows import load_workflows

TZ = ZoneInfo("Europe/London")
REF = "DRSB-MAPF-2026-001"


@pytest.fixture(scope="module")
def workflows():
    flows = load_workflows()
    forum = flows["forum"]
    rule = ShareRule(folder=forum.folders[-1], after="forum_held", what="learning summary")
    return {**flows, "forum": replace(forum, share=rule)}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=TZ)


def board(**kw) -> Board:
    case = CaseRecord(REF, "MAPF", 2026, 1, "form.docx", date(2026, 3, 2), Referral("MAPF", "C.D.", "Dyffryn Police"))
    return Board(cases={REF: case}, done=frozenset({f"folder/{REF}"} | kw.pop("done", set())), **kw)


def mails(out, purpose):
    return [a for a in out.actions if isinstance(a, SendMail) and a.purpose == purpose]


def row(**values):
    return {"Decision": "Forum", "Decision date": date(2026, 3, 10), **values}


def test_an_invitation_per_agency_once_and_an_update_when_the_date_moves(config, workflows):
    facts = Facts(now=at("2026-03-20"), register=RegisterFacts(True, {REF: row(**{"Learning event date": date(2026, 5, 12)})}))
    first = mails(plan(config, workflows, board(), facts), "invitation")
    assert sorted(a.agency for a in first) == sorted(a.code for a in config.agencies)
    inv = first[0]
    assert inv.calendar["sequence"] == 0 and inv.calendar["start"] == "2026-05-12T10:00:00+01:00"
    assert inv.calendar["summary"] == f"Learning event \u2013 {REF}" and "C.D." not in str(inv.calendar)
    sent = {a.key for a in first}
    assert not mails(plan(config, workflows, board(done=sent), facts), "invitation")
    moved = replace(facts, register=RegisterFacts(True, {REF: row(**{"Learning event date": date(2026, 5, 19)})}))
    update = mails(plan(config, workflows, board(done=sent), moved), "invitation")
    assert len(update) == len(config.agencies)
    assert update[0].calendar["uid"] == inv.calendar["uid"] and update[0].calendar["sequence"] == 1
    assert update[0].context["event"]["changed"] is True


def test_no_invitation_for_a_date_already_past(config, workflows):
    facts = Facts(now=at("2026-06-01"), register=RegisterFacts(True, {REF: row(**{"Learning event date": date(2026, 5, 12)})}))
    assert not mails(plan(config, workflows, board(), facts), "invitation")


def test_learning_is_shared_once_with_every_agency_after_the_forum(config, workflows):
    files = (ShareFile(f"{REF}/x/Learning summary.pdf", "Learning summary.pdf"),)
    held = row(**{"Learning event date": date(2026, 5, 12)})
    before = Facts(now=at("2026-05-11"), register=RegisterFacts(True, {REF: held}), shares={REF: files})
    assert not mails(plan(config, workflows, board(), before), "dissemination")
    after = replace(before, now=at("2026-05-20"))
    shared = mails(plan(config, workflows, board(), after), "dissemination")
    assert len(shared) == len(config.agencies)
    dcc = next(a for a in shared if a.agency == "DCC")
    assert dcc.to == ("practice.learning@council.example.org",) and dcc.attach_from == (files[0].path,) and dcc.withhold_markings == ("not for onward circulation",)
    police = next(a for a in shared if a.agency == "POLICE")
    assert police.to == ("public.protection@police.example.org",)  # no list configured: its contact
    again = plan(config, workflows, board(done={a.key for a in shared}), after)
    assert not mails(again, "dissemination")


def test_a_file_that_names_someone_is_not_shared(config, workflows):
    files = (ShareFile(f"{REF}/x/Summary.docx", "Summary.docx", ("'Summary.docx' body paragraph 4: the subject's initials",)),)
    facts = Facts(now=at("2026-05-20"), register=RegisterFacts(True, {REF: row(**{"Learning event date": date(2026, 5, 12)})}),
                  shares={REF: files})
    out = plan(config, workflows, board(), facts)
    assert not mails(out, "dissemination")
    held = [n.text for n in out.notices if "may identify someone" in n.text]
    assert held and "C.D." not in held[0] and "body paragraph 4" in held[0]
