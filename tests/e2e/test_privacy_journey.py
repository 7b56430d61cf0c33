"""A review from referral to shared learning with distinctive names everywhere a person could
put one -- the form, its file name, the referring agency, the names-not-to-publish list, a
report's file name, an agency's reply, a file saved to share -- and then a scan of every mail
sent, every log line (text and JSON), stdout and stderr: none of those names appears. The
state store never holds a reply's text."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

import docx

from o365flow.documents.referral import fill_referral_form
from o365flow.data import shipped

CPR = "DRSB-CPR-2026-001"
AGENCIES = ("DCC", "POLICE", "UHB", "PROBATION", "WAST", "EDU")
SUBJECT = "Zebediah Quaxworth"
LISTED = ("Petronella Quaxworth", "Ignatius Fernsbury")
REPLY_ONLY = "Oswaldine"  # said only in an agency's reply
NAMES = ("Zebediah", "Quaxworth", "Petronella", "Ignatius", "Fernsbury", "Ottoline", "Brackenridge",
         REPLY_ONLY, "Bartholomew", "Wickstead")
INITIALS = re.compile(r"(?<![A-Za-z])Z\.?\s?Q\.?(?![A-Za-z])")


def _doc(*paragraphs: str, table: list[tuple[str, str]] = ()) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=2)
        for row, (a, b) in zip(t.rows, table):
            row.cells[0].text, row.cells[1].text = a, b
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _form() -> bytes:
    data = fill_referral_form((shipped("templates") / "referral-form.docx").read_bytes(), {
        "kind": "CPR", "subject_initials": "Z.Q.", "incident_date": "14/01/2026",
        "circumstances": f"{SUBJECT} was injured; his mother {LISTED[0]} and her partner {LISTED[1]} were at home.",
        "protected_6_months": "No", "referring_agency": "Ignatius Fernsbury",
        "referrer_name": "Ottoline Brackenridge", "referrer_email": "ottoline.brackenridge@police.example.org",
    })
    document = docx.Document(BytesIO(data))
    row = document.add_table(rows=1, cols=2).rows[0]
    row.cells[0].text, row.cells[1].text = "Subject name", SUBJECT
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def coordinator_address() -> str:
    return "review.coordinator@board.example.org"


class Seen:
    """Everything the worker said: stdout, stderr (its log lines, text or JSON)."""

    def __init__(self, board):
        self.board, self.text = board, []

    def run(self, now: str, fmt: str = "text", expect: int | None = None):
        # JSON passes run --verbose too, so every log line (info and debug included) is scanned.
        extra = ("--verbose",) if fmt == "json" else ()
        result = self.board.cli(*extra, "--log-format", fmt, "run", "--now", now)
        out, err = result.output, (result.stderr if result.stderr_bytes else "")
        assert "Traceback" not in out + err
        if expect is not None:
            assert result.exit_code == expect, out + err
        if fmt == "json":
            for line in err.splitlines():
                if line.startswith("{"):
                    json.loads(line)  # every JSON log line is one JSON object
        self.text += [out, err]
        return result


def _mail_text(message) -> str:
    """A mail as an agency reads it: headers, every text part, and the text of Word attachments."""
    parts = [str(message[h]) for h in message.keys()]
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        name = part.get_filename() or ""
        parts.append(name)
        if name.lower().endswith(".docx"):
            document = docx.Document(BytesIO(payload))
            parts += [p.text for p in document.paragraphs]
            parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        elif part.get_content_maintype() == "text":
            parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(parts)


def test_no_name_leaves_the_case_folder_and_the_register(board):
    for name in board.files("Referrals"):
        (board.root / "site" / "Referrals" / name).unlink()
    board.save_file("Referrals", f"Referral for {SUBJECT}.docx", _form())
    board.save_file("Referrals", "Referral for Bartholomew Wickstead.docx", b"not a word document")
    seen = Seen(board)
    seen.run("2026-03-02", "json", expect=1)  # the broken form is a failed item, named by id
    assert board.case(CPR)["Subject initials"] == "Z.Q."

    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    seen.run("2026-03-11", "text")
    lists = [p for p in board.files("Reviews", CPR) if "names not to publish" in p.lower()]
    target = lists[0] if lists else f"{CPR}/Names not to publish.docx"
    board.save_file("Reviews", target, _doc(*LISTED))
    board.save_file("Reviews", f"{CPR}/03 Agency timelines/Timeline return POLICE about Zebediah.docx", b"not a document")
    board.save_file("Reviews", f"{CPR}/07 Final report/Final report.docx", _doc("The review considered practice."))
    seen.run("2026-08-03", "json", expect=1)  # the broken timeline return is named by id
    requests = [m for m in board.outbox() if "sign-off requested" in str(m["Subject"])]
    assert len(requests) == len(AGENCIES)

    police = next(m for m in requests if "police.example.org" in str(m["To"]))
    uhb = next(m for m in requests if "health.example.org" in str(m["To"]))
    board.reply(police, "public.protection@police.example.org",
                f"Not approved. The report still names {SUBJECT} and his mother {LISTED[0]}; {REPLY_ONLY} agrees.",
                when="Wed, 05 Aug 2026 10:00:00 +0100", name="Ottoline Brackenridge")
    board.reply(uhb, "safeguarding.team@health.example.org", f"Approved, though {REPLY_ONLY} asked about {SUBJECT}.",
                when="Wed, 05 Aug 2026 11:00:00 +0100")
    seen.run("2026-08-05", "json")
    board.save_file("Reviews", f"{CPR}/03 Agency timelines/Timeline return POLICE about Zebediah.docx", _doc("Agency", "x"))
    (board.root / "site" / "Reviews" / CPR / "03 Agency timelines" / "Timeline return POLICE about Zebediah.docx").unlink()
    seen.run("2026-08-06", "text")
    for code in AGENCIES:
        board.edit("Sign-offs", {"Reference": CPR, "Agency": code}, {"Signed off": date(2026, 8, 10)})
    seen.run("2026-08-11", "text")
    board.set_case(CPR, Board_approval_date=date(2026, 9, 1), Published_date=date(2026, 9, 2))
    seen.run("2026-09-02", "json")
    assert board.case(CPR)["Stage"] == "Published"

    share = f"{CPR}/10 Ready to share"
    board.save_file("Reviews", f"{share}/7 minute briefing for the Quaxworth family.pdf", b"%PDF-1.4 named")
    seen.run("2026-09-03", "json", expect=1)  # held: a file's name names someone
    assert not [m for m in board.outbox() if "to share" in str(m["Subject"]).lower()]
    board.save_file("Reviews", f"{share}/7 minute briefing.pdf", b"%PDF-1.4 briefing")
    (board.root / "site" / "Reviews" / share / "7 minute briefing for the Quaxworth family.pdf").unlink()
    seen.run("2026-09-04", "text")
    shared = [m for m in board.outbox() if "to share" in str(m["Subject"]).lower()]
    assert len(shared) == len(AGENCIES)

    # The scan.
    said = "\n".join(seen.text)
    assert said.strip()
    for name in NAMES:
        assert name.lower() not in said.lower(), name
    assert not INITIALS.search(said), INITIALS.search(said)
    assert "Referral for" not in said
    # ...and yet the coordinator is told what needs a person: the broken form by its id, where
    # the non-approval is, the held file.
    import hashlib

    assert hashlib.sha256(b"Referral for Bartholomew Wickstead.docx").hexdigest()[:8] in said
    assert any(line.startswith("{") for chunk in seen.text for line in chunk.splitlines())
    digests = "\n".join(_mail_text(m) for m in board.outbox() if coordinator_address() in str(m["To"]))
    assert "replied without signing off" in digests and "05 August 2026" in digests
    assert "its file name" in said
    coordinator = coordinator_address()
    referrer = "ottoline.brackenridge@police.example.org"
    for message in board.outbox():
        # The referrer is written to at their own address (the acknowledgement and the decision):
        # that address is theirs to receive at, so it alone is left out of the scan.
        text = _mail_text(message).replace(referrer, "(the referrer's own address)")
        for name in NAMES:
            assert name.lower() not in text.lower(), (name, message["Subject"])
        if coordinator not in str(message["To"]):
            assert not INITIALS.search(text), (message["Subject"], INITIALS.search(text))
    for path in (board.root / "state").rglob("*"):
        if path.is_file():
            assert REPLY_ONLY.encode() not in path.read_bytes(), path
            assert REPLY_ONLY.encode("utf-16-le") not in path.read_bytes(), path
