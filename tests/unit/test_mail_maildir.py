"""MaildirInbox: replies read from new/ and cur/, reduced to what a sign-off needs."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o365flow.errors import BackendError
from o365flow.mail.base import BODY_LIMIT, Inbox
from o365flow.mail.maildir import MaildirInbox, base_name

REQUEST_ID = "<signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>"


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    for sub in ("new", "cur", "tmp"):
        (tmp_path / "inbox" / sub).mkdir(parents=True)
    return tmp_path / "inbox"


def deliver(maildir: Path, name: str, content: str | bytes, sub: str = "new") -> Path:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = maildir / sub / name
    path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return path


def fetch_one(maildir: Path):
    messages, problems = MaildirInbox(maildir).fetch()
    assert problems == []
    assert len(messages) == 1
    return messages[0]


def plain(body: str, **headers: str) -> str:
    fields = {
        "From": '"Jones, Sam" <Sam.Jones@BCUHB.example>',
        "To": "reviews@nwsb.example",
        "Subject": "RE: [NWSB-CPR-2026-001] Action plan sign-off requested",
        "Date": "Mon, 16 Mar 2026 10:12:33 +0000",
        "Message-ID": "<reply-1@bcuhb.example>",
        "In-Reply-To": REQUEST_ID,
        "References": REQUEST_ID,
        "MIME-Version": "1.0",
        "Content-Type": 'text/plain; charset="utf-8"',
        "Content-Transfer-Encoding": "8bit",
    }
    fields.update({k.replace("_", "-"): v for k, v in headers.items()})
    head = "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)
    return f"{head}\n{body}"


# -- realistic replies -----------------------------------------------------------------------

OUTLOOK_WEB_HTML = """\
From: "Jones, Sam" <Sam.Jones@BCUHB.example>
To: North Wales Safeguarding Board <reviews@nwsb.example>
Subject: RE: [NWSB-CPR-2026-001] Action plan sign-off requested =?utf-8?q?=E2=80=93?= Child
 Practice Review
Date: Mon, 16 Mar 2026 10:12:33 +0000
Message-ID: <DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com>
In-Reply-To: <signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>
References: <signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>
Authentication-Results: spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=bcuhb.example;
 dkim=pass (signature was verified) header.d=bcuhb.example;dmarc=pass action=none
 header.from=bcuhb.example;compauth=pass reason=100
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3D=
utf-8"><style type=3D"text/css">p {margin-bottom:0;}</style></head>
<body dir=3D"ltr"><div style=3D"font-family: Aptos, sans-serif;">Approved on=
 behalf of BCUHB &ndash; diolch</div>
<div>&nbsp;</div><div>Sam</div>
<hr style=3D"display:inline-block;width:98%" tabindex=3D"-1">
<div id=3D"divRplyFwdMsg" dir=3D"ltr"><font face=3D"Calibri, sans-serif" =
style=3D"font-size:11pt"><b>From:</b> North Wales Safeguarding Board &lt;re=
views@nwsb.example&gt;<br><b>Sent:</b> 14 March 2026 09:30<br><b>To:</b> Jo=
nes, Sam<br><b>Subject:</b> [NWSB-CPR-2026-001] Action plan sign-off reques=
ted</font><div>&nbsp;</div></div>
<div><p>Dear colleague,</p><p>Start the first line with "Approved".</p></div>
</body></html>
"""

OUTLOOK_DESKTOP_HTML = """\
From: Sam Jones <sam.jones@bcuhb.example>
To: reviews@nwsb.example
Subject: RE: [NWSB-CPR-2026-001] Action plan sign-off requested
Message-ID: <000001da1234$abcd$ef01@bcuhb.example>
Content-Type: text/html; charset="windows-1252"
MIME-Version: 1.0

<html><body lang=EN-GB><div class=WordSection1><p class=MsoNormal>Signed off for
BCUHB.<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>
<p class=MsoNormal><b>From:</b> North Wales Safeguarding Board
&lt;reviews@nwsb.example&gt; <br><b>Sent:</b> 14 March 2026 09:30<br>
<b>Subject:</b> [NWSB-CPR-2026-001]</p></div>
<p class=MsoNormal>Dear colleague, please sign off.</p></div></body></html>
"""

GMAIL_PLAIN = """\
Signed off for North Wales Police.

Rhian

On Sat, 14 Mar 2026 at 09:30, North Wales Safeguarding Board <
reviews@nwsb.example> wrote:

> Dear colleague,
>
> Please sign off the action plan.
"""

GMAIL_HTML = """\
<div dir="ltr">Approved</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">\
On Sat, 14 Mar 2026 at 09:30, North Wales Safeguarding Board &lt;<a href="mailto:reviews@nwsb\
.example">reviews@nwsb.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" \
style="margin:0px 0px 0px 0.8ex">Dear colleague,<br>Not approved yet.</blockquote></div>
"""


def test_is_an_inbox(maildir: Path):
    assert isinstance(MaildirInbox(maildir), Inbox)


def test_outlook_web_html_only_reply(maildir: Path):
    deliver(maildir, "1773655953.M1P1.host", OUTLOOK_WEB_HTML)
    mail = fetch_one(maildir)
    assert mail.first_line == "Approved on behalf of BCUHB – diolch"
    assert "Dear colleague" not in mail.body_text
    assert "Sent:" not in mail.body_text
    assert mail.body_text.splitlines()[-1] == "Sam"
    assert mail.sender == "sam.jones@bcuhb.example"
    assert mail.sender_name == "Jones, Sam"
    assert mail.subject == (
        "RE: [NWSB-CPR-2026-001] Action plan sign-off requested – Child Practice Review"
    )
    assert mail.key == mail.message_id == "<DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com>"
    assert mail.in_reply_to == (REQUEST_ID,)
    assert mail.date == datetime(2026, 3, 16, 10, 12, 33, tzinfo=timezone.utc)
    assert not mail.auto_submitted
    assert not mail.authentication_failed


def test_outlook_desktop_html_reply(maildir: Path):
    deliver(maildir, "a", OUTLOOK_DESKTOP_HTML)
    mail = fetch_one(maildir)
    assert mail.first_line == "Signed off for BCUHB."
    assert "please sign off" not in mail.body_text


def test_outlook_plain_text_separator(maildir: Path):
    body = (
        "Approved.\n\n"
        "________________________________\n"
        "From: North Wales Safeguarding Board <reviews@nwsb.example>\n"
        "Sent: 14 March 2026 09:30\n\nDear colleague,\n"
    )
    deliver(maildir, "a", plain(body))
    mail = fetch_one(maildir)
    assert mail.body_text == "Approved."


def test_original_message_marker_and_from_sent_block(maildir: Path):
    deliver(maildir, "a", plain("Signed off\n-----Original Message-----\nApproved\n"))
    deliver(maildir, "b", plain(
        "Approved\nKind regards\n\nFrom: Board <reviews@nwsb.example>\nDate: 14 March 2026\nx\n",
        Message_ID="<reply-2@bcuhb.example>",
    ))
    messages, problems = MaildirInbox(maildir).fetch()
    assert problems == []
    assert [m.body_text for m in messages] == ["Signed off", "Approved\nKind regards"]


def test_from_line_alone_is_not_a_quote_header(maildir: Path):
    deliver(maildir, "a", plain("From: the BCUHB safeguarding team\nApproved\n"))
    assert fetch_one(maildir).body_text == "From: the BCUHB safeguarding team\nApproved"


def test_gmail_plain_reply_with_wrapped_attribution(maildir: Path):
    deliver(maildir, "a", plain(GMAIL_PLAIN))
    mail = fetch_one(maildir)
    assert mail.first_line == "Signed off for North Wales Police."
    assert mail.body_text == "Signed off for North Wales Police.\n\nRhian"


def test_gmail_multipart_prefers_plain_and_html_alone_is_converted(maildir: Path):
    multipart = plain(
        "--b1\nContent-Type: text/plain; charset=UTF-8\n\nApproved from plain\n\n"
        "--b1\nContent-Type: text/html; charset=UTF-8\n\n<div>Approved from html</div>\n--b1--\n",
        Content_Type='multipart/alternative; boundary="b1"',
        Content_Transfer_Encoding=None,
    )
    deliver(maildir, "a", multipart)
    assert fetch_one(maildir).first_line == "Approved from plain"
    (maildir / "new" / "a").unlink()
    deliver(maildir, "b", plain(GMAIL_HTML, Content_Type='text/html; charset="utf-8"'))
    mail = fetch_one(maildir)
    assert mail.first_line == "Approved"
    assert "Not approved" not in mail.body_text
    assert "wrote" not in mail.body_text


def test_plain_reply_with_bom_and_leading_blank_lines(maildir: Path):
    deliver(maildir, "a", plain("\ufeff\n\n   \n  Approved – Sam (BCUHB)  \n> quoted\nThanks\n"))
    mail = fetch_one(maildir)
    assert mail.first_line == "Approved – Sam (BCUHB)"
    assert mail.body_text == "Approved – Sam (BCUHB)\nThanks"


def test_first_line_skips_quoted_lines_at_the_top(maildir: Path):
    deliver(maildir, "a", plain("> Please reply Approved\n\nNot yet, we have a query.\n"))
    assert fetch_one(maildir).first_line == "Not yet, we have a query."


def test_body_text_is_limited(maildir: Path):
    deliver(maildir, "a", plain("Approved\n" + "long line of text\n" * 2000))
    mail = fetch_one(maildir)
    assert len(mail.body_text) <= BODY_LIMIT
    assert mail.first_line == "Approved"


def test_welsh_reply_in_quoted_printable_latin_charset(maildir: Path):
    deliver(maildir, "a", plain(
        "Cymeradwywyd / Approved =E2=80=93 D=C5=B5r\n",
        Content_Transfer_Encoding="quoted-printable",
        Subject="=?utf-8?q?Ateb=3A_t=C5=B7?=",
    ))
    mail = fetch_one(maildir)
    assert mail.first_line == "Cymeradwywyd / Approved – Dŵr"
    assert mail.subject == "Ateb: tŷ"


# -- dates and threading ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("not a date at all", None),
        ("Mon, 45 Foo 2026 99:99:99 +0000", None),
        ("Mon, 16 Mar 2026 10:12:33 +0100", datetime(2026, 3, 16, 9, 12, 33, tzinfo=timezone.utc)),
        ("16 Mar 2026 10:12:33 -0000", datetime(2026, 3, 16, 10, 12, 33, tzinfo=timezone.utc)),
    ],
)
def test_date_missing_garbage_or_zoned(maildir: Path, value, expected):
    deliver(maildir, "a", plain("Approved\n", Date=value))
    mail = fetch_one(maildir)
    assert mail.date == expected
    if mail.date is not None:
        assert mail.date.utcoffset() is not None


def test_in_reply_to_and_references(maildir: Path):
    deliver(maildir, "a", plain(
        "Approved\n",
        In_Reply_To=f"{REQUEST_ID} (Sam's message of 14 March)",
        References=f"<root@nwsb.example>\n\t{REQUEST_ID}  <root@nwsb.example>\n <x.y@z.example>",
    ))
    mail = fetch_one(maildir)
    assert mail.in_reply_to == (REQUEST_ID,)
    assert mail.references == ("<root@nwsb.example>", REQUEST_ID, "<x.y@z.example>")


def test_missing_threading_headers(maildir: Path):
    deliver(maildir, "1773655953.M1P1.host:2,S", plain(
        "Approved\n", In_Reply_To=None, References=None, Message_ID=None
    ), sub="cur")
    mail = fetch_one(maildir)
    assert mail.in_reply_to == () and mail.references == ()
    assert mail.message_id is None
    assert mail.key == "file:1773655953.M1P1.host"


def test_base_name_drops_flags():
    assert base_name("1773655953.M1P1.host:2,RS") == "1773655953.M1P1.host"
    assert base_name("1773655953.M1P1.host!2,S") == "1773655953.M1P1.host"
    assert base_name("1773655953.M1P1.host") == "1773655953.M1P1.host"


# -- automatic replies and authentication ----------------------------------------------------


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, False),
        ({"Auto_Submitted": "auto-replied"}, True),
        ({"Auto_Submitted": "auto-generated; owner-email=x@y.example"}, True),
        ({"Auto_Submitted": "no"}, False),
        ({"X_Autoreply": "yes"}, True),
        ({"X_Autorespond": "Out of office"}, True),
        ({"Precedence": "bulk"}, True),
        ({"Precedence": "auto_reply"}, True),
        ({"Precedence": "junk"}, True),
        ({"Subject": "Automatic reply: [NWSB-CPR-2026-001] Action plan sign-off requested"}, True),
        ({"Subject": "RE: Automatic reply: not at the start"}, False),
    ],
)
def test_auto_replies(maildir: Path, headers, expected):
    deliver(maildir, "a", plain("I am out of the office until 20 March.\n", **headers))
    assert fetch_one(maildir).auto_submitted is expected


@pytest.mark.parametrize(
    "results, expected",
    [
        ("mx.nwsb.example; spf=pass smtp.mailfrom=bcuhb.example; dkim=pass; dmarc=pass", False),
        ("mx.nwsb.example; spf=pass; dkim=pass; dmarc=fail (p=reject) header.from=bcuhb.example", True),
        ("mx.nwsb.example; spf=fail smtp.mailfrom=bcuhb.example; dmarc=none", True),
        ("mx.nwsb.example; spf=pass; dkim=fail; dmarc=pass", False),
        ("mx.nwsb.example; dkim=fail header.d=bcuhb.example; dmarc=fail", True),
        ("mx.nwsb.example; spf=softfail (dmarc=fail would apply); dmarc=pass", False),
        ("mx.nwsb.example; SPF=FAIL", True),
    ],
)
def test_authentication_results(maildir: Path, results, expected):
    deliver(maildir, "a", plain("Approved\n", Authentication_Results=results))
    assert fetch_one(maildir).authentication_failed is expected


def test_any_failing_authentication_results_header_counts(maildir: Path):
    two = plain("Approved\n", Authentication_Results="mx.nwsb.example; dmarc=pass")
    two = "Authentication-Results: mx2.nwsb.example; dmarc=fail\n" + two
    deliver(maildir, "a", two)
    assert fetch_one(maildir).authentication_failed is True


# -- bad files and the folder ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        b"",
        b"   \r\n  \r\n",
        b"just some text without any header line at all\n",
        plain("Approved\n", From=None, Message_ID="<bad@x.example>").encode(),
        plain("Approved\n", From="not an address", Message_ID="<bad@x.example>").encode(),
        plain("Approved\n", From="a@b.example, c@d.example", Message_ID="<bad@x.example>").encode(),
        plain(
            "Approved\n", From="alice@bcuhb.example)<bob@evil.example>", Message_ID="<bad@x.example>"
        ).encode(),
    ],
    ids=["binary", "empty", "blank", "no-headers", "no-from", "bad-from", "two-from", "ambiguous-from"],
)
def test_unreadable_file_is_a_problem_and_others_are_read(maildir: Path, content: bytes):
    deliver(maildir, "1-good", plain("Approved\n"))
    deliver(maildir, "2-bad:2,S", content, sub="cur")
    deliver(maildir, "3-good", plain("Signed off\n", Message_ID="<reply-3@bcuhb.example>"))
    messages, problems = MaildirInbox(maildir).fetch()
    assert [m.first_line for m in messages] == ["Approved", "Signed off"]
    assert len(problems) == 1
    assert "2-bad:2,S" in problems[0]
    assert "\n" not in problems[0]


def test_same_message_in_new_and_cur_is_returned_once(maildir: Path):
    deliver(maildir, "1-a", plain("Approved\n"))
    deliver(maildir, "1-a:2,S", plain("Approved\n"), sub="cur")
    messages, _ = MaildirInbox(maildir).fetch()
    assert len(messages) == 1


def test_fetch_never_moves_or_changes_files(maildir: Path):
    paths = [deliver(maildir, "1-a", plain("Approved\n")),
             deliver(maildir, "2-b", b"\x00\x01garbage", sub="cur")]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in paths}
    listing = sorted(str(p) for p in maildir.rglob("*"))
    MaildirInbox(maildir).fetch()
    MaildirInbox(maildir).fetch()
    assert sorted(str(p) for p in maildir.rglob("*")) == listing
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in paths} == before


def test_missing_subfolders_are_empty_and_missing_folder_is_an_error(tmp_path: Path):
    (tmp_path / "inbox").mkdir()
    assert MaildirInbox(tmp_path / "inbox").fetch() == ([], [])
    with pytest.raises(BackendError):
        MaildirInbox(tmp_path / "nowhere").fetch()


def test_dot_files_and_tmp_are_ignored(maildir: Path):
    deliver(maildir, ".hidden", b"\x00garbage")
    deliver(maildir, "x", b"\x00garbage", sub="tmp")
    assert MaildirInbox(maildir).fetch() == ([], [])


# -- arbitrary input never stops a pass ------------------------------------------------------

_HEADER_NAMES = st.sampled_from([
    "From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Content-Type",
    "Content-Transfer-Encoding", "Auto-Submitted", "Precedence", "Authentication-Results",
    "X-Autoreply", "MIME-Version",
])
_HEADER_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "a@b.example", '"x" <a@b.example>', "=?utf-8?q?=C5=B5?= <a@b.example>", "=?bogus?x?zz?=",
        "multipart/mixed; boundary=x", "text/html; charset=nonexistent", "base64",
        "quoted-printable", "<a@b> <c@d>", "<<>>", "Mon, 99 Xyz 2026", "dmarc=fail",
    ]),
)


def _check_fetch(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "new").mkdir()
        (root / "new" / "msg").write_bytes(data)
        messages, problems = MaildirInbox(root).fetch()
        assert len(messages) + len(problems) == 1
        for mail in messages:
            assert mail.key
            assert len(mail.body_text) <= BODY_LIMIT
            assert mail.date is None or mail.date.utcoffset() is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_fetch(data: bytes):
    _check_fetch(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=12),
    st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))),
)
def test_arbitrary_headers_and_bodies_never_crash_fetch(headers, body):
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    _check_fetch((head + "\r\n" + body).encode("utf-8", "surrogateescape"))


def test_fetch_order_is_by_file_name(maildir: Path):
    later = datetime(2026, 3, 16, tzinfo=timezone.utc)
    for n, name in enumerate(["3-c", "1-a", "2-b"]):
        date = (later - timedelta(days=n)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        deliver(maildir, name, plain("Approved\n", Message_ID=f"<m{n}@x.example>", Date=date))
    messages, _ = MaildirInbox(maildir).fetch()
    ids = [m.message_id for m in messages]
    assert ids == ["<m1@x.example>", "<m2@x.example>", "<m0@x.example>"]
