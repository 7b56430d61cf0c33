"""render_mail: the shipped mail templates and the text-to-HTML markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from o365flow.errors import ConfigError, MailError
from o365flow.mail.render import render_mail, text_to_html

SHIPPED = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "templates" / "mail"
REFERENCE = "NWSB-CPR-2026-001"
FOLDER_LINK = "https://nwsb.sharepoint.com/sites/reviews/Reviews/NWSB-CPR-2026-001?web=1&x=2"


def context(**changes) -> dict:
    ctx = {
        "board": {"name": "North Wales Safeguarding Board", "code": "NWSB"},
        "coordinator": {"name": "Review Coordinator", "email": "reviews@nwsb.example"},
        "case": {
            "reference": REFERENCE,
            "kind_name": "Child Practice Review",
            "workflow_name": "Child Practice Review (extended)",
            "folder_link": FOLDER_LINK,
            "signoff_due": "14 March 2026",
        },
        "agency": {"code": "BCUHB", "name": "Betsi Cadwaladr University Health Board"},
        "reply_phrase": "Approved",
        "days_left": 7,
        "days_overdue": 14,
        "share": {"what": "7 minute briefing", "files": ["NWSB-CPR-2026-001 7 minute briefing.pdf"]},
        "event": {"date": "21 April 2026", "start": "10:00", "end": "13:00", "location": "Board room", "changed": False},
        "digest": {
            "date": "16 March 2026",
            "sections": [
                {"title": "Sign-offs overdue", "items": [
                    "NWSB-CPR-2026-001: BCUHB, due 14 March 2026",
                    "NWSB-APR-2026-002: NWP & WAST, due 15 March 2026 <late>",
                ]},
                {"title": "Replies to look at", "items": ["NWSB-CPR-2026-001: reply from x@y.example"]},
            ],
        },
    }
    ctx.update(changes)
    return ctx


class _Checker(HTMLParser):
    """Collects tags and text; fails on unbalanced tags."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
        if tag not in ("br", "hr", "meta"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    return checker


# Every template shipped, so a new one is checked the day it is added.
ALL = sorted(p.stem for p in SHIPPED.glob("*.txt") if "." not in p.stem)


def test_every_message_the_worker_sends_is_shipped():
    from o365flow.commands.check import MAIL_TEMPLATES

    assert sorted(MAIL_TEMPLATES) == ALL


@pytest.mark.parametrize("name", ALL)
def test_shipped_templates_render(name):
    subject, text, page = render_mail(name, context(), [SHIPPED])
    for part in (subject, text, page):
        assert "{{" not in part and "{%" not in part and "}}" not in part
    assert "\n" not in subject
    assert (f"[{REFERENCE}]" if name != "digest" else "[NWSB]") in subject  # replies find their case
    assert text.endswith("\n") and "\n\n\n" not in text
    checker = check_html(page)
    # the HTML says what the text says (the digest's own HTML lays its items out as a table)
    words = lambda s: re.findall(r"\w[\w@.-]*", s)  # noqa: E731
    if name == "digest":
        shown = " ".join(words(" ".join(checker.text)))
        for item in (i for s in context()["digest"]["sections"] for i in s["items"]):
            assert " ".join(words(item)) in shown
    else:
        assert words(" ".join(checker.text).split(subject, 1)[-1]) == words(text)


@pytest.mark.parametrize("name", ["signoff-request", "signoff-reminder"])
def test_signoff_mails_carry_reference_link_and_how_to_sign_off(name):
    subject, text, page = render_mail(name, context(), [SHIPPED])
    assert subject.startswith(f"[{REFERENCE}] ")
    assert "Child Practice Review" in subject
    assert FOLDER_LINK in text
    assert check_html(page).hrefs == [FOLDER_LINK]
    assert 'start with "Approved"' in text
    assert "reply to this message" in text
    assert "14 March 2026" in text
    assert "reviews@nwsb.example" in text  # who to ask
    assert "Rydym yn croesawu gohebiaeth yn Gymraeg" in text  # footer


def test_request_subject_is_exactly_as_agencies_expect():
    subject, _, _ = render_mail("signoff-request", context(), [SHIPPED])
    assert subject == "[NWSB-CPR-2026-001] Action plan sign-off requested – Child Practice Review"


@pytest.mark.parametrize("days, phrase", [(7, "due in 7 days"), (1, "due tomorrow"), (0, "due today"),
                                          (-2, "was due on")])
def test_reminder_wording_follows_days_left(days, phrase):
    _, text, _ = render_mail("signoff-reminder", context(days_left=days), [SHIPPED])
    assert phrase in text


def test_templates_use_no_personal_data():
    # the context has no subject data at all; a template reaching for it fails loudly
    for name in ALL:
        source = (SHIPPED / f"{name}.txt").read_text(encoding="utf-8")
        for forbidden in ("initials", "circumstances", "subject_", "referrer"):
            assert forbidden not in source


def test_digest_lists_sections_and_escapes_items():
    subject, text, page = render_mail("digest", context(), [SHIPPED])
    assert subject == "[NWSB] Practice reviews: daily summary for 16 March 2026"
    assert "Sign-offs overdue\n- NWSB-CPR-2026-001: BCUHB, due 14 March 2026\n" in text
    assert "NWP &amp; WAST" in page and "&lt;late&gt;" in page and "<late>" not in page
    assert page.count("<h2") == 2 and page.count("<tr>") == 3


def test_empty_digest_says_so():
    ctx = context(digest={"date": "16 March 2026", "sections": []})
    _, text, _ = render_mail("digest", ctx, [SHIPPED])
    assert "Nothing needs your attention today." in text


def test_missing_variable_is_a_mail_error():
    ctx = context()
    del ctx["case"]["folder_link"]
    with pytest.raises(MailError, match="folder_link"):
        render_mail("signoff-request", ctx, [SHIPPED])


# -- board templates, Welsh, and the sandbox -------------------------------------------------

WELSH = """\
Subject: [{{ case.reference }}] Cais i gymeradwyo’r cynllun gweithredu – Adolygiad Ymarfer Plant

Annwyl gydweithiwr,

Ymatebwch gyda “Cymeradwywyd” erbyn {{ case.signoff_due }}.
Ffolder: {{ case.folder_link }}
"""


def test_board_folder_wins_over_shipped(tmp_path: Path):
    (tmp_path / "signoff-request.txt").write_text(
        "Subject: [{{ case.reference }}] Board's own wording\n\nHello from the board.\n", encoding="utf-8"
    )
    subject, text, _ = render_mail("signoff-request", context(), [tmp_path, SHIPPED])
    assert subject == f"[{REFERENCE}] Board's own wording"
    assert text == "Hello from the board.\n"
    _, text, _ = render_mail("digest", context(), [tmp_path, SHIPPED])  # falls back
    assert "daily" not in text and "Sign-offs overdue" in text


def test_welsh_english_and_bilingual(tmp_path: Path):
    (tmp_path / "signoff-request.cy.txt").write_text(WELSH, encoding="utf-8")
    dirs = [tmp_path, SHIPPED]
    cy_subject, cy_text, cy_page = render_mail("signoff-request", context(), dirs, language="cy")
    en_subject, en_text, _ = render_mail("signoff-request", context(), dirs, language="en")
    assert cy_subject.startswith(f"[{REFERENCE}] Cais i gymeradwyo’r")
    assert "Ymatebwch" in cy_text and "Dear colleague" not in cy_text
    assert '<html lang="cy">' in cy_page
    assert "Dear colleague" in en_text and "Ymatebwch" not in en_text

    subject, text, page = render_mail("signoff-request", context(), dirs, language="cy+en")
    # The board's Welsh file has no Bilingual-subject line: both subjects, the reference once.
    assert subject == f"{cy_subject} / {en_subject.removeprefix(f'[{REFERENCE}] ')}"
    assert text.index("Ymatebwch") < text.index("Dear colleague")
    assert page.index('<div lang="cy">') < page.index('<div lang="en">')
    check_html(page)


def test_missing_welsh_template_is_a_config_error(tmp_path: Path):
    (tmp_path / "board-notice.txt").write_text("Subject: [{{ case.reference }}] Notice\n\nHello.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"board-notice\.cy\.txt"):
        render_mail("board-notice", context(), [tmp_path, SHIPPED], language="cy+en")


@pytest.mark.parametrize("bad", ["../digest", "digest.txt", "", "a/b"])
def test_template_names_cannot_leave_the_folders(bad):
    with pytest.raises(ConfigError):
        render_mail(bad, context(), [SHIPPED])


def test_unknown_language_is_a_config_error():
    with pytest.raises(ConfigError):
        render_mail("digest", context(), [SHIPPED], language="fr")


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ case.__class__.__init__.__globals__ }}",
        "{{ board.name.format.__globals__ }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    ],
)
def test_sandbox_escape_fails_safely(tmp_path: Path, expression: str):
    (tmp_path / "evil.txt").write_text(f"Subject: hello\n\n{expression}\n", encoding="utf-8")
    with pytest.raises(MailError):
        render_mail("evil", context(), [tmp_path])


@pytest.mark.parametrize(
    "source",
    ["No subject line\n\nbody\n", "Subject: x\nno blank line\n", "Subject: {{ broken\n\nbody\n",
     "Subject: \n\nempty subject\n"],
)
def test_malformed_templates_are_mail_errors(tmp_path: Path, source: str):
    (tmp_path / "bad.txt").write_text(source, encoding="utf-8")
    with pytest.raises(MailError):
        render_mail("bad", context(), [tmp_path])


def test_subject_is_one_line_whatever_the_context(tmp_path: Path):
    (tmp_path / "t.txt").write_text("Subject: [{{ case.reference }}] {{ agency.name }}\n\nx\n")
    ctx = context(agency={"code": "X", "name": "Evil\r\nBcc: someone@attacker.example"})
    subject, _, _ = render_mail("t", ctx, [tmp_path])
    assert subject == f"[{REFERENCE}] Evil Bcc: someone@attacker.example"


def test_text_to_html_markup():
    text = (
        "Para one line one\nline two & <b>\n\n"
        "Reference: NWSB-1\nCase folder: https://x.example/a?b=1&c=2.\n\n"
        "Intro:\n- first\n- second https://x.example\nafter list\n"
    )
    page = text_to_html(text)
    assert page == (
        "<p>Para one line one<br>\nline two &amp; &lt;b&gt;</p>\n"
        "<p><strong>Reference:</strong> NWSB-1<br>\n"
        '<strong>Case folder:</strong> <a href="https://x.example/a?b=1&amp;c=2">'
        "https://x.example/a?b=1&amp;c=2</a>.</p>\n"
        "<p>Intro:</p>\n<ul>\n<li>first</li>\n"
        '<li>second <a href="https://x.example">https://x.example</a></li>\n</ul>\n'
        "<p>after list</p>"
    )


def test_script_in_context_is_escaped(tmp_path: Path):
    (tmp_path / "t.txt").write_text("Subject: s\n\n{{ agency.name }}\n", encoding="utf-8")
    ctx = context(agency={"code": "X", "name": '<script>alert("x")</script>'})
    _, text, page = render_mail("t", ctx, [tmp_path])
    assert '<script>alert("x")</script>' in text
    assert "<script>" not in page
