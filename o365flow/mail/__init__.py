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

# Nothing is imported here: each caller imports the module it needs, so a command that only
# reads (``status``) does not load the template engine or the SMTP client.
