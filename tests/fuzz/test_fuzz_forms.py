"""Referral forms: any field values, any bytes. A bad form is rejected with its problems named;
a good one beside it is still registered."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from o365flow.documents.referral import REFERRAL_LABELS, fill_referral_form, read_referral_fields
from o365flow.errors import DocumentError
from o365flow.plan import plan
from o365flow.plan.actions import RegisterCase, RejectForm
from o365flow.plan.facts import Board, Facts, FormFact
from o365flow.plan.intake import check_referral
from o365flow.data import shipped
from tests.fuzz.conftest import GOOD_FORM, NOW, TODAY, text

fields = st.dictionaries(st.sampled_from(sorted(REFERRAL_LABELS)), text, max_size=8)


@given(fields)
def test_any_fields_are_checked_without_a_traceback(config, raw):
    checked = check_referral(raw, config.agencies)
    assert (checked.referral is None) == bool(checked.problems)
    for line in (*checked.problems, *checked.warnings):
        assert line.isprintable(), line  # one line, nothing that turns text around
    initials = " ".join(raw.get("subject_initials", "").split())
    for line in checked.problems:
        if line.startswith("'Subject initials'") and len(initials) > 3:
            assert initials not in line  # a name typed as initials is never repeated


@given(st.lists(fields, max_size=4))
def test_bad_forms_never_stop_the_good_one(config, workflows, forms):
    facts = Facts(now=NOW, forms=(
        FormFact("good.docx", "e0", TODAY, dict(GOOD_FORM)),
        *(FormFact(f"form{i}.docx", f"e{i}", TODAY, f) for i, f in enumerate(forms, start=1)),
    ))
    out = plan(config, workflows, Board(), facts)
    registered = {a.case.source for a in out.actions if isinstance(a, RegisterCase)}
    rejected = {a.path for a in out.actions if isinstance(a, RejectForm)}
    assert "good.docx" in registered
    assert registered | rejected == {f.path for f in facts.forms}
    for a in out.actions:
        if isinstance(a, RejectForm):
            assert a.problems and all(p.strip() for p in a.problems)


_FORM = fill_referral_form((shipped("templates") / "referral-form.docx").read_bytes(), GOOD_FORM) \
    if (shipped("templates") / "referral-form.docx").is_file() else None


@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=16))
def test_damaged_form_bytes_are_a_named_document_problem(position, patch):
    data = _FORM if _FORM is not None else b"PK\x03\x04"
    for damaged in (data[:position], data[:position] + patch + data[position + len(patch):]):
        try:
            read_referral_fields(damaged, "a file in Referrals (id 00000000)")
        except DocumentError as exc:
            assert str(exc).startswith("a file in Referrals (id 00000000): ")


@given(st.binary(max_size=200))
def test_any_bytes_are_a_named_document_problem(data):
    try:
        read_referral_fields(data, "form")
    except DocumentError as exc:
        assert str(exc).startswith("form: ")
