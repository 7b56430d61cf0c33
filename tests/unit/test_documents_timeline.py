"""Agency timeline returns: reading them as agencies fill them in, and merging them by date."""

from __future__ import annotations

import random
from datetime import date, time

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from o365flow.core.settings import Agency
from o365flow.documents import (
    ReturnEntry,
    TimelineReturn,
    identify_agency,
    merge_timelines,
    read_timeline_return,
    timeline_fingerprint,
)
from o365flow.documents.timeline import parse_time
from o365flow.errors import DocumentError
from tests.helpers import docx_bytes as _save

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADER = ("Date", "Time", "What happened", "Who was involved", "Source record")
AGENCIES = (
    Agency("POLICE", "North Wales Police", "police@example.org"),
    Agency("UHB", "Betsi Cadwaladr University Health Board", "uhb@example.org"),
    Agency("CONWY", "Conwy County Borough Council", "conwy@example.org"),
)


def _return(rows, agency="North Wales Police", header=HEADER):
    """A return shaped like the template: a facts table, then the timeline table."""
    document = docx.Document()
    document.add_heading("Agency timeline return", 0)
    facts = document.add_table(rows=0, cols=2)
    for label, value in [("Reference", "DRSB-CPR-2026-001"), ("Agency", agency), ("Date completed", "")]:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    return document, table


def test_a_return_reads_back_with_dates_and_times_typed_several_ways():
    document, _ = _return([
        ("3/4/26", "14:30", "Call to the house", "PC 1", "Log 123"),
        ("3 April 2026", "2.30pm", "Visit", "SW", "Case note"),
        ("", "", "", "", ""),
        ("2026-04-03", "", "Letter sent", "", "File"),
        ("04/04/2026 09:15", "", "Strategy meeting", "Police, SW", "Minutes"),
    ])
    result = read_timeline_return(_save(document), "Reviews/R/03 Timelines/police.docx")
    assert result == TimelineReturn("Reviews/R/03 Timelines/police.docx", "North Wales Police", (
        ReturnEntry(date(2026, 4, 3), time(14, 30), "Call to the house", "PC 1", "Log 123", 2),
        ReturnEntry(date(2026, 4, 3), time(14, 30), "Visit", "SW", "Case note", 3),
        ReturnEntry(date(2026, 4, 3), None, "Letter sent", "", "File", 5),
        ReturnEntry(date(2026, 4, 4), time(9, 15), "Strategy meeting", "Police, SW", "Minutes", 6),
    ), ())


def test_bad_dates_and_times_are_reported_by_row_without_echoing_the_cell():
    document, _ = _return([
        ("Spring 2026", "", "Mother said something", "", ""),
        ("", "10:00", "No date here", "", ""),
        ("30/02/2026", "", "Impossible", "", ""),
        ("01/03/2026", "teatime", "Kept, untimed", "", ""),
    ])
    result = read_timeline_return(_save(document), "t.docx")
    assert [(e.row, e.time, e.what) for e in result.entries] == [(5, None, "Kept, untimed")]
    assert result.problems == (
        "t.docx, table 2, row 2: the Date is not a date; write it as 14/02/2026, 14 February 2026 or 2026-02-14",
        "t.docx, table 2, row 3: the Date is blank; add the date of the event",
        ("t.docx, table 2, row 4: the Date is not a real date; write it as 14/02/2026, 14 February 2026 or "
         "2026-02-14"),
        "t.docx, table 2, row 5: the Time is not a time; write it as 14:30 or 2.30pm, or leave it blank",
    )
    assert not any(word in " ".join(result.problems) for word in ("Spring", "Mother", "teatime"))


def test_renamed_header_merged_date_and_agency_in_a_content_control():
    header = ("Date of event", "Time", "Details", "People involved", "Source")
    document, table = _return([("5 May 2026", "", "First", "", ""), ("", "", "Second", "", "")],
                              agency="", header=header)
    table.cell(1, 0).merge(table.cell(2, 0))  # one date merged over two events
    control = parse_xml(f"<w:p {W}><w:sdt><w:sdtPr><w:tag w:val='Agency'/></w:sdtPr><w:sdtContent>"
                        "<w:r><w:t>Conwy </w:t></w:r><w:r><w:t>County Borough Council</w:t></w:r>"
                        "</w:sdtContent></w:sdt></w:p>")
    document.element.body.insert(0, control)
    result = read_timeline_return(_save(document), "t.docx")
    assert result.agency == "Conwy County Borough Council"
    assert [(e.date, e.what) for e in result.entries] == [(date(2026, 5, 5), "First"), (date(2026, 5, 5), "Second")]


def test_a_version_table_headed_date_does_not_pass_for_the_timeline():
    document, _ = _return([("1/1/2026", "", "Event", "", "")])
    body = document.element.body
    versions = document.add_table(rows=2, cols=2)
    versions.cell(0, 0).text, versions.cell(0, 1).text = "Version", "Date"
    versions.cell(1, 0).text, versions.cell(1, 1).text = "1", "2/2/2026"
    body.insert(0, versions._tbl)
    assert [e.what for e in read_timeline_return(_save(document), "t.docx").entries] == ["Event"]


def test_a_timeline_table_with_an_agency_column_does_not_pass_for_the_agency_field():
    header = ("Agency", "Date", "Time", "What happened", "Who was involved", "Source record")
    document, _ = _return([("Police", "1/1/2026", "", "Event", "", "")], agency="Powys", header=header)
    result = read_timeline_return(_save(document), "t.docx")
    assert result.agency == "Powys"
    document, _ = _return([("Police", "1/1/2026", "", "Event", "", "")], agency="", header=header)
    assert read_timeline_return(_save(document), "t.docx").agency == ""


_DOCUMENT, _ = _return([("3/4/26", "14:30", "Event", "PC", "Log")])
_RETURN = _save(_DOCUMENT)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(_RETURN) - 1), st.binary(min_size=1, max_size=16))
def test_damaged_returns_raise_only_document_error(position, patch):
    for data in (_RETURN[:position], _RETURN[:position] + patch + _RETURN[position + len(patch):]):
        try:
            read_timeline_return(data, "damaged.docx")
        except DocumentError as error:
            assert str(error).startswith("damaged.docx: ")


def test_no_timeline_table_names_the_file():
    document = docx.Document()
    document.add_paragraph("Our chronology is attached separately.")
    with pytest.raises(DocumentError, match=r"^t\.docx: no table headed Date; "):
        read_timeline_return(_save(document), "t.docx")


@pytest.mark.parametrize("typed, expected", [
    ("14:30", time(14, 30)), ("14.30", time(14, 30)), ("1430", time(14, 30)), ("1430hrs", time(14, 30)),
    ("2.30pm", time(14, 30)), ("2:30 p.m.", time(14, 30)), ("2pm", time(14)), ("12am", time(0)),
    ("12pm", time(12)), ("9am", time(9)), ("noon", time(12)), ("approx 3pm", time(15)),
    ("c. 09:05", time(9, 5)), ("", None), ("  ", None),
])
def test_times_as_typed(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["morning", "25:00", "14", "13pm", "9:75", "after school"])
def test_not_times(typed):
    with pytest.raises(ValueError, match="^the Time is not a time; "):
        parse_time(typed)


def _tr(agency: str, *entries: tuple, source: str = "f.docx") -> TimelineReturn:
    return TimelineReturn(source, agency, tuple(
        ReturnEntry(d, t, what, "", "", row) for row, (d, t, what) in enumerate(entries, start=2)))


@pytest.mark.parametrize("field, filename, expected", [
    ("North Wales Police", "anything.docx", "POLICE"),
    ("north wales police - public protection unit", "x.docx", "POLICE"),
    ("uhb", "x.docx", "UHB"),
    ("", "Reviews/R/03 Timelines/Timeline return - CONWY.docx", "CONWY"),
    ("", "timeline_uhb_v2.docx", "UHB"),
    ("Someone else", "Betsi Cadwaladr University Health Board return.docx", "UHB"),
    ("", "Police and UHB joint.docx", None),
    ("", "timeline return.docx", None),
    ("", "policeman.docx", None),
])
def test_identify_agency(field, filename, expected):
    assert identify_agency(_tr(field), filename, AGENCIES) == expected


D1, D2 = date(2026, 4, 3), date(2026, 4, 4)


def test_an_agency_named_inside_another_agency_name_does_not_count():
    agencies = (Agency("POLICE", "Police", "p@example.org"), Agency("BTP", "British Transport Police", "b@example.org"))
    assert identify_agency(_tr("British Transport Police"), "x.docx", agencies) == "BTP"
    assert identify_agency(_tr(""), "British Transport Police timeline.docx", agencies) == "BTP"
    assert identify_agency(_tr(""), "Police and British Transport Police.docx", agencies) is None


def test_merge_orders_by_date_time_agency_and_return_order():
    police = _tr("Police", (D2, None, "P later"), (D1, time(10), "P ten"), (D1, None, "P untimed"))
    uhb = _tr("UHB", (D1, time(10), "P ten"), (D1, time(9), "U nine"), (D1, None, "U untimed"))
    merged = merge_timelines([("UHB", uhb), ("POLICE", police)])
    assert [(e.agency, e.date, e.time, e.what, e.flag) for e in merged] == [
        ("POLICE", D1, None, "P untimed", ""),
        ("UHB", D1, None, "U untimed", ""),
        ("UHB", D1, time(9), "U nine", ""),
        ("POLICE", D1, time(10), "P ten", ""),  # the same account from two agencies: agreed
        ("UHB", D1, time(10), "P ten", ""),
        ("POLICE", D2, None, "P later", ""),
    ]


def test_different_accounts_of_one_moment_are_flagged_with_codes_only():
    police = _tr("Police", (D1, time(14, 30), "Mother was at home"), (D1, None, "Untimed"))
    uhb = _tr("UHB", (D1, time(14, 30), "Mother was at the clinic"))
    conwy = _tr("Conwy", (D1, time(14, 30), "mother was at the clinic."), (D1, None, "Other untimed"))
    merged = merge_timelines([("POLICE", police), ("UHB", uhb), ("CONWY", conwy)])
    flags = {(e.agency, e.what): e.flag for e in merged}
    assert flags[("POLICE", "Mother was at home")] == "Accounts differ: CONWY, POLICE, UHB"
    assert flags[("UHB", "Mother was at the clinic")] == "Accounts differ: CONWY, POLICE, UHB"
    # No time, no flag: a date alone is not the same moment.
    assert flags[("POLICE", "Untimed")] == "" and flags[("CONWY", "Other untimed")] == ""


def test_one_agency_giving_two_accounts_of_one_moment_is_flagged():
    police = _tr("Police", (D1, time(9), "Door answered"), (D1, time(9), "No answer at the door"))
    merged = merge_timelines([("POLICE", police)])
    assert [e.flag for e in merged] == ["Accounts differ: POLICE"] * 2


def test_the_same_entry_twice_from_one_agency_appears_once():
    police = _tr("Police", (D1, time(9), "Visit"), (D1, time(9), "Visit"))
    assert [e.what for e in merge_timelines([("POLICE", police), ("POLICE", police)])] == ["Visit"]


def test_fingerprint_is_stable_and_changes_with_the_merge():
    police = _tr("Police", (D1, time(9), "Visit"))
    first = merge_timelines([("POLICE", police)])
    assert timeline_fingerprint(first) == timeline_fingerprint(merge_timelines([("POLICE", police)]))
    assert len(timeline_fingerprint(first)) == 64
    changed = merge_timelines([("POLICE", _tr("Police", (D1, time(9), "Visit."),))])
    assert timeline_fingerprint(changed) != timeline_fingerprint(first)
    assert timeline_fingerprint([]) == timeline_fingerprint([])


def test_merged_returns_read_from_documents():
    one, _ = _return([("3/4/26", "14:30", "Police attended", "PC", "Log 1")], agency="POLICE")
    two, _ = _return([("03/04/2026", "2.30pm", "Seen in clinic", "Nurse", "Record 2"),
                      ("2 April 2026", "", "Referral", "", "")], agency="uhb")
    returns = [read_timeline_return(_save(doc), name) for doc, name in ((one, "p.docx"), (two, "u.docx"))]
    pairs = [(identify_agency(r, r.source, AGENCIES), r) for r in returns]
    merged = merge_timelines(pairs)
    assert [(e.agency, e.date, e.time, e.what, e.who, e.source, e.flag) for e in merged] == [
        ("UHB", date(2026, 4, 2), None, "Referral", "", "", ""),
        ("POLICE", D1, time(14, 30), "Police attended", "PC", "Log 1", "Accounts differ: POLICE, UHB"),
        ("UHB", D1, time(14, 30), "Seen in clinic", "Nurse", "Record 2", "Accounts differ: POLICE, UHB"),
    ]


# -- properties ---------------------------------------------------------------------------------

_entries = st.tuples(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 1, 4)),
    st.one_of(st.none(), st.sampled_from([time(9), time(9, 30), time(14)])),
    st.sampled_from(["Visit", "visit.", "Call", "Letter", "No answer", ""]),
    st.sampled_from(["", "SW", "PC"]),
    st.sampled_from(["", "Log 1", "File"]),
)
_returns = st.lists(
    st.tuples(st.sampled_from(["POLICE", "UHB", "CONWY"]), st.sampled_from(["a.docx", "b.docx"]),
              st.lists(_entries, max_size=6)),
    max_size=5,
)


def _build(spec) -> list[tuple[str, TimelineReturn]]:
    return [(code, TimelineReturn(source, code, tuple(ReturnEntry(d, t, what, who, src, row)
                                                      for row, (d, t, what, who, src) in enumerate(entries, 2))))
            for code, source, entries in spec]


@settings(max_examples=300, deadline=None)
@given(_returns, st.randoms(use_true_random=False))
def test_merge_is_deterministic_whatever_the_order_of_returns(spec, rnd):
    returns = _build(spec)
    merged = merge_timelines(returns)
    shuffled = list(returns)
    rnd.shuffle(shuffled)
    assert merge_timelines(shuffled) == merged
    assert timeline_fingerprint(merge_timelines(shuffled)) == timeline_fingerprint(merged)


@settings(max_examples=300, deadline=None)
@given(_returns)
def test_merge_is_idempotent(spec):
    returns = _build(spec)
    merged = merge_timelines(returns)
    # Merging again, or with every return given twice (a pass that reads a file twice), changes nothing.
    assert merge_timelines(returns) == merged
    assert merge_timelines(returns + returns) == merged
    # Merging the merged timeline's own entries back in, per agency, changes nothing either.
    again = [(code, TimelineReturn("merged", code, tuple(
        ReturnEntry(e.date, e.time, e.what, e.who, e.source, i) for i, e in enumerate(merged) if e.agency == code)))
        for code in sorted({e.agency for e in merged})]
    assert merge_timelines(again) == merged


@settings(max_examples=300, deadline=None)
@given(_returns)
def test_merge_is_sorted_and_flags_name_only_agency_codes(spec):
    merged = merge_timelines(_build(spec))
    keys = [(e.date, e.time is not None, e.time or time(0), e.agency) for e in merged]
    assert keys == sorted(keys)
    for entry in merged:
        if entry.flag:
            codes = entry.flag.removeprefix("Accounts differ: ").split(", ")
            assert set(codes) <= {"POLICE", "UHB", "CONWY"} and codes == sorted(codes)


def test_shuffling_a_large_set_of_returns_gives_the_same_merge():
    rnd = random.Random(4)
    returns = [(code, TimelineReturn(f"{code}.docx", code, tuple(
        ReturnEntry(date(2026, 1, rnd.randint(1, 28)), rnd.choice([None, time(rnd.randint(0, 23))]),
                    f"event {i}", "", "", i) for i in range(200)))) for code in ("POLICE", "UHB", "CONWY")]
    expected = merge_timelines(returns)
    for _ in range(5):
        rnd.shuffle(returns)
        assert merge_timelines(returns) == expected
