"""Apply: carry out one planned action through the adapters and record it in the state store.

Each action is recorded as it completes, so a pass killed between two actions resumes cleanly:
files are written whole (temporary name, then rename) and never overwritten once made; a message
is marked "prepared" before it is sent and "sent" after the server accepted it, and a retry
reuses its Message-ID.
"""

from __future__ import annotations

import logging
import mimetypes
from datetime import datetime

from o365flow.core.filelabel import file_id
from o365flow.core.references import folder_name_rule
from o365flow.errors import BackendError, ConflictError, InputError
from o365flow.mail.base import OutgoingMail
from o365flow.plan.actions import (
    ClearForPublication,
    CreateFolder,
    RecordFinalReport,
    RecordSignoff,
    RegisterCase,
    RejectForm,
    RenderDocument,
    RestrictAccess,
    SendMail,
    SetAside,
)
from o365flow.plan.context import long_date
from o365flow.plan.housekeeping import ForgetForm, RecordUnreadable
from o365flow.plan.mail import attention_of
from o365flow.worker.apply_mail import MAIL_HANDLERS
from o365flow.worker.apply_pack import PACK_HANDLERS
from o365flow.worker.services import Services
from o365flow.worker.state import State

log = logging.getLogger("o365flow")


def apply_action(svc: Services, state: State, action, now: datetime) -> str:
    """Apply one action (not the register write: see ``worker``); returns a short outcome."""
    from o365flow.plan.digest import done_items

    handler = _HANDLERS[type(action)]
    outcome = handler(svc, state, action, now) or "done"
    for section, text in done_items(action):  # for the next digest: what was done since the last
        state.attend(now.date(), section, text)
    return outcome


def _register_case(svc, state: State, a: RegisterCase, now):
    with state.tx() as db:
        state.add_case(a.case, a.etag, now, db)
        state.audit(now, a.ref, "registered", f"{a.reason}: form {file_id(a.case.source)}", db)
        for section, text in attention_of(a):
            state.attend(now.date(), section, text, db)


def _reject_form(svc, state: State, a: RejectForm, now):
    state.reject_form(a.path, a.etag, a.problems)
    state.audit(now, None, "referral form not registered", f"form {file_id(a.path)}: {'; '.join(a.problems)}")


def _forget_form(svc, state: State, a: ForgetForm, now):
    state.forget_form(a.path)


def _record_unreadable(svc, state: State, a: RecordUnreadable, now):
    with state.tx() as db:
        state.processed(a.message_key, now, a.text, db)
        state.attend(now.date(), "Waiting on a person", a.text, db)


def _create_folder(svc, state: State, a: CreateFolder, now):
    rule = folder_name_rule(a.folder)
    if rule:  # never reached with references the worker gives; the last guard before the disk
        raise InputError(f"{a.ref}: the case folder name {rule}; no folder made")
    library = svc.config.reviews_library
    svc.storage.make_folders(library, [a.folder] + [f"{a.folder}/{sub}" for sub in a.subfolders])
    state.mark_done(a.key, now)
    state.audit(now, a.ref, "folder created", a.reason)


def _render_document(svc, state: State, a: RenderDocument, now):
    from o365flow.data.language import load_glossary
    from o365flow.documents.render import render_docx

    # The board's language picks the template: Welsh, or Welsh-first bilingual, where there is one.
    template = svc.find_template(a.template, svc.config.mail.language).read_bytes()
    context = {**a.context, "generated_on": long_date(now.date())}
    title = a.path.rsplit("/", 1)[-1].removesuffix(".docx")
    data = render_docx(template, context, title=title, subject=a.ref, glossary=load_glossary(svc.template_dirs()))
    outcome = "generated"
    try:
        # A versioned document (the summary timeline) is the worker's own: made again on change.
        svc.storage.write(svc.config.reviews_library, a.path, data, create_only=not a.version)
    except ConflictError:
        if a.version:
            raise
        # Already there: written by a pass that was stopped before recording it, or put there by
        # a person. Either way it is never overwritten.
        outcome = "already there; left as it is"
    state.mark_done(a.key, now)
    state.audit(now, a.ref, f"document {outcome}", f"{a.reason}: {a.path}")
    return outcome


def _restrict_access(svc, state: State, a: RestrictAccess, now):
    done = svc.storage.restrict_access(svc.config.reviews_library, a.folder, list(a.principals))
    outcome = "access restricted" if done else "access left to the site's own permissions (local site)"
    state.mark_done(a.key, now, outcome)
    state.audit(now, a.ref, outcome, a.reason)
    return outcome


def _final_report(svc, state: State, a: RecordFinalReport, now):
    with state.tx() as db:
        state.set_final_report(a.ref, a.day, db)
        state.audit(now, a.ref, f"final report date {a.day.isoformat()}", a.reason, db)


def _send_mail(svc, state: State, a: SendMail, now):
    from o365flow.mail.render import render_mail

    state.mail_prepared(a.mail_key, a.message_id, a.ref, a.agency, a.purpose, now)
    context = dict(a.context)
    if a.purpose == "digest":  # what this pass held, found after the digest was planned
        from o365flow.plan.digest import needs_also
        from o365flow.worker.apply_mail import held_today

        context["digest"] = needs_also(context["digest"], held_today(state, now))
    if "case" in context and a.ref:
        context["case"] = {**context["case"], "folder_link": svc.storage.link(svc.config.reviews_library, a.ref)}
    # The recipient's language: an agency's own preference, else the board's. A referrer is a
    # person, not the agency's sign-off contact: the board's language, whatever agency they are in.
    language = svc.config.mail.language if a.template.startswith("referrer-") else svc.config.language_for(a.agency)
    subject, text, html = render_mail(a.template, context, svc.mail_template_dirs(), language=language)
    svc.mailer.send(
        OutgoingMail(
            message_id=a.message_id,
            sender=svc.config.mail.from_header,
            to=a.to,
            subject=subject,
            text=text,
            html=html,
            in_reply_to=a.in_reply_to or None,
            references=(a.in_reply_to,) if a.in_reply_to else (),
            attachments=_attachments(svc, a, now, language),
        )
    )
    with state.tx() as db:
        state.mail_sent(a.mail_key, now, db)
        if a.purpose == "request":
            state.signoff_requested(a.ref, a.agency, a.day, a.message_id, db)
        elif a.purpose == "reminder":
            state.reminded(a.ref, a.agency, a.day, db)
        elif a.purpose == "digest":
            state.digested(a.day, db)
        state.audit(now, a.ref, f"{a.purpose} sent" + (f" to {a.agency}" if a.agency else ""), a.reason, db,
                    mail=a.mail_key)


def _attachments(svc, a: SendMail, now: datetime, language: str = "en") -> tuple:
    """Files from the case folder, and the calendar invitation, as ``(name, type, bytes)``."""
    files = []
    for path in a.attach:
        name = path.rsplit("/", 1)[-1]
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        files.append((name, kind, svc.storage.read(svc.config.reviews_library, path)))
    if a.calendar:
        from datetime import datetime as dt

        from o365flow.mail.ics import CALENDAR_MIME, learning_event_invitation
        from o365flow.mail.render import calendar_words

        cal = a.calendar
        summary, description = calendar_words(language, cal["summary"], a.ref)
        data = learning_event_invitation(
            uid=cal["uid"],
            start=dt.fromisoformat(cal["start"]).astimezone(svc.config.tz),  # shown with its time zone
            end=dt.fromisoformat(cal["end"]).astimezone(svc.config.tz),
            summary=summary,
            location=cal["location"],
            organizer=svc.config.mail.sender,
            attendees=list(cal["attendees"]),
            description=description,
            sequence=cal["sequence"],
            dtstamp=now,
        )
        files.append(("learning-event.ics", CALENDAR_MIME, data))
    return tuple(files)


def _record_signoff(svc, state: State, a: RecordSignoff, now):
    with state.tx() as db:
        state.signed_off(a.ref, a.agency, a.day, a.by, a.how, db)
        state.processed(a.message_key, now, "sign-off", db)
        state.audit(now, a.ref, f"sign-off by {a.agency} recorded ({a.day.isoformat()})", a.reason, db)
    _mark_processed(svc, a.message_key)


def _set_aside(svc, state: State, a: SetAside, now):
    with state.tx() as db:
        state.processed(a.message_key, now, a.reason, db)
        for section, text in attention_of(a):
            state.attend(now.date(), section, text, db)
        state.audit(now, a.ref or None, "reply not recorded", a.reason, db)
    _mark_processed(svc, a.message_key)


def _mark_processed(svc, key: str) -> None:
    """Tag the message in a server mailbox so staff see it was handled. The state store stays
    the authority: a failure here is logged, never a failed item."""
    if svc.inbox is None:
        return
    try:
        svc.inbox.mark_processed(key)
    except BackendError as exc:
        log.warning("could not mark a reply processed in the mailbox: %s", exc)


def _clear_for_publication(svc, state: State, a: ClearForPublication, now):
    with state.tx() as db:
        state.mark_done(a.key, now, ", ".join(a.files), db)
        state.audit(now, a.ref, "final report cleared for publication", f"{a.reason}: {', '.join(a.files)}", db)


_HANDLERS = {
    ClearForPublication: _clear_for_publication,
    RegisterCase: _register_case,
    RejectForm: _reject_form,
    ForgetForm: _forget_form,
    RecordUnreadable: _record_unreadable,
    CreateFolder: _create_folder,
    RenderDocument: _render_document,
    RestrictAccess: _restrict_access,
    RecordFinalReport: _final_report,
    SendMail: _send_mail,
    RecordSignoff: _record_signoff,
    SetAside: _set_aside,
}
_HANDLERS.update(MAIL_HANDLERS)
_HANDLERS.update(PACK_HANDLERS)
