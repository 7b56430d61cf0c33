"""Cymraeg: a Welsh-speaking board through the CLI. A bilingual (cy+en) board sends every message
Welsh first and records a sign-off written in Welsh; a Welsh (cy) board sends Welsh only; an
agency's own language preference is honoured; the documents follow the board's language."""

from __future__ import annotations

import io
import re
from datetime import date
from email.message import EmailMessage

import docx

CPR = "DRSB-CPR-2026-001"
WELSH_START, ENGLISH_START = "Annwyl", "Dear"


def configure(board, language: str, agency_languages: dict[str, str] | None = None) -> None:
    """The board's [mail] language, and agencies' own (by contact address)."""
    path = board.root / "o365flow.toml"
    text = re.sub(r'(?m)^language = "en"', f'language = "{language}"', path.read_text(encoding="utf-8"), count=1)
    for contact, lang in (agency_languages or {}).items():
        text = text.replace(f'contact = "{contact}"\n', f'contact = "{contact}"\nlanguage = "{lang}"\n', 1)
    path.write_text(text, encoding="utf-8")
    result = board.cli("check")
    assert result.exit_code == 0, result.output


def plain(msg: EmailMessage) -> str:
    return msg.get_body(("plain",)).get_content()


def html(msg: EmailMessage) -> str:
    return msg.get_body(("html",)).get_content()


def is_bilingual(msg: EmailMessage) -> bool:
    """Welsh first, then English, in the text and the HTML, under one short subject."""
    text, page = plain(msg), html(msg)
    return (WELSH_START in text and ENGLISH_START in text and text.index(WELSH_START) < text.index(ENGLISH_START)
            and page.index('<div lang="cy">') < page.index('<div lang="en">')
            and " / " in str(msg["Subject"]) and len(str(msg["Subject"])) <= 100)


def is_welsh_only(msg: EmailMessage) -> bool:
    text = plain(msg)
    return WELSH_START in text and ENGLISH_START not in text and '<div lang="en">' not in html(msg)


def is_english_only(msg: EmailMessage) -> bool:
    text = plain(msg)
    return ENGLISH_START in text and WELSH_START not in text and '<div lang="cy">' not in html(msg)


def case_mail(board, ref: str) -> list[EmailMessage]:
    return [m for m in board.outbox() if f"[{ref}]" in str(m["Subject"])]


def requests(board, ref: str) -> dict[str, EmailMessage]:
    """The first message to each agency about ``ref`` that is not in a thread: the sign-off request."""
    found: dict[str, EmailMessage] = {}
    for m in case_mail(board, ref):
        if not m["In-Reply-To"] and "ymarferwyr" not in plain(m) and "practitioners'" not in str(m["Subject"]).lower():
            found.setdefault(str(m["To"]), m)
    return found


def welsh_reply(board, to: EmailMessage, sender: str, first_line: str, when: str) -> None:
    """A reply typed in Welsh in a Welsh-language Outlook: the original quoted under its header."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to["From"]
    msg["Subject"] = "ATB: " + str(to["Subject"])
    msg["Message-ID"] = f"<cy-{abs(hash((sender, first_line)))}@agency.example.org>"
    msg["In-Reply-To"] = to["Message-ID"]
    msg["References"] = to["Message-ID"]
    msg["Date"] = when
    msg.set_content(f"{first_line}\n\nCofion,\nJo\n\n"
                    f"Ar ddydd Llun, 3 Awst 2026 am 10:00, ysgrifennodd {to['From']}:\n"
                    f"Annwyl gydweithiwr,\nCymeradwyo’r cynllun gweithredu\n")
    (board.root / "mail" / "inbox" / "new" / f"{abs(hash(msg['Message-ID']))}.eml").write_bytes(msg.as_bytes())


def document_text(board, ref: str, pattern: str) -> str:
    path = board.files("Reviews", ref, pattern)[0]
    document = docx.Document(io.BytesIO(board.read_file("Reviews", path)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_bilingual_board_writes_welsh_first_and_reads_a_welsh_sign_off(board):
    configure(board, "cy+en", {"public.protection@police.example.org": "en"})

    # 1. Referrals registered: the coordinator's digest is bilingual, Welsh first.
    board.run("2026-03-02")
    digest = board.outbox()[-1]
    assert is_bilingual(digest) and "Crynodeb dyddiol 2 Mawrth 2026" in str(digest["Subject"])
    assert "Angen eich sylw heddiw" in plain(digest) and "A.B." not in plain(digest)  # new cases need a decision: in "Needs you today"

    # 2. The Chair decides; the documents are made from the bilingual templates.
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Learning_event_date=date(2026, 5, 14))
    board.run("2026-03-16")
    letter = document_text(board, CPR, "*Welsh Government notification.docx")
    assert letter.index("Annwyl Syr neu Fadam") < letter.index("Dear Sir or Madam")
    assert "Adolygiad Ymarfer Plant – Adolygiad cryno" in letter and "10 Mawrth 2026" in letter
    assert "{{" not in letter and "A.B." not in letter
    timeline = document_text(board, CPR, "*Agency timeline return (blank).docx")
    assert "Dyddiad\nDate" in timeline and "Ffurflen llinell amser" in timeline

    # 3. The learning event invitation: bilingual to five agencies, English to the police.
    invitations = {str(m["To"]): m for m in case_mail(board, CPR) if "learning-event.ics" in
                   [p.get_filename() for p in m.iter_attachments()]}
    assert len(invitations) == 6
    assert is_english_only(invitations.pop("public.protection@police.example.org"))
    assert all(is_bilingual(m) and "14 Mai 2026" in plain(m) for m in invitations.values())
    calendar = next(p for p in invitations["safeguarding.team@health.example.org"].iter_attachments()
                    if p.get_filename() == "learning-event.ics").get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert f"SUMMARY:Digwyddiad dysgu / Learning event – {CPR}" in calendar.replace("\r\n ", "")

    # 4. The final report: sign-off requests, bilingual but for the police.
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{CPR}/07 Final report/Final report.docx")
    board.run("2026-08-03")
    asked = requests(board, CPR)
    assert len(asked) == 6
    police = asked.pop("public.protection@police.example.org")
    assert is_english_only(police) and "Action plan sign-off requested" in str(police["Subject"])
    for msg in asked.values():
        assert is_bilingual(msg)
        assert str(msg["Subject"]) == f"[{CPR}] Cymeradwyo’r cynllun gweithredu / Action plan sign-off"
        assert "31 Awst 2026" in plain(msg) and "“Cymeradwywyd”" in plain(msg) and "A.B." not in plain(msg)

    # 5. Replies in Welsh: a plain approval is recorded; a conditional one is not.
    welsh_reply(board, asked["safeguarding.reviews@council.example.org"], "jo.jones@council.example.org",
                "Rwy’n cymeradwyo’r cynllun gweithredu ar ran y cyngor.", "Tue, 04 Aug 2026 10:00:00 +0100")
    welsh_reply(board, asked["safeguarding.team@health.example.org"], "nyrs@health.example.org",
                "Cymeradwyo yn amodol ar newid argymhelliad 2.", "Tue, 04 Aug 2026 11:00:00 +0100")
    board.run("2026-08-05")
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == CPR}
    assert signs["DCC"]["Signed off"].date() == date(2026, 8, 4)
    assert signs["UHB"]["Signed off"] is None
    digest = [m for m in board.outbox() if "Crynodeb dyddiol 5 Awst 2026" in str(m["Subject"])][-1]
    assert is_bilingual(digest) and "Cymeradwyo yn amodol ar newid argymhelliad 2." in plain(digest)

    # 6. Reminders to those still outstanding: bilingual, in thread, the police's in English.
    board.run("2026-08-24")
    reminders = {str(m["To"]): m for m in case_mail(board, CPR) if m["In-Reply-To"]}
    assert len(reminders) == 5 and "safeguarding.reviews@council.example.org" not in reminders
    assert is_english_only(reminders.pop("public.protection@police.example.org"))
    assert all(is_bilingual(m) and "ymhen 7 diwrnod" in plain(m) for m in reminders.values())


def test_a_welsh_board_writes_welsh_only(board):
    configure(board, "cy")
    board.run("2026-03-02")
    digest = board.outbox()[-1]
    assert is_welsh_only(digest) and str(digest["Subject"]) == "[DRSB] Adolygiadau ymarfer: crynodeb dyddiol 2 Mawrth 2026"
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    letter = document_text(board, CPR, "*Welsh Government notification.docx")
    assert "Annwyl Syr neu Fadam" in letter and "Dear Sir" not in letter
    assert "Bwrdd Diogelu Rhanbarthol Dyffryn" in letter  # the board's own glossary (made by init)
    briefing = document_text(board, CPR, "*7 minute briefing (draft).docx")
    assert "Sesiwn friffio 7 munud" in briefing and "Plentyn A" in briefing
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{CPR}/07 Final report/Final report.docx")
    board.run("2026-08-03")
    asked = requests(board, CPR)
    assert len(asked) == 6 and all(is_welsh_only(m) for m in asked.values())
    assert all(str(m["Subject"]).startswith(f"[{CPR}] Cais i gymeradwyo’r cynllun gweithredu") for m in asked.values())
    board.reply(asked["public.protection@police.example.org"], "public.protection@police.example.org", "Cymeradwywyd")
    board.run("2026-08-05")
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == CPR}
    assert signs["POLICE"]["Signed off"].date() == date(2026, 8, 5)


def test_an_english_board_writes_to_a_welsh_speaking_agency_in_welsh(board):
    configure(board, "en", {"safeguarding.team@health.example.org": "cy"})
    board.run("2026-03-02")
    assert is_english_only(board.outbox()[-1])  # the coordinator has the board's language
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    assert "Dear Sir or Madam" in document_text(board, CPR, "*Welsh Government notification.docx")
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{CPR}/07 Final report/Final report.docx")
    board.run("2026-08-03")
    asked = requests(board, CPR)
    assert is_welsh_only(asked.pop("safeguarding.team@health.example.org"))
    assert len(asked) == 5 and all(is_english_only(m) for m in asked.values())
