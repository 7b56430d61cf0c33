"""The mail ports, as the mail adapters see them: ``Mailer`` sends one message, ``Inbox`` reads
the replies. Defined in ``o365flow.ports`` (with the other ports) and re-exported here.

Implementations, one module each: ``outbox`` (RFC 5322 ``.eml`` files in a folder, the embedded
default), ``maildir`` (replies read from a Maildir), ``smtp`` (a mail server), ``graph`` (the
board's Exchange Online mailbox through Microsoft Graph: ``GraphMailer`` and ``GraphInbox``, an
``IncrementalInbox``), ``memory`` (in memory, for tests). Every implementation raises
``MailError`` for a message that cannot be composed, read or delivered to one address, and
``BackendError`` when the server or folder itself fails; library errors never leave this
package.
"""

from __future__ import annotations

from o365flow.ports import (
    ATTACHMENT_LIMIT,
    BODY_LIMIT,
    Inbox,
    InboxChanges,
    IncomingMail,
    IncrementalInbox,
    Mailer,
    OutgoingMail,
)

__all__ = ["ATTACHMENT_LIMIT", "BODY_LIMIT", "Inbox", "InboxChanges", "IncomingMail", "IncrementalInbox", "Mailer", "OutgoingMail"]
