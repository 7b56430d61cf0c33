"""The board's figures for a period (``plan.boardfigures``): what the report, status and the
Learning sheet count, worked out by hand for a few cases."""

from __future__ import annotations

from datetime import date

import pytest

from o365flow.configuration.workflows import load_workflows
from o365flow.core.model import CaseView, Stage
from o365flow.plan.boardfigures import (
    Period,
    board_figures,
    case_themes,
    hold_category,
    parse_quarter,
    unknown_themes,
)

THEMES = ("Neglect", "Self-neglect", "Information sharing")
Q3 = parse_quarter("2026Q3")


def view(ref, kind="CPR", stage=Stage.IN_REVIEW, received=date(2026, 7, 1), decision=None, decided=None,
         review_due=None, final=None, signoff_due=None, signoffs=None, on_hold=False, workflow="cpr"):
    return CaseView(ref, kind, stage, on_hold, workflow, decision, decided, received, review_due, final, signoff_due,
                    signoffs or {})


def test_quarters_and_periods():
    assert (Q3.start, Q3.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_quarter("2026q4").end == date(2026, 12, 31)
    assert Q3.label == "2026 Q3 (July to September 2026)"
    assert Period(date(2026, 7, 2), date(2026, 8, 1)).label == "2 July 2026 to 1 August 2026"
    with pytest.raises(ValueError, match="2026Q3"):
        parse_quarter("2026Q5")


def test_themes_are_matched_whole_ignoring_case_and_spaces():
    assert case_themes("self-neglect; information  SHARING", THEMES) == ("Self-neglect", "Information sharing")
    assert case_themes("Neglectful", THEMES) == ()
    assert unknown_themes("Neglect, housing", THEMES) == ["housing"]


def test_hold_reasons_are_counted_by_kind_never_as_typed():
    assert hold_category("Awaiting the trial of a named person") == "Criminal proceedings"
    assert hold_category("Coroner's inquest") == "Inquest"
    assert hold_category("") == "Not recorded"
    assert hold_category("family illness") == "Another reason (see the register)"


def test_referrals_decisions_timeliness_and_actions():
    views = [
        # Referred and decided in the quarter, within 15 working days (1 July + 15 wd = 22 July).
        view("A", decision="Concise review", decided=date(2026, 7, 20)),
        # Decided late: 2 July + 15 working days = 23 July.
        view("B", received=date(2026, 7, 2), decision="Extended review", decided=date(2026, 8, 20)),
        # Report in the quarter, on time; signed off in the quarter, late.
        view("C", received=date(2026, 1, 5), decided=date(2026, 1, 20), decision="Concise review",
             review_due=date(2026, 7, 20), final=date(2026, 7, 10), signoff_due=date(2026, 8, 7),
             signoffs={"DCC": date(2026, 8, 1), "POL": date(2026, 8, 9)}, stage=Stage.SIGNED_OFF),
        view("D", kind="MAPF", received=date(2025, 12, 1), stage=Stage.CLOSED, workflow="forum"),
    ]
    rows = {"A": {"Themes": "Neglect", "On hold from": date(2026, 8, 1), "Hold reason": "Inquest"},
            "B": {"Themes": "neglect; self-neglect"}, "D": {"Themes": "Information sharing"}}
    actions = [
        {"Reference": "C", "Recommendation": "R1", "Lead agency": "DCC", "Progress": "Complete", "Theme": "Neglect"},
        {"Reference": "C", "Recommendation": "R1", "Lead agency": "POL", "Target date": date(2026, 9, 1), "Theme": "Neglect"},
        {"Reference": "C", "Recommendation": "R2", "Lead agency": "POL", "Target date": date(2026, 12, 1), "Theme": ""},
    ]
    shared = [("D", "DCC", date(2026, 8, 3)), ("D", "POL", date(2026, 6, 30))]
    f = board_figures(views, rows, actions, shared, THEMES, Q3, date(2026, 10, 1), load_workflows())
    assert f.referrals == {"CPR": 2}
    assert f.decisions == {"Concise review": 1, "Extended review": 1}
    assert (f.decision_in_time.within, f.decision_in_time.total) == (1, 2)
    assert (f.review_in_time.within, f.review_in_time.total, f.review_in_time.percent) == (1, 1, 100)
    assert (f.signoff_in_time.within, f.signoff_in_time.total) == (0, 1)
    assert f.open_by_stage == {"In review": {"CPR": 2}, "Signed off": {"CPR": 1}}
    assert f.holds == {"Inquest": 1}
    assert f.actions == {"DCC": {"open": 0, "complete": 1, "overdue": 0}, "POL": {"open": 1, "complete": 0, "overdue": 1}}
    assert f.themes_cases == {"Neglect": 2, "Self-neglect": 1, "Information sharing": 0}
    assert f.themes_by_year["Information sharing"] == {2025: 1}
    assert f.themes_by_kind["Neglect"]["CPR"] == 2
    assert f.themes_recommendations == {"Neglect": 1, "Self-neglect": 0, "Information sharing": 0}
    assert f.actions_by_theme["Neglect"] == {"DCC": 1, "POL": 1}
    assert f.shared == [("D", "DCC", date(2026, 8, 3))]
