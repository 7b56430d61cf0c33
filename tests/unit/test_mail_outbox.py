"""OutboxMailer: each message written once, whole, as a readable .eml file."""

from __future__ import annotations

import email
import email.policy
import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from o365flow.errors import BackendError, MailError
from o365flow.mail.base import Mailer, OutgoingMail
from o365flow.mail.outbox import OutboxMailer

NOW = datetime(2026, 3, 14, 9, 30, 5, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _mail(message_id: str = "<signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>", **kw) -> OutgoingMail:
    fields = {
        "sender": "reviews@nwsb.example",
        "to": ("signoff@bcuhb.example",),
        "subject": "[NWSB-CPR-2026-001] Action plan sign-off requested – Child Practice Review",
        "text": "Annwyl gydweithiwr / Dear colleague – ŵ ŷ\n",
    }
    return OutgoingMail(message_id=message_id, **{**fields, **kw})


def test_is_a_mailer(tmp_path: Path):
    assert isinstance(OutboxMailer(tmp_path, Clock(NOW)), Mailer)


def test_writes_one_parseable_file(tmp_path: Path):
    outbox = tmp_path / "outbox"  # created on first send
    mail = _mail(html="<p>Dear colleague</p>")
    OutboxMailer(outbox, Clock(NOW)).send(mail)
    files = sorted(outbox.iterdir())
    digest = hashlib.sha256(mail.message_id.encode()).hexdigest()[:12]
    assert [f.name for f in files] == [f"20260314-093005-{digest}.eml"]
    msg = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert msg["Message-ID"] == mail.message_id
    assert str(msg["Subject"]) == mail.subject
    assert msg["Date"].datetime == NOW
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == mail.text
    assert not msg.defects


def test_same_message_id_is_written_once(tmp_path: Path):
    clock = Clock(NOW)
    mailer = OutboxMailer(tmp_path, clock)
    mailer.send(_mail())
    first = sorted(tmp_path.iterdir())
    before = first[0].read_bytes()
    clock.now = NOW.replace(hour=10)  # the rerun after a crash, later the same day
    mailer.send(_mail())
    assert sorted(tmp_path.iterdir()) == first
    assert first[0].read_bytes() == before
    # a second mailer over the same folder (the next pass) sees it too
    OutboxMailer(tmp_path, clock).send(_mail())
    assert sorted(tmp_path.iterdir()) == first


def test_different_message_ids_each_written(tmp_path: Path):
    mailer = OutboxMailer(tmp_path, Clock(NOW))
    mailer.send(_mail("<a@nwsb.example>"))
    mailer.send(_mail("<b@nwsb.example>"))
    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_no_temporary_files_left(tmp_path: Path):
    mailer = OutboxMailer(tmp_path, Clock(NOW))
    for n in range(5):
        mailer.send(_mail(f"<m{n}@nwsb.example>"))
    names = [p.name for p in tmp_path.iterdir()]
    assert len(names) == 5
    assert all(n.endswith(".eml") and not n.startswith(".") for n in names)


def test_stale_temporary_file_is_not_taken_for_the_message(tmp_path: Path):
    # a pass killed between writing the temporary file and renaming it
    mail = _mail()
    digest = hashlib.sha256(mail.message_id.encode()).hexdigest()[:12]
    (tmp_path / f".o365flow-x-{digest}.eml").write_bytes(b"half")
    OutboxMailer(tmp_path, Clock(NOW)).send(mail)
    assert len(list(tmp_path.glob("2026*.eml"))) == 1


def test_bad_message_writes_nothing(tmp_path: Path):
    with pytest.raises(MailError):
        OutboxMailer(tmp_path, Clock(NOW)).send(_mail(subject="x\r\nBcc: evil@attacker.example"))
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_backend_error(tmp_path: Path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackendError):
        OutboxMailer(blocker, Clock(NOW)).send(_mail())
