"""The site is the record; the state store is rebuilt from it when they disagree.

Before anything is planned, the pass compares the state store with the register it has just
read. A store that was lost (deleted, a new server), restored from an older backup, or copied
from another board does not know every reference in the register, or every sign-off request
and case folder the register shows. Then the store is brought up to date from the site:

- every case in the register, with its referral form found in the Referrals library (a form
  that could be more than one case is held and named, never registered a second time);
- every reference ever given (register rows, case folders) is kept as given, so a new one
  continues after the highest and none is reused;
- case folders and commissioning documents already in the Reviews library count as made;
- sign-off requests the register shows as sent count as sent (their Message-IDs are
  deterministic, so replies to them are still recognised), with their Requested and
  Last reminder dates as the register has them;
- every other message the register's Audit sheet records by its key (escalations, timeline
  requests and reminders, invitations, learning shared, action reminders, the referrer's
  letters, submissions, the digest) counts as sent, so none goes twice, even over SMTP where
  there is no Sent Items folder to look in;
- what the register last showed in the worker's columns (a review already published).

The pass then says what it rebuilt, in its report, the log and the digest. A store from another
board is moved aside (kept, renamed) first. Comparing costs nothing when they agree: it uses the
register already read; the site is listed only when a rebuild is needed.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from o365flow.core.model import CaseRecord, Referral
from o365flow.errors import InputError, O365flowError
from o365flow.plan.facts import Board, RegisterFacts
from o365flow.worker.services import Services
from o365flow.worker.state import State, encode

log = logging.getLogger("o365flow")
REFERENCE = re.compile(r"^(?P<board>[A-Za-z0-9]+)-(?P<kind>CPR|APR|SUSR|MAPF)-(?P<year>\d{4})-(?P<seq>\d{3,})$")
ISSUED_KEY = "references.issued"


def out_of_step(board: Board, register: RegisterFacts) -> list[str]:
    """How the state store falls short of the register, one line each ([] when it does not).
    Only what the register shows the worker did is compared, so a store that is up to date
    never differs."""
    if not register.exists or register.broken:
        return []
    lines = []
    unknown = sorted(ref for ref in register.cases if ref not in board.cases and REFERENCE.match(ref))
    if unknown:
        lines.append(f"{len(unknown)} case(s) in the register unknown to the state store ({_some(unknown)})")
    requested = sorted(
        f"{ref} {code}" for (ref, code), row in register.signoffs.items()
        if row.get("Requested") and f"request/{ref}/{code}" not in board.done
    )
    if requested:
        lines.append(f"{len(requested)} sign-off request(s) in the register not recorded as sent ({_some(requested)})")
    reminded = sorted(
        f"{ref} {code}" for (ref, code), row in register.signoffs.items()
        if _day(row.get("Last reminder")) and _day(row.get("Last reminder")) > (
            (board.signoffs.get((ref, code)) and board.signoffs[(ref, code)].last_reminder) or date.min)
    )
    if reminded:
        lines.append(f"{len(reminded)} reminder(s) in the register not recorded as sent ({_some(reminded)})")
    folders = sorted(ref for ref, row in register.cases.items() if row.get("Folder") and f"folder/{ref}" not in board.done)
    if folders:
        lines.append(f"{len(folders)} case folder(s) in the register not recorded as made ({_some(folders)})")
    return lines


def foreign(board: Board, register: RegisterFacts) -> bool:
    """A store from another board (or another register): it knows cases, the register holds
    rows, and not one of them is the same case."""
    present = set(register.cases) - set(register.missing_cases)
    return bool(board.cases and register.exists and not register.broken and present and not present & set(board.cases))


def _some(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


@dataclass
class _Form:
    path: str
    etag: str
    saved_on: date
    referral: Referral | None


def rebuild(svc: Services, state: State, register: RegisterFacts, now: datetime, why: list[str]) -> list[str]:
    """Bring the state store up to date from the site; returns what was rebuilt, one line each
    (no personal data: references, counts, file names)."""
    from o365flow.plan.mail import message_id

    board = state.board()
    today = now.date()
    done: list[str] = []
    forms = _unclaimed_forms(svc, board, now)
    cases_added, held = 0, []
    with state.tx() as db:
        for ref in sorted(r for r in register.cases if r not in board.cases):
            m = REFERENCE.match(ref)
            if not m:
                continue
            row = register.cases[ref]
            received = _day(row.get("Referral received")) or today
            form, ambiguous = _match(forms, m["kind"], row, received)
            for f in ambiguous:
                problem = (f"it may be the referral form of {ref}, already in the register (the state store was "
                           "rebuilt), so it is not registered again; if it is a new referral, save it again under "
                           "another name")
                state.hold_form(f.path, f.etag, problem, db)
                held.append(f.path)
                forms.remove(f)
            referral = form.referral if form and form.referral else Referral(
                m["kind"], str(row.get("Subject initials") or ""), str(row.get("Referring agency") or ""))
            case = CaseRecord(ref, m["kind"], int(m["year"]), int(m["seq"]), form.path if form else "", received, referral,
                              final_report_seen=_day(row.get("Final report date")))
            state.add_case(case, form.etag if form else "", now, db)
            if form:
                forms.remove(form)
            cases_added += 1
        issued = _issued(svc, board, register)
        known = set(json.loads(state.get(ISSUED_KEY) or "[]"))
        if issued - known:
            state.put(ISSUED_KEY, json.dumps(sorted(known | issued)), db)
        requests = reminders = 0
        for (ref, code), row in sorted(register.signoffs.items()):
            requested, reminded = _day(row.get("Requested")), _day(row.get("Last reminder"))
            if not requested:  # written only once the request went (``plan.rows.settle``)
                continue
            if reminded and not (board.signoffs.get((ref, code)) and board.signoffs[(ref, code)].last_reminder):
                reminders += 1
            key = f"request/{ref}/{code}"
            mid = message_id(svc.config, key, ref)
            state.restore_signoff(ref, code, requested, reminded, mid, db)
            if key not in board.done:
                state.mail_known_sent(key, mid, ref, code, "request", datetime.combine(requested, now.timetz()), db)
                requests += 1
        if reminders:
            done.append(f"{reminders} reminder date(s) taken from the register")
        mails = _mail_from_audit(svc, state, board, now, db) + _submitted(svc, state, board, register, now, db)
        made = _made_in_reviews(svc, state, board, register, now, db)
        # What the register shows the worker last wrote, for the cases the store had no record of
        # (a review shown as published stays published without a second name check).
        last = {ref: {k: v for k, v in row.items() if k in _WORKER_CELLS}
                for ref, row in register.cases.items() if ref not in board.last_written}
        if last:
            state.put("register.last_written", json.dumps(encode({**board.last_written, **last})), db)
        if cases_added:
            done.append(f"{cases_added} case(s) taken from the register")
        if held:
            done.append(f"{len(held)} referral form(s) held as possibly already registered: {', '.join(held)}")
        if requests:
            done.append(f"{requests} sign-off request(s) recognised as sent, with their dates")
        if mails:
            done.append(f"{mails} other message(s) recognised as sent from the register's Audit sheet")
        if made:
            done.append(f"{made} case folder(s) and document(s) found already made")
        summary = "the state store did not match the register (" + "; ".join(why) + ") and was rebuilt from the site: " + (
            "; ".join(done) or "nothing was missing")
        state.audit(now, None, "state store rebuilt", summary, db)
        state.attend(today, "For information", summary, db)
    log.info("%s", summary)
    return [summary]


_WORKER_CELLS = ("Stage", "Review due", "Action plan sign-off due", "Next deadline", "Next deadline is", "RAG",
                 "Report submitted")


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _norm(text) -> str:
    return " ".join(str(text or "").casefold().replace(".", "").split())


def _unclaimed_forms(svc: Services, board: Board, now: datetime) -> list[_Form]:
    """The Word forms at the top of the Referrals library that no case claims yet, read."""
    from o365flow.documents.referral import read_referral_fields
    from o365flow.plan.intake import check_referral

    library = svc.config.referrals_library
    claimed = {c.source for c in board.cases.values()} | {p for p, f in board.forms.items() if f.reference}
    found = []
    for entry in svc.storage.list(library):
        if entry.is_folder or "/" in entry.path or entry.path in claimed or not entry.name.lower().endswith(".docx"):
            continue
        when = entry.modified if svc.config.backend == "local" else entry.created
        try:
            checked = check_referral(read_referral_fields(svc.storage.read(library, entry.path), entry.path),
                                     svc.config.agencies)
        except (InputError, O365flowError):
            continue  # unreadable: it never started a case; gather reports it as before
        found.append(_Form(entry.path, entry.etag, when.astimezone(now.tzinfo).date(), checked.referral))
    return sorted(found, key=lambda f: f.path)


def _match(forms: list[_Form], kind: str, row: dict, received: date) -> tuple[_Form | None, list[_Form]]:
    """The form of a register row: the one form of the same kind, subject initials and referring
    agency; of several, the one saved on the day the case was received. Otherwise none is
    guessed: the candidates are returned to be held and named."""
    same = [
        f for f in forms if f.referral and f.referral.kind == kind
        and _norm(f.referral.subject_initials) == _norm(row.get("Subject initials"))
        and _norm(f.referral.referring_agency) == _norm(row.get("Referring agency"))
    ]
    if len(same) == 1:
        return same[0], []
    on_day = [f for f in same if f.saved_on == received]
    if len(on_day) == 1:
        return on_day[0], []
    return None, same  # none (the form is gone: the register's row is enough) or ambiguous


def _issued(svc: Services, board: Board, register: RegisterFacts) -> set[str]:
    """Every reference the site shows was given: register rows and case folders."""
    refs = set(register.cases) | {ref for ref, _ in register.signoffs}
    try:
        refs |= {e.path for e in svc.storage.list(svc.config.reviews_library) if e.is_folder}
    except O365flowError:
        pass  # the register's references still hold
    return {r for r in refs if REFERENCE.match(r) and r not in board.cases}


# A mail key's first part and the purpose its message was sent for (replies to requests,
# reminders and escalations are matched by purpose).
_PURPOSES = {
    "request": "request", "reminder": "reminder", "escalation": "escalation",
    "timeline-request": "timeline request", "timeline-reminder": "timeline reminder",
    "timeline-escalation": "timeline escalation", "invite": "invitation", "share": "dissemination",
    "action": "action reminder", "ack": "acknowledgement", "decided": "decision letter", "submit": "submission",
    "digest": "digest",
}
# Keys whose third part is the agency the message went to.
_TO_AGENCY = ("request", "reminder", "escalation", "timeline-request", "timeline-reminder", "timeline-escalation",
              "invite", "share")


def _mail_from_audit(svc: Services, state: State, board: Board, now: datetime, db) -> int:
    """Every message the register's Audit sheet shows was sent, recorded as sent with its
    deterministic Message-ID: with SMTP nothing else on the site says an escalation, an
    invitation or a submission went. Returns how many the store did not know."""
    from o365flow.plan.mail import message_id
    from o365flow.register.read.audit import sent_mail_keys

    cfg = svc.config
    try:
        keys = sent_mail_keys(svc.storage.read(cfg.register_library, cfg.register_path))
    except O365flowError:
        return 0  # no register to read: nothing was recorded there
    count = 0
    for key in sorted(keys - board.done):
        parts = key.split("/")
        purpose = _PURPOSES.get(parts[0])
        if purpose is None or len(parts) < 2:
            continue  # not a key o365flow writes: left alone
        ref = parts[1] if REFERENCE.match(parts[1]) else ""
        agency = parts[2] if parts[0] in _TO_AGENCY and len(parts) > 2 else ""
        state.mail_known_sent(key, message_id(cfg, key, ref), ref, agency, purpose, now, db)
        count += 1
    return count


def _submitted(svc: Services, state: State, board: Board, register: RegisterFacts, now: datetime, db) -> int:
    """A case whose 'Report submitted' date is in the register went to every recipient
    (a register whose Audit sheet has no mail keys yet still says so)."""
    from o365flow.plan.mail import message_id
    from o365flow.plan.publication import submission_keys

    known = state.board().done  # with what the Audit sheet gave (same transaction)
    count = 0
    for ref, row in sorted(register.cases.items()):
        if not _day(row.get("Report submitted")):
            continue
        for key in submission_keys(svc.config, ref):
            if key not in known:
                state.mail_known_sent(key, message_id(svc.config, key, ref), ref, "", "submission", now, db)
                count += 1
    return count


def _made_in_reviews(svc: Services, state: State, board: Board, register: RegisterFacts, now: datetime, db) -> int:
    """Mark the case folders and commissioning documents already in the Reviews library as made."""
    from o365flow.plan.assess import workflow_for

    library, count = svc.config.reviews_library, 0
    cases = state.board().cases  # with the ones just added (same transaction)
    for ref, case in sorted(cases.items()):
        row = register.cases.get(ref) or {}
        wf = workflow_for(svc.workflows, case, row.get("Decision"))
        if not row.get("Decision") or wf is None:
            continue
        entry = svc.storage.stat(library, ref)
        if entry is None or not entry.is_folder:
            continue
        if f"folder/{ref}" not in board.done:
            state.mark_done(f"folder/{ref}", now, "found in the Reviews library", db)
            count += 1
        present = {e.path for e in svc.storage.list(library, ref, recursive=True) if not e.is_folder}
        for doc in wf.documents:
            path = f"{ref}/{doc.folder}/{doc.name.replace('{reference}', ref)}"
            if path in present and f"doc/{ref}/{doc.template}" not in board.done:
                state.mark_done(f"doc/{ref}/{doc.template}", now, "found in the Reviews library", db)
                count += 1
    return count


def reconcile(svc: Services, state: State, register: RegisterFacts, now: datetime) -> tuple[RegisterFacts, list[str]]:
    """Before planning: set a foreign store aside, rebuild one that is out of step with the
    register. Returns the register facts to plan with and what was done, one line each."""
    from o365flow.worker.registerio import read_register_facts

    lines = []
    board = state.board()
    if foreign(board, register):
        kept = state.set_aside(now)
        lines.append(f"the state store belonged to another board or register; it was kept as '{kept}' and a new one started")
        log.info("%s", lines[-1])
        register = read_register_facts(svc, state)  # read afresh, without the other store's cache
        board = state.board()
    why = out_of_step(board, register)
    if why:
        lines += rebuild(svc, state, register, now, why)
    return register, lines


def state_problems(svc: Services) -> list[str]:
    """For ``o365flow check``: how the state store differs from the register, one line each
    ([] when they match, or there is no register yet). Reads only."""
    from o365flow.worker.registerio import read_register_facts

    with State(svc.config.state_dir, readonly=True) as state:
        register = read_register_facts(svc, state)
        board = state.board()
        where = f"the state store in {svc.config.state_dir}"
        if register.broken:
            return [register.broken]
        if foreign(board, register):
            return [f"{where} belongs to another board or register; the next pass keeps it under another name and "
                    "rebuilds the state from the site (check the config's state folder if that is not what you expect)"]
        return [f"{where} does not match the register: {line}; the next pass rebuilds it from the site"
                for line in out_of_step(board, register)]


def needs_rebuild(board: Board, register: RegisterFacts) -> bool:
    """Would the next pass rebuild (or set aside) this store?"""
    return foreign(board, register) or bool(out_of_step(board, register))
