"""Gather: what changed since the last pass -- referral forms, final reports, the register, the
inbox. The only part of a pass that reads the outside world before the plan is made, and it only
reads: what the pass must remember (cursors, caches, forms gone, unreadable messages) goes into
the facts, for the plan to decide and apply (or the worker, after apply) to record. Which
folders are worth reading is decided by pure functions of the plan (``o365flow.plan.needs``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from o365flow.core.filelabel import file_id, file_label
from o365flow.errors import InputError, O365flowError
from o365flow.plan import needs
from o365flow.plan.facts import Board, Facts, FormFact, RegisterFacts
from o365flow.worker.cursors import INBOX_CURSOR, library_cursor
from o365flow.worker.registerio import read_register_facts
from o365flow.worker.services import Services
from o365flow.worker.state import State

if TYPE_CHECKING:
    from o365flow.worker.casefiles import CaseFiles

REPORT_SUFFIXES = (".docx", ".pdf")


def gather(svc: Services, state: State, board: Board, now: datetime, register: RegisterFacts | None = None) -> Facts:
    """Everything the plan needs; ``register``: the register's facts when already read."""
    from o365flow.worker import casefiles as folders, folderdocs as casedocs  # not needed by ``status``, which reads only the register

    keep: dict[str, str] = {}
    register = register if register is not None else read_register_facts(svc, state)
    files = folders.refresh(svc, state)
    keep.update(files.keep)
    # While the register cannot be used new referrals wait, unread (their cursor stays put).
    forms, gone = ([], ()) if register.broken else referral_forms(svc, state, board, now, keep)
    messages, unreadable, inbox_cursor = unprocessed_messages(svc, state)
    return Facts(
        now=now,
        forms=tuple(forms),
        forms_gone=gone,
        register=register,
        final_reports=final_reports(svc, board, register, files, now),
        messages=tuple(messages),
        inbox_cursor=inbox_cursor,
        unreadable=unreadable,
        publication=publication_checks(svc, board, register),
        referrers=referrer_addresses(svc, board, register, now),
        shares=files_to_share(svc, board, register, files, now),
        timelines=casedocs.timelines(svc, state, board, register, files, keep),
        actions=casedocs.action_plans(svc, state, board, register, files, keep),
        actions_written=json.loads(state.get("actions.written") or "{}"),
        keep=keep,
    )


def _saved_on(svc: Services, entry, now: datetime):
    # Contract: the local site counts a form's modification time, SharePoint its creation time.
    when = entry.modified if svc.config.backend == "local" else entry.created
    return when.astimezone(now.tzinfo).date()


def referral_forms(svc: Services, state: State, board: Board, now: datetime, keep: dict) -> tuple[list[FormFact], tuple[str, ...]]:
    """New or changed forms in the Referrals library, and the rejected forms that have gone from
    it; the library's new change cursor goes in ``keep``."""
    library = svc.config.referrals_library
    cursor_key = library_cursor(library)
    changes = svc.storage.changes(library, state.get(cursor_key))
    forms = []
    for entry in changes.entries:
        if entry.is_folder or "/" in entry.path:
            continue  # forms are read from the library's top level; subfolders are people's own
        known = board.forms.get(entry.path)
        if known and (known.reference or known.etag == entry.etag):
            continue
        source = file_label(library, entry.path)  # people name forms after people: never the name
        if not entry.name.lower().endswith(".docx"):
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), None,
                                  f"{source} is not a Word .docx form; save it as a Word Document (.docx)"))
            continue
        from o365flow.documents.referral import read_referral_fields  # only when a form is read

        try:
            fields = read_referral_fields(svc.storage.read(library, entry.path), source)
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), fields))
        except InputError as exc:
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), None, str(exc)))
    # A rejected form that has gone (deleted or moved away) is no longer reported.
    present = {e.path for e in changes.entries} if changes.complete else None
    gone = tuple(sorted(
        path for path, known in board.forms.items()
        if not known.reference and (path in changes.deleted or (present is not None and path not in present))
    ))
    if changes.cursor:
        keep[cursor_key] = changes.cursor
    return forms, gone


def final_reports(svc: Services, board: Board, register: RegisterFacts, files: CaseFiles, now: datetime) -> dict:
    """The first day a report appeared in each waiting case's final-report folder."""
    found = {}
    for ref, folder in needs.final_report_folders(svc.workflows, board, register).items():
        reports = files.in_folder(ref, folder, REPORT_SUFFIXES)
        if reports:
            found[ref] = min(min(e.created, e.modified) for e in reports).astimezone(now.tzinfo).date()
    return found


def publication_checks(svc: Services, board: Board, register: RegisterFacts) -> dict:
    """The anonymisation check of each review whose Published date waits for one."""
    from o365flow.worker.namecheck import ReportCheck, check_report

    checks = {}
    for ref, wf in needs.publication_checks_due(svc.workflows, board, register).items():
        try:
            checks[ref] = check_report(svc, board.cases[ref], wf)
        except O365flowError as exc:
            checks[ref] = ReportCheck(ref, problem=f"the final report could not be checked: {exc}")
    return checks


def files_to_share(svc: Services, board: Board, register: RegisterFacts, files: CaseFiles, now: datetime) -> dict:
    """Files saved in the share folder of each case that has reached its share stage and has not
    yet been shared with every agency, each with what the name check found in it."""
    from o365flow.plan.learning import ShareFile
    from o365flow.worker.namecheck import find_in, names_for

    waiting = {}
    for ref, folder in needs.share_folders(svc.config, svc.workflows, board, register).items():
        candidates = files.in_folder(ref, folder, REPORT_SUFFIXES)
        if candidates:  # nothing saved to share: no need to work out the case's stage
            waiting[ref] = candidates
    found = {}
    for ref in sorted(needs.ready_to_share(svc.config, svc.workflows, board, register, waiting, now.date())):
        candidates = waiting[ref]
        # A Word file is checked for names before it goes out; a PDF cannot be read for them.
        # Every file's name is checked too: it travels as the attachment's name.
        from o365flow.documents.anonymise import names_in_text  # only when there is something to share

        case = board.cases[ref]
        names, notes = names_for(svc, case)
        checked, _ = find_in(svc, case, [e for e in candidates if e.name.lower().endswith(".docx")], names)
        found[ref] = tuple(
            ShareFile(e.path, e.name, (*notes, *checked[e.path]) if e.path in checked else tuple(
                f"file {file_id(e.path)} its file name: {label}" for label in names_in_text(e.name, names)))
            for e in candidates
        )
    return found


def unprocessed_messages(svc: Services, state: State) -> tuple[list, tuple[str, ...], str | None]:
    """Replies not yet processed, the lines about unreadable messages not yet reported, and (for a
    server mailbox, asked only for what arrived since the last pass) its new cursor, for the
    worker to keep once every reply is handled."""
    from o365flow.mail.base import IncrementalInbox

    cursor = None
    if isinstance(svc.inbox, IncrementalInbox):
        changes = svc.inbox.changes(state.get(INBOX_CURSOR))
        messages, bad, cursor = changes.messages, changes.problems, changes.cursor
    else:
        messages, bad = svc.inbox.fetch()
    done = state.processed_keys()
    fresh = [m for m in messages if m.key not in done]
    unreadable = tuple(dict.fromkeys(line for line in bad if "bad:" + line not in done))
    return fresh, unreadable, cursor


def referrer_addresses(svc: Services, board: Board, register: RegisterFacts, now: datetime) -> dict:
    """The referrer's address of each case whose decision letter is due, read from its referral
    form in the library: the site is the record, and the state store keeps no contact details."""
    from o365flow.plan.referrer import decision_letter_due

    found = {}
    for ref, case in board.cases.items():
        if case.referral.referrer_email or not decision_letter_due(case, register.cases.get(ref), board, now.date()):
            continue
        from o365flow.documents.referral import read_referral_fields  # only when a letter is due

        try:
            fields = read_referral_fields(svc.storage.read(svc.config.referrals_library, case.source),
                                          file_label(svc.config.referrals_library, case.source))
        except O365flowError:
            continue  # the form is gone or unreadable: no letter (the register still shows the decision)
        found[ref] = (fields.get("referrer_email") or "").strip()
    return found
