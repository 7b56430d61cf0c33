"""Workflow files as configuration of one engine: who signs off, the dates a workflow applies
to, and each deadline as its own clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from o365flow.configuration.workflows import load_workflows
from o365flow.core.model import CaseRecord, Referral
from o365flow.core.workflow import parse_workflow, starts_for_kind
from o365flow.plan.assess import assess
from o365flow.plan.referral import suggestion


@pytest.fixture(scope="module")
def workflows():
    return load_workflows()


def test_susr_is_signed_off_by_the_case_review_group_on_a_local_clock(workflows):
    susr, cpr = workflows["susr"], workflows["cpr"]
    assert susr.signed_by_group and not cpr.signed_by_group
    assert susr.signoff_attach == ("action plan", "final report") and cpr.signoff_attach == ("action plan",)
    assert susr.deadline("signoff").source == "local" and cpr.deadline("signoff").source == "guidance"
    assert [r.decision for r in susr.routes] == ["SUSR"]  # no concise/extended split


def test_a_susr_referral_suggests_a_susr():
    assert Referral("SUSR", "A.B.", "Police", protected_6_months=True).suggested_decision == "SUSR"
    assert Referral("CPR", "A.B.", "Police", protected_6_months=True).suggested_decision == "Extended review"


@pytest.mark.parametrize("kind, received, fits", [
    ("CPR", date(2024, 9, 30), True), ("CPR", date(2024, 10, 1), False), ("APR", date(2026, 3, 1), False),
    ("SUSR", date(2026, 3, 1), True), ("MAPF", date(2026, 3, 1), True),
])
def test_workflows_carry_the_dates_they_apply_to(workflows, kind, received, fits):
    assert starts_for_kind(workflows, kind, received) == (fits, "" if fits else "SUSR")


def test_a_late_cpr_is_flagged_and_susr_suggested(workflows):
    referral = Referral("CPR", "A.B.", "Police", protected_6_months=False)
    assert suggestion(workflows, referral, date(2024, 9, 30)) == ("Concise review", ())
    suggested, flags = suggestion(workflows, referral, date(2026, 3, 2))
    assert suggested == "SUSR"
    assert flags == ("a Child Practice Review referral received 2 March 2026: no new CPR starts since "
                     "1 October 2024; SUSR suggested instead (the Chair decides)",)


@pytest.mark.parametrize("raw, problem", [
    ({"signoff": {"by": "the chair"}}, "signoff.by: 'the chair' must be one of"),
    ({"signoff": {"attach": ["minutes"]}}, "signoff.attach: must be a list of"),
    ({"applies": {"referred_before": "October"}}, "applies.referred_before: 'October' must be a date"),
    ({"applies": {"instead": "SUSR review"}}, "applies.instead: 'SUSR review' must be one of"),
    ({"timelines": {"request_within": "soon"}}, "timelines.request_within: 'soon' is not a period"),
])
def test_bad_keys_are_named(raw, problem):
    base = {"id": "x", "name": "X", "routes": [{"decision": "SUSR"}]}
    problems: list[str] = []
    assert parse_workflow(Path("x.toml"), {**base, **raw}, problems) is None
    assert any(problem in p for p in problems), problems


def _case(kind="SUSR"):
    return CaseRecord(f"DRSB-{kind}-2026-001", kind, 2026, 1, "f.docx", date(2026, 3, 2), Referral(kind, "A.B.", "Police"))


def test_a_hold_stops_only_the_clocks_that_say_so(workflows):
    row = {"Decision": "SUSR", "Decision date": date(2026, 3, 16), "On hold from": date(2026, 5, 1)}
    view = assess(_case(), row, {}, workflows, date(2026, 5, 11))
    assert view.on_hold and view.rag == "Red"
    assert (view.next_deadline, view.next_deadline_is) == (date(2026, 3, 23), "Welsh Government notified")
    assert view.review_due == date(2026, 9, 26)  # 6 months + the 10 days held
    # A running clock due soon is Amber during the hold; a held case with only paused clocks is blank.
    soon = assess(_case(), {**row, "Decision date": date(2026, 5, 6)}, {}, workflows, date(2026, 5, 11))
    assert soon.rag == "Amber" and soon.next_deadline_is == "Welsh Government notified"
    quiet = assess(_case(), {**row, "Welsh Government notified": date(2026, 3, 20)}, {}, workflows, date(2026, 5, 11))
    assert quiet.rag == "" and quiet.next_deadline_is == "Review completed"


@pytest.mark.parametrize("reviewers, said", [
    (None, "has 0 reviewer(s) named and none marked"),
    ("Dr A Reviewer (independent)", "has 1 reviewer(s) named"),
    ("Dr A Reviewer; B Practitioner", "none marked \u201c(independent)\u201d"),
    ("Dr A Reviewer (independent); B Practitioner", None),
])
def test_an_extended_review_needs_two_reviewers_one_independent(workflows, reviewers, said):
    from o365flow.plan.checks import reviewer_checks

    row = {"Decision": "Extended review", "Decision date": date(2026, 3, 10), "Reviewers": reviewers}
    case = _case("CPR")
    view = assess(case, row, {}, workflows, date(2026, 3, 20))
    lines = reviewer_checks(view, row)
    if said is None:
        assert lines == []
    else:
        assert len(lines) == 1 and said in lines[0] and "Dr A" not in lines[0] and "Practitioner" not in lines[0]
    concise = assess(case, {**row, "Decision": "Concise review"}, {}, workflows, date(2026, 3, 20))
    assert reviewer_checks(concise, {**row, "Decision": "Concise review"}) == []


def test_timeline_reminders_are_not_sent_months_late(workflows, tmp_path):
    from o365flow.commands.init import CONFIG
    from o365flow.configuration.loader import load_config
    from o365flow.plan.facts import Board
    from o365flow.plan.timelines import timeline_mail

    path = tmp_path / "o365flow.toml"
    path.write_text(CONFIG)
    config = load_config(path)
    case = _case("CPR")
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10)}
    sent = frozenset(f"timeline-request/{case.reference}/{a.code}" for a in config.agencies)
    board = Board(cases={case.reference: case}, done=sent)
    on_the_day = assess(case, row, {}, workflows, date(2026, 4, 7))
    mails, late = timeline_mail(config, board, on_the_day, workflows["cpr"], ("DCC",), date(2026, 4, 7))
    assert {m.purpose for m in mails} == {"timeline reminder"} and len(mails) == len(config.agencies) - 1
    assert late == []
    months_on = assess(case, row, {}, workflows, date(2026, 8, 3))
    mails, late = timeline_mail(config, board, months_on, workflows["cpr"], ("DCC",), date(2026, 8, 3))
    assert {m.purpose for m in mails} <= {"timeline escalation"}  # a senior contact told, no stale reminder
    assert late == [f"{case.reference}: timeline return outstanding from EDU, POLICE, PROBATION, UHB, WAST (due 07/04/2026)"]
