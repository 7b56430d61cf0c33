from o365flow.core.settings import Agency
from o365flow.plan.intake import check_referral, next_reference

AGENCIES = (Agency("DCC", "Dyffryn County Council", "a@council.example.org"),)

GOOD = {
    "kind": "Child Practice Review",
    "subject_initials": "A.B.",
    "referring_agency": "Dyffryn County Council",
    "incident_date": "14/02/2026",
    "protected_6_months": "No",
}


def test_a_good_form_suggests_concise_when_not_protected():
    checked = check_referral(GOOD, AGENCIES)
    assert checked.referral.kind == "CPR" and not checked.problems and not checked.warnings
    assert checked.referral.suggested_decision == "Concise review"
    assert check_referral({**GOOD, "protected_6_months": "Yes"}, AGENCIES).referral.suggested_decision == "Extended review"


def test_missing_required_fields_are_each_named():
    checked = check_referral({"kind": "Something else", "subject_initials": " ", "referring_agency": ""}, AGENCIES)
    assert checked.referral is None
    text = " ".join(checked.problems)
    assert "'Review requested'" in text and "'Subject initials'" in text and "'Referring agency'" in text


def test_a_full_name_in_the_initials_field_is_refused():
    checked = check_referral({**GOOD, "subject_initials": "Jane Smith"}, AGENCIES)
    assert checked.referral is None and "full name" in checked.problems[0]
    assert "Jane" not in checked.problems[0]  # the message never repeats personal data


def test_unknown_agency_and_bad_date_are_warnings_not_errors():
    checked = check_referral({**GOOD, "referring_agency": "A Charity", "incident_date": "last week"}, AGENCIES)
    assert checked.referral is not None and checked.referral.incident_date is None
    assert len(checked.warnings) == 2


def test_references_run_per_kind_and_year_and_are_never_reused():
    taken = {"DRSB-CPR-2026-001", "DRSB-CPR-2026-003", "DRSB-APR-2026-001", "DRSB-CPR-2025-007", "XX-CPR-2026-009"}
    assert next_reference("DRSB", "CPR", 2026, taken) == ("DRSB-CPR-2026-004", 4)
    assert next_reference("DRSB", "APR", 2026, taken) == ("DRSB-APR-2026-002", 2)
    assert next_reference("DRSB", "SUSR", 2027, taken) == ("DRSB-SUSR-2027-001", 1)


import pytest as _pytest


@_pytest.mark.parametrize("typed", ["Ann", "Ian", "JOHN", "MARY", "Si\u00e2n", "Zo\u00eb", "Bo Wu", "A.B.C.D.E.F.", "A1", "a.b.", "A.B.\u202e"])
def test_a_name_typed_as_initials_is_refused_with_the_field_named(typed):
    checked = check_referral({**GOOD, "subject_initials": typed}, AGENCIES)
    assert checked.referral is None
    text = " ".join(checked.problems)
    assert "'Subject initials'" in text and typed not in text


@_pytest.mark.parametrize("typed", ["A.B.", "AB", "A.B.C.", "J-P. D.", "A B", " A.  B. "])
def test_initials_are_accepted(typed):
    checked = check_referral({**GOOD, "subject_initials": typed}, AGENCIES)
    assert checked.referral is not None, checked.problems
