"""Agency timeline (chronology) returns: reading each agency's table, and merging them by date.

Each agency fills in a return whose table is headed Date | Time | What happened | Who was
involved | Source record. ``merge_timelines`` puts every agency's entries in one order, the same
whatever order the returns come in, and marks the moments where accounts differ for the panel.
Problems never echo what a cell says: a timeline is about a person.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from o365flow.core.parsing import DATE_FORMATS_HINT, parse_date
from o365flow.documents.ooxml import open_body, row_cells, showing_placeholder, visible_text, w
from o365flow.documents.referral import PLACEHOLDER_TEXTS
from o365flow.documents.tables import Column, label_key, table_in

COLUMNS = (
    Column("date", "Date", ("Date of event", "Event date", "Date of contact", "Date of incident", "When",
                            "Dyddiad", "Dyddiad y digwyddiad")),
    Column("time", "Time", ("Time of event", "Time of contact", "Amser"), required=False),
    Column("what", "What happened", ("Event", "Events", "Event details", "Details", "Description",
                                     "Summary", "What happened and what was done", "Details of event",
                                     "Description of event", "Contact details", "Summary of event",
                                     "Beth ddigwyddodd", "Digwyddiad", "Manylion"),
           required=False),
    Column("who", "Who was involved", ("Who", "People involved", "Persons involved", "Who was present",
                                       "Practitioners involved", "Involved", "Pwy oedd yn rhan", "Pwy"),
           required=False),
    Column("source", "Source record", ("Source", "Source of information", "Record", "Records",
                                       "Record reference", "Source document", "Where recorded",
                                       "Cofnod ffynhonnell", "Ffynhonnell", "Cofnod"),
           required=False),
)
_AGENCY_LABELS = {"agency", "agency name", "name of agency", "organisation", "organisation name",
                  "lead agency", "returning agency", "asiantaeth", "enw r asiantaeth", "sefydliad"}


@dataclass(frozen=True)
class ReturnEntry:
    """One event as an agency recorded it; ``row`` is its row in the return's table."""

    date: date
    time: time | None
    what: str
    who: str
    source: str
    row: int


@dataclass(frozen=True)
class TimelineReturn:
    """An agency's return: the agency as written on it ("" if not filled in), its entries in
    table order, and one line per problem (file, table row, the fix)."""

    source: str
    agency: str
    entries: tuple[ReturnEntry, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of the merged summary timeline. ``flag`` is "" or a short note for the panel,
    e.g. "Accounts differ: POLICE, UHB" (agency codes only, never names)."""

    agency: str
    date: date
    time: time | None
    what: str
    who: str
    source: str
    flag: str = ""


def read_timeline_return(data: bytes, source: str) -> TimelineReturn:
    """The return in ``data`` (a ``.docx``). The agency comes from a content control tagged
    ``agency`` or a table row labelled "Agency". An entry needs a date (UK forms, see
    ``parse_date``); a time is optional ("14:30", "2.30pm", "noon"). A row with no date, or a date
    or time that cannot be read, is reported (the row's time alone: the entry is kept untimed).
    Raises ``DocumentError`` naming ``source`` when the file is unreadable or has no table
    headed Date (with at least one of Time, What happened, Who was involved, Source record)."""
    body = open_body(data, source)
    table = table_in(body, source, COLUMNS)
    where = f"{source}, table {table.index}"
    problems = []
    if len(table.columns) < 2:
        problems.append(f"{where}: only the Date column was found; head the columns Date, Time, "
                        "What happened, Who was involved, Source record as in the template")
    entries = []
    for row in table.rows:
        values = row.values
        text = values["date"]
        try:
            when, clock_in_date = _date_and_time(text)
        except ValueError as error:
            problems.append(f"{where}, row {row.row}: {error}")
            continue
        clock = clock_in_date
        if values["time"]:
            try:
                clock = parse_time(values["time"])
            except ValueError as error:
                problems.append(f"{where}, row {row.row}: {error}")
                clock = clock_in_date
        entries.append(ReturnEntry(when, clock, values["what"], values["who"], values["source"], row.row))
    return TimelineReturn(source, _agency(body), tuple(entries), tuple(problems))


_TIME_IN_DATE = re.compile(r"^(.*?)[\s,]+(?:at\s+)?(\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)$")


def _date_and_time(text: str) -> tuple[date, time | None]:
    plain = " ".join(text.split())
    if not plain:
        raise ValueError("the Date is blank; add the date of the event")
    try:
        return parse_date(plain), None
    except ValueError as error:
        if m := _TIME_IN_DATE.match(plain.lower()):
            try:
                return parse_date(m[1]), parse_time(m[2])
            except ValueError:
                pass
        real = "real " if "real date" in str(error) else ""
        raise ValueError(f"the Date is not a {real}date; {DATE_FORMATS_HINT}") from None


_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:hrs|hours|h)?\s*([ap])?\.?\s*(?:m\.?)?$")
_APPROX = re.compile(r"^(?:approx(?:imately)?\.?|about|around|circa|c\.|~)\s*")
_NAMED = {"noon": time(12), "midday": time(12), "midnight": time(0)}


def parse_time(text: str) -> time | None:
    """A time as people type it: "14:30", "14.30", "1430", "2.30pm", "2pm", "noon", "approx 3pm";
    blank is None. Raises ``ValueError`` with the fix otherwise (never echoing the text)."""
    plain = _APPROX.sub("", " ".join(text.lower().split()))
    if not plain:
        return None
    if plain in _NAMED:
        return _NAMED[plain]
    if m := re.fullmatch(r"(\d{2})(\d{2})\s*(hrs|hours|h)?", plain):  # 24-hour "1430"
        plain = f"{m[1]}:{m[2]}"
    m = _CLOCK.match(plain)
    if m:
        hour, minute, half = int(m[1]), int(m[2] or 0), m[3]
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half or (m[2] is None and not half):
            hour = -1  # "13pm", or a bare number: not a time anyone can rely on
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    raise ValueError("the Time is not a time; write it as 14:30 or 2.30pm, or leave it blank")


def _agency(body) -> str:
    for sdt in body.iter(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        if tag is not None and (tag.get(w("val")) or "").strip().lower() == "agency":
            content = sdt.find(w("sdtContent"))
            text = "" if showing_placeholder(sdt) or content is None else visible_text(content)
            if text and text.lower() not in PLACEHOLDER_TEXTS:
                return " ".join(text.split())
    for row in body.iter(w("tr")):
        cells = row_cells(row)
        if len(cells) >= 2 and label_key(visible_text(cells[0])) in _AGENCY_LABELS:
            text = visible_text(cells[1])
            if any(column.matches(text) for column in COLUMNS):
                continue  # a header row whose first column is headed Agency, not the field
            if text and text.lower() not in PLACEHOLDER_TEXTS:
                return " ".join(text.split())
    return ""


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split()) + " "


def identify_agency(timeline_return: TimelineReturn, filename: str, agencies: Iterable) -> str | None:
    """The code of the agency a return is from: the one its Agency field names (code or name, any
    case, as whole words), else the one named in ``filename``; None when neither names exactly
    one. ``agencies`` are objects with ``.code`` and ``.name`` (``config.Agency``)."""
    agencies = tuple(agencies)
    for text in (timeline_return.agency, re.sub(r"\.docx?$", "", filename.rsplit("/", 1)[-1], flags=re.IGNORECASE)):
        code = _the_one_named(_words(text), agencies)
        if code:
            return code
    return None


def _the_one_named(words: str, agencies: tuple) -> str | None:
    if not words.strip():
        return None
    for agency in agencies:  # the whole field is one agency's code or name
        if words in (_words(agency.code), _words(agency.name)):
            return agency.code
    # Otherwise the agency named somewhere in it, a match inside a longer one not counting
    # ("Police" inside "British Transport Police"); two agencies named is no answer.
    spans = []
    for agency in agencies:
        for part in {_words(agency.code), _words(agency.name)}:
            start = words.find(part) if part.strip() else -1
            while start >= 0:
                spans.append((start, start + len(part), agency.code))
                start = words.find(part, start + 1)
    named = {code for start, end, code in spans
             if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)}
    return named.pop() if len(named) == 1 else None


def _account(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def merge_timelines(returns: Sequence[tuple[str, TimelineReturn]]) -> list[TimelineEntry]:
    """Every entry of every (agency code, return), in date order, then time (untimed first), then
    agency, then the return's own order. The result depends only on the entries given: the order
    of ``returns`` does not matter, and an entry given twice by the same agency appears once.
    Where one date and time has different accounts (from two agencies, or two from one), each
    entry there is flagged "Accounts differ: " with the agency codes involved."""
    keyed = {}
    for code, timeline_return in returns:
        for entry in timeline_return.entries:
            merged = TimelineEntry(code, entry.date, entry.time, entry.what, entry.who, entry.source)
            # The same event from the same agency twice (a file read twice, a row pasted twice).
            key = (code, entry.date, entry.time, _account(entry.what), entry.who, entry.source)
            order = (timeline_return.source, entry.row, entry.what)
            if key not in keyed or order < keyed[key][0]:
                keyed[key] = (order, merged)
    ordered = sorted(keyed.values(), key=lambda item: _sort_key(item[1], item[0]))
    entries = [entry for _, entry in ordered]
    moments: dict[tuple, list[TimelineEntry]] = {}
    for entry in entries:
        if entry.time is not None:
            moments.setdefault((entry.date, entry.time), []).append(entry)
    flags = {}
    for moment, together in moments.items():
        if len({_account(e.what) for e in together}) > 1:
            flags[moment] = "Accounts differ: " + ", ".join(sorted({e.agency for e in together}))
    return [_with_flag(e, flags.get((e.date, e.time), "")) for e in entries]


def _sort_key(entry: TimelineEntry, order: tuple[str, int, str]) -> tuple:
    return (entry.date, entry.time is not None, entry.time or time(0), entry.agency, order,
            entry.what, entry.who, entry.source)


def _with_flag(entry: TimelineEntry, flag: str) -> TimelineEntry:
    return entry if entry.flag == flag else TimelineEntry(entry.agency, entry.date, entry.time, entry.what,
                                                          entry.who, entry.source, flag)


def timeline_fingerprint(entries: Iterable[TimelineEntry]) -> str:
    """A stable hash (SHA-256, hex) of merged entries: equal lists give equal fingerprints on any
    machine and Python version, so the summary is rendered again only when the merge changed."""
    canonical = [[e.agency, e.date.isoformat(), e.time.isoformat() if e.time else "", e.what, e.who,
                  e.source, e.flag] for e in entries]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
