"""Cymraeg: Welsh dates read and written, Welsh approval and non-approval replies, Welsh quote
headers, the shared glossary, and every Welsh message rendered alone and bilingual."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from o365flow.commands.init import CONFIG
from o365flow.configuration.loader import load_config
from o365flow.configuration.workflows import load_workflows
from o365flow.core.model import CaseRecord, Referral, SignoffRecord
from o365flow.core.parsing import parse_date, parse_kind, parse_yes_no
from o365flow.core.settings import DEFAULT_APPROVAL_PHRASES
from o365flow.core.welsh import Glossary, month_number, welsh_date
from o365flow.data.language import load_glossary
from o365flow.errors import ConfigError
from o365flow.mail.base import IncomingMail
from o365flow.mail.render import SUBJECT_LIMIT, bilingual_subject, render_mail
from o365flow.mail.replytext import first_line, new_text
from o365flow.plan import plan
from o365flow.plan.actions import RecordSignoff, SetAside
from o365flow.plan.facts import Board, Facts, RegisterFacts
from o365flow.plan.mail import message_id
from o365flow.plan.replies import starts_with_phrase

TZ = ZoneInfo("Europe/London")
REF = "DRSB-CPR-2026-001"
SHIPPED = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "templates" / "mail"


# -- Dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("14 Chwefror 2026", date(2026, 2, 14)),
    ("3 Awst 2026", date(2026, 8, 3)),
    ("29 Medi 2026", date(2026, 9, 29)),
    ("1 Ionawr 2026", date(2026, 1, 1)),
    ("1af Ionawr 2026", date(2026, 1, 1)),
    ("Ar ddydd Llun, 3 Awst 2026", date(2026, 8, 3)),
    ("dydd Mawrth 3 Mawrth 2026", date(2026, 3, 3)),
    ("y 3ydd o Fedi 2026", date(2026, 9, 3)),  # soft mutation after "o"
    ("12 ym Mehefin 2026", date(2026, 6, 12)),
    ("5 yng Ngorffennaf 2026", date(2026, 7, 5)),  # nasal mutation
    ("20 Gorffennaf 2026", date(2026, 7, 20)),
    ("2 Fawrth 2026", date(2026, 3, 2)),
    ("9 Fai 2026", date(2026, 5, 9)),
    ("10 o Dachwedd 2026", date(2026, 11, 10)),
    ("11 Nhachwedd 2026", date(2026, 11, 11)),
    ("21ain Ragfyr 2026", date(2026, 12, 21)),
    ("4 Hydref 2026", date(2026, 10, 4)),
    ("8 Ebrill 2026", date(2026, 4, 8)),
    ("7 Chwef. 2026", date(2026, 2, 7)),
    ("3 Gorff 2026", date(2026, 7, 3)),
    ("15fed Tach 2026", date(2026, 11, 15)),
])
def test_welsh_dates_are_read_with_their_mutations(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31 Chwefror 2026", "14 Chwefrorr 2026", "14 Fedyn 2026", "Medi 2026"])
def test_what_is_not_a_welsh_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_english_dates_still_read_as_before():
    assert parse_date("14th of February 2026") == date(2026, 2, 14)
    assert parse_date("Saturday 14 February 2026") == date(2026, 2, 14)


@pytest.mark.parametrize("word, number", [("Medi", 9), ("fedi", 9), ("Ngorffennaf", 7), ("Orffennaf", 7),
                                          ("Ragfyr", 12), ("thachwedd", 11), ("September", None), ("Fed", None)])
def test_month_number(word, number):
    assert month_number(word) == number


@pytest.mark.parametrize("day, text", [(date(2026, 9, 29), "29 Medi 2026"), (date(2026, 3, 1), "1 Mawrth 2026"),
                                       (date(2027, 7, 4), "4 Gorffennaf 2027"), (None, "")])
def test_dates_written_in_welsh(day, text):
    assert welsh_date(day) == text


def test_every_welsh_month_written_reads_back():
    for month in range(1, 13):
        day = date(2026, month, 14)
        assert parse_date(welsh_date(day)) == day


def test_cy_date_filter_turns_the_contexts_english_dates_into_welsh():
    filters = __import__("o365flow.data.language", fromlist=["language_filters"]).language_filters(Glossary())
    assert filters["cy_date"]("29 September 2026") == "29 Medi 2026"
    assert filters["cy_date"]("2026-02-14") == "14 Chwefror 2026"
    assert filters["cy_date"](date(2026, 8, 3)) == "3 Awst 2026"
    assert filters["cy_date"]("") == "" and filters["cy_date"]("to be confirmed") == "to be confirmed"


def test_welsh_answers_on_forms():
    assert parse_yes_no("Oedd") is True and parse_yes_no("Nac oedd") is False
    assert parse_yes_no("Oedd / Yes") is True and parse_yes_no("Nac oedd / No") is False
    with pytest.raises(ValueError):
        parse_yes_no("Oedd / No")
    assert parse_kind("Adolygiad Ymarfer Oedolion") == "APR" and parse_kind("Fforwm") == "MAPF"
    assert parse_kind("Adolygiad Diogelu Unedig Sengl (SUSR)") == "SUSR"


# -- Replies ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Cymeradwywyd", "Cymeradwywyd.", "cymeradwyo", "Cymeradwyo’r cynllun gweithredu",
    "Rwy’n cymeradwyo", "Rwy'n cymeradwyo ar ran y cyngor", "Rwyn cymeradwyo", "Rydym yn cymeradwyo’r cynllun",
    "Wedi'i gymeradwyo", "Wedi’i gymeradwyo gan y cyfarwyddwr", "Llofnodwyd", "Cymeradwyo – Siân (BIP)",
    "Approved", "Signed off by the director", "Approved – Sam (BCUHB)",
])
def test_welsh_and_english_approvals_sign_off(line):
    assert starts_with_phrase(line, DEFAULT_APPROVAL_PHRASES)


@pytest.mark.parametrize("line", [
    "Nid wyf yn cymeradwyo", "Nid ydym yn cymeradwyo’r cynllun", "Dim cymeradwyaeth eto",
    "Heb ei gymeradwyo", "Ddim wedi’i gymeradwyo",
    "Cymeradwyo yn amodol ar newid argymhelliad 2", "Cymeradwywyd yn amodol ar gytundeb y panel",
    "Cymeradwyo, ar yr amod bod y dyddiad yn newid", "Cymeradwyo ond nid argymhelliad 3",
    "Cymeradwyo os caiff argymhelliad 2 ei newid", "Cymeradwyo mewn egwyddor", "Cymeradwyo?",
    "Approved subject to the changes to recommendation 3", "Approved, subject to legal advice",
    "Approved in principle", "Approved except recommendation 2", "Approved? Not yet",
    "Not approved", "Cymeradwyaeth i ddilyn",
])
def test_conditional_or_negative_replies_do_not_sign_off(line):
    assert not starts_with_phrase(line, DEFAULT_APPROVAL_PHRASES)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp("cfg") / "o365flow.toml"
    path.write_text(CONFIG)
    return load_config(path)


def _classify(config, first: str):
    mid = message_id(config, f"request/{REF}/DCC", REF)
    msg = IncomingMail(key="k1", message_id="<r@x>", sender="jo@council.example.org", sender_name="", subject=f"ATB: [{REF}]",
                       date=datetime(2026, 8, 4, 10, tzinfo=TZ), in_reply_to=(mid,), references=(), first_line=first,
                       body_text=first, auto_submitted=False, authentication_failed=False)
    case = CaseRecord(REF, "CPR", 2026, 1, "form.docx", date(2026, 3, 2), Referral("CPR", "A.B.", "Dyffryn Police"))
    board = Board(cases={REF: case}, message_ids={mid: (REF, "DCC")},
                  signoffs={(REF, "DCC"): SignoffRecord(REF, "DCC", date(2026, 8, 3))})
    row = {"Decision": "Concise review", "Decision date": date(2026, 3, 10), "Final report date": date(2026, 8, 3)}
    out = plan(config, load_workflows(), board, Facts(now=datetime(2026, 8, 5, tzinfo=TZ), register=RegisterFacts(True, {REF: row}), messages=(msg,)))
    return [a for a in out.actions if isinstance(a, (RecordSignoff, SetAside))]


def test_the_default_configuration_records_a_welsh_sign_off(config):
    (action,) = _classify(config, "Rwy’n cymeradwyo’r cynllun gweithredu.")
    assert isinstance(action, RecordSignoff) and action.day == date(2026, 8, 4)


def test_a_conditional_welsh_reply_goes_to_the_coordinator(config):
    (action,) = _classify(config, "Cymeradwyo yn amodol ar newid argymhelliad 2 (A.B.)")
    assert isinstance(action, SetAside) and "[initials removed]" in action.note and "amodol" in action.note


def test_phrases_a_board_configures_replace_the_default(config):
    board = replace(config, mail=replace(config.mail, approval_phrases=("Approved",)))
    assert isinstance(_classify(board, "Cymeradwywyd")[0], SetAside)


WELSH_OUTLOOK = """Rwy’n cymeradwyo.

Cofion
Jo

Oddi wrth: Bwrdd Diogelu <board@example.org>
Anfonwyd: Dydd Llun, 3 Awst 2026 10:00
At: Jo Jones <jo@council.example.org>
Pwnc: [DRSB-CPR-2026-001] Cymeradwyo’r cynllun gweithredu

Annwyl gydweithiwr,
Cymeradwyo ar ran yr asiantaeth: atebwch
"""
WELSH_GMAIL = """Nid eto: mae angen newid argymhelliad 3.

Ar ddydd Llun, 3 Awst 2026 am 10:00, ysgrifennodd Bwrdd Diogelu <board@example.org>:
Cymeradwywyd
"""
WRAPPED = """Cymeradwywyd

Ar Llun, 3 Awst 2026 am 10:00, Bwrdd Diogelu Rhanbarthol Dyffryn <board@example.org>
ysgrifennodd:
> Rwy'n cymeradwyo
"""
FORWARDED = "Gweler isod.\n\n-----Neges Wreiddiol-----\nCymeradwywyd\n"


@pytest.mark.parametrize("body, kept", [
    (WELSH_OUTLOOK, "Rwy’n cymeradwyo.\n\nCofion\nJo"),
    (WELSH_GMAIL, "Nid eto: mae angen newid argymhelliad 3."),
    (WRAPPED, "Cymeradwywyd"),
    (FORWARDED, "Gweler isod."),
])
def test_welsh_quote_headers_end_the_new_text(body, kept):
    assert new_text(body) == kept


def test_an_empty_welsh_reply_above_a_quoted_approval_is_not_one():
    assert first_line(new_text("\n\nAr ddydd Llun, 3 Awst 2026 am 10:00, ysgrifennodd X:\n> Cymeradwywyd\n")) == ""


# -- Glossary -----------------------------------------------------------------------------------

def test_the_glossary_holds_the_established_terms():
    g = load_glossary()
    assert g["Child Practice Review"] == "Adolygiad Ymarfer Plant"
    assert g["Adult Practice Review"] == "Adolygiad Ymarfer Oedolion"
    assert g["Single Unified Safeguarding Review"] == "Adolygiad Diogelu Unedig Sengl"
    assert g["multi-agency professional forum"] == "Fforwm amlasiantaethol proffesiynol"
    assert g["Regional Safeguarding Board"] == "Bwrdd Diogelu Rhanbarthol"
    assert g["action plan"] == "cynllun gweithredu"
    assert g["A board's name it has not translated"] == "A board's name it has not translated"


def test_a_boards_glossary_wins_term_by_term(tmp_path):
    (tmp_path / "glossary.cy.toml").write_text(
        '[terms]\n"Dyffryn Police" = "Heddlu Dyffryn"\n"action plan" = "cynllun gweithredu’r Bwrdd"\n', encoding="utf-8")
    g = load_glossary([tmp_path])
    assert g["Dyffryn Police"] == "Heddlu Dyffryn" and g["action plan"] == "cynllun gweithredu’r Bwrdd"
    assert g["Child Practice Review"] == "Adolygiad Ymarfer Plant"


def test_a_broken_glossary_is_a_config_error_naming_the_file(tmp_path):
    (tmp_path / "glossary.cy.toml").write_text('[terms]\n"Dyffryn Police" = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="glossary.cy.toml.*Dyffryn Police"):
        load_glossary([tmp_path])


# -- Messages -----------------------------------------------------------------------------------

MESSAGES = ("signoff-request", "signoff-reminder", "signoff-escalation", "learning-event-invitation",
            "learning-share", "digest")
READY = ("timeline-request", "timeline-reminder", "referrer-acknowledgement", "referrer-decision",
         "action-reminder", "submission")


def context(**changes) -> dict:
    """The longest names a Welsh board has, to hold subjects to what a mail client shows."""
    ctx = {
        "board": {"name": "Cardiff and Vale Regional Safeguarding Board", "code": "CVRSB", "address": []},
        "coordinator": {"name": "Review coordinator", "email": "reviews@board.example"},
        "case": {"reference": "CVRSB-SUSR-2026-012", "kind_name": "Multi-agency professional forum",
                 "workflow_name": "Single Unified Safeguarding Review", "folder_link": "https://x.example/f",
                 "signoff_due": "30 September 2026"},
        "agency": {"code": "WAST", "name": "Welsh Ambulance Services NHS Trust"},
        "reply_phrase": "Approved", "days_left": 7, "days_overdue": 14,
        "share": {"what": "7 minute briefing", "files": ["briefing.pdf"]},
        "event": {"date": "30 July 2026", "start": "10:00", "end": "13:00", "location": "Board room", "changed": True},
        "digest": {"date": "30 September 2026", "sections": [
            {"title": "Overdue", "items": ["CVRSB-SUSR-2026-012: action plan sign-off was due 14/09/2026"]},
            {"title": "Due in the next 14 days", "items": ["CVRSB-CPR-2026-003: review due 01/10/2026"]}]},
        "due": "30 September 2026", "decision": "Concise review", "decision_date": "10 March 2026",
    }
    ctx.update(changes)
    return ctx


@pytest.mark.parametrize("name", MESSAGES + READY)
def test_every_welsh_message_renders_in_welsh(name):
    subject, text, page = render_mail(name, context(), [SHIPPED], language="cy")
    assert "Annwyl" in text and "Dear" not in text and "{{" not in text
    assert "September" not in text and "July" not in text  # dates in Welsh
    assert '<html lang="cy">' in page
    assert len(subject) <= SUBJECT_LIMIT, subject


@pytest.mark.parametrize("name", MESSAGES)
def test_bilingual_messages_put_the_welsh_first_under_a_short_subject(name):
    subject, text, page = render_mail(name, context(), [SHIPPED], language="cy+en")
    assert text.index("Annwyl") < text.index("Dear")
    assert page.index('<div lang="cy">') < page.index('<div lang="en">')
    assert " / " in subject and len(subject) <= SUBJECT_LIMIT, subject
    assert subject.count("[") == 1  # the reference (or board code) once


@pytest.mark.parametrize("name", READY)
def test_the_messages_still_to_come_render_with_little_context(name):
    ctx = {k: v for k, v in context().items() if k in ("board", "coordinator")}
    ctx["case"] = {"reference": "DRSB-CPR-2026-001"}
    subject, text, _ = render_mail(name, ctx, [SHIPPED], language="cy")
    assert "DRSB-CPR-2026-001" in subject and "{{" not in text


def test_welsh_messages_use_the_glossary_and_welsh_dates():
    _, text, _ = render_mail("signoff-request", context(), [SHIPPED], language="cy")
    assert "Adolygiad Diogelu Unedig Sengl CVRSB-SUSR-2026-012" in text
    assert "Ymddiriedolaeth GIG Gwasanaethau Ambiwlans Cymru" in text
    assert "Bwrdd Diogelu Rhanbarthol Caerdydd a’r Fro" in text
    assert "Cymeradwyo erbyn: 30 Medi 2026" in text and "“Cymeradwywyd”" in text
    _, text, _ = render_mail("digest", context(), [SHIPPED], language="cy")
    assert "Yn hwyr" in text and "Yn ddyledus yn y 14 diwrnod nesaf" in text


def test_bilingual_subject_says_the_reference_once():
    assert bilingual_subject("[R-1] Cais", "[R-1] Request") == "[R-1] Cais / Request"
    assert bilingual_subject("Cais", "Request") == "Cais / Request"
    assert bilingual_subject("[R-1] Cais", "[R-1] Request", given="[R-1] Byr / Short") == "[R-1] Byr / Short"


def test_a_bilingual_message_never_looks_for_a_cy_en_file(tmp_path):
    (tmp_path / "notice.txt").write_text("Subject: [R-1] Notice\n\nDear all.\n", encoding="utf-8")
    (tmp_path / "notice.cy.txt").write_text("Subject: [R-1] Hysbysiad\n\nAnnwyl bawb.\n", encoding="utf-8")
    subject, text, _ = render_mail("notice", {}, [tmp_path], language="cy+en")
    assert subject == "[R-1] Hysbysiad / Notice" and text.index("Annwyl bawb") < text.index("Dear all")
