"""Mail: the ``Mailer`` and ``Inbox`` ports and their implementations.

* ``base`` -- ``OutgoingMail``, ``IncomingMail``, the ``Mailer`` and ``Inbox`` protocols.
* ``compose`` -- the RFC 5322 message every mailer sends; refuses header injection.
* ``outbox`` -- ``OutboxMailer``: ``.eml`` files in a folder (the embedded default).
* ``maildir`` -- ``MaildirInbox``: replies read from a Maildir (the embedded default).
* ``incoming``, ``replytext`` -- a received message reduced to what a sign-off needs.
* ``smtp`` -- ``SmtpMailer``: a mail server.
* ``graph`` -- ``GraphMailer`` and ``GraphInbox``: the board mailbox in Exchange Online.
* ``ics`` -- the learning event's calendar invitation.
* ``render`` -- mail templates to (subject, text, html).
"""

from .base import BODY_LIMIT, Inbox, IncomingMail, Mailer, OutgoingMail
from .compose import build_message, message_bytes
from .maildir import MaildirInbox
from .outbox import OutboxMailer
from .render import render_mail
from .smtp import SmtpMailer

__all__ = [
    "BODY_LIMIT",
    "IncomingMail",
    "Inbox",
    "Mailer",
    "MaildirInbox",
    "OutboxMailer",
    "OutgoingMail",
    "SmtpMailer",
    "build_message",
    "message_bytes",
    "render_mail",
]
