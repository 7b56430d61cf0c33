"""Sign-off requests, reminders and the coordinator's daily digest. Pure.

Message-IDs are derived from the idempotency key, so a retry after a crash sends the very same
message (contract: Guarantees) and replies can be matched back to their request.
"""

from __future__ import annotations

import hashlib
from datetime import date, time, timedelta

from o365flow.core.filelabel import file_id
from o365flow.core.settings import Config
from o365flow.core.model import KIND_NAMES, CaseView, Stage
from o365flow.plan.actions import PreparePack, RegisterCase, RejectForm, SendCaseFiles, SendMail, SetAside, WriteRegister
from o365flow.plan.context import board_context, long_date
from o365flow.plan.digest import digest_context
from o365flow.plan.facts import Board, Facts
from o365flow.plan.referral import decision_label


def message_id(config: Config, key: str, ref: str = "") -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    domain = config.mail.sender.rpartition("@")[2] or "o365flow.invalid"
    return f"<{digest}{'.' + ref if ref else ''}@{domain}>"


def _case_context(config: Config, view: CaseView, wf_name: str) -> dict:
    return {
        "reference": view.reference,
        "kind_name": KIND_NAMES[view.kind],
        "workflow_name": wf_name,
        "folder_link": "",  # filled at apply time from the storage backend (for the panel's own mail)
        "signoff_due": long_date(view.signoff_due),
    }


# What a sign-off request can attach, and where in the case folder it is found.
_ATTACHABLE = {"action plan": "action_plan_folder", "final report": "final_report_folder"}


def signoff_attachments(wf, ref: str) -> tuple[tuple[str, ...], list[str]]:
    """The folders whose document a sign-off request attaches, and what they are called."""
    folders, names = [], []
    for what in (wf.signoff_attach if wf else ("action plan",)):
        folder = getattr(wf, _ATTACHABLE[what], "") if wf else ""
        if folder:
            folders.append(f"{ref}/{folder}")
            names.append(f"the {what}")
    return tuple(folders), names


def signoff_mail(config: Config, board: Board, view: CaseView, today: date, wf=None) -> list[SendMail]:
    """Per outstanding signer (each agency, or the workflow's Case Review Group): one request
    when the final report is known, with the action plan (and, when the workflow says so, the
    final report) attached; then reminders before (and, if configured, after) the due date in
    the same thread, and one escalation to an agency's senior contact. A group without member
    addresses is sent nothing: the coordinator types its sign-off in the register."""
    actions = []
    ref = view.reference
    folders, attached = signoff_attachments(wf, ref)
    for code in sorted(view.signoffs):
        agency = config.agency(code)
        if view.signoffs[code] or agency is None:
            continue
        recipients = agency.members or ((agency.contact,) if agency.contact else ())
        if not recipients:
            continue
        request_key = f"request/{ref}/{code}"
        record = board.signoffs.get((ref, code))
        context = {
            **board_context(config),
            "case": _case_context(config, view, wf.name if wf else KIND_NAMES[view.kind]),
            "agency": {"code": agency.code, "name": agency.name},
            "reply_phrase": config.mail.approval_phrases[0],
            "attached": attached,
            "requested": long_date(record.requested if record else None) or "the business unit",
        }

        def mail(key: str, purpose: str, template: str, reason: str, **extra) -> SendMail:
            fields = dict(
                mail_key=key,
                purpose=purpose,
                ref=ref,
                agency=code,
                to=extra.pop("to", recipients),
                template=template,
                context={**context, **extra},
                message_id=message_id(config, key, ref),
                in_reply_to="" if purpose == "request" else message_id(config, request_key, ref),
                day=today,
                reason=reason,
            )
            if purpose in ("request", "escalation") and folders:
                return SendCaseFiles(**fields, attach_from=folders)
            return SendMail(**fields)

        if request_key not in board.done:
            actions.append(mail(request_key, "request", "signoff-request", "final report date known: action plan sign-off requested"))
            continue
        point = _reminder_point(config, view.signoff_due, today, record.requested if record else None)
        if point and not (record and record.last_reminder and record.last_reminder >= point):
            key = f"reminder/{ref}/{code}/{point.isoformat()}"
            if key not in board.done:
                days_left = (view.signoff_due - today).days
                when = f"{days_left} day(s) before" if days_left >= 0 else f"{-days_left} day(s) after"
                actions.append(
                    mail(key, "reminder", "signoff-reminder", f"reminder {when} the sign-off due date", days_left=days_left)
                )
        overdue = (today - view.signoff_due).days if view.signoff_due else -1
        key = f"escalation/{ref}/{code}"
        if agency.senior_contact and config.escalate_after_days and overdue >= config.escalate_after_days and key not in board.done:
            actions.append(
                mail(
                    key,
                    "escalation",
                    "signoff-escalation",
                    f"sign-off {overdue} day(s) overdue: escalated to {code}'s senior contact",
                    to=(agency.senior_contact, agency.contact),
                    days_overdue=overdue,
                )
            )
    return actions


def held_notices(board: Board, actions) -> list[str]:
    """Why a message carrying documents was held on an earlier pass (an attachment that may name
    someone, or nothing to attach), said on every pass, and so in the digest, until it goes."""
    lines = []
    for a in actions:
        if isinstance(a, SendCaseFiles):
            prefix = f"held/{a.mail_key}#"
            lines += [f"{a.ref}: the {a.purpose} to {a.agency or 'its recipients'} was held on the last pass: {k[len(prefix):]}"
                      for k in sorted(board.done_under(prefix))]
    return lines


def _reminder_point(config: Config, due: date | None, today: date, requested: date | None) -> date | None:
    """The latest reminder point (due - N days before, due + N days after) reached by today, if
    it came after the request."""
    if due is None:
        return None
    points = [due - timedelta(days=n) for n in config.reminder_days_before]
    points += [due + timedelta(days=n) for n in config.reminder_days_after]
    reached = [p for p in points if p <= today]
    if not reached:
        return None
    point = max(reached)
    if requested and point <= requested:
        return None
    return point


def digest_action(config: Config, board: Board, plan, facts: Facts, extra=()) -> SendMail | None:
    """At most one digest a day, from the first pass at or after ``digest_time``."""
    today = facts.today
    key = f"digest/{today.isoformat()}"
    hh, mm = (int(x) for x in config.digest_time.split(":"))
    if key in board.done or facts.now.timetz().replace(tzinfo=None) < time(hh, mm):
        return None
    attention = [(item.section, item.text) for item in board.attention]
    actions = [*plan.actions, *extra]
    attention += [pair for a in actions for pair in attention_of(a)]
    attention += [("Waiting on a person", n.text) for n in plan.notices if n.failed]
    attention += list(plan.digest_items)
    digest = digest_context(config, board, plan, actions, attention, today)
    if digest is None:
        return None
    context = {**board_context(config), "digest": digest}
    return SendMail(
        mail_key=key,
        purpose="digest",
        to=(config.coordinator_email,),
        template="digest",
        context=context,
        message_id=message_id(config, key),
        day=today,
        reason="daily digest to the coordinator",
    )


def attention_of(action) -> list[tuple[str, str]]:
    """What an action puts in front of the coordinator (no personal data)."""
    if isinstance(action, RegisterCase):
        kind = KIND_NAMES[action.case.kind]
        hint = f"; suggested: {decision_label(action.suggested)}" if action.suggested else ""
        items = [("New cases", f"{action.ref} ({kind}) registered from referral form {file_id(action.case.source)}{hint}; record the Chair's decision in the register")]
        items += [("Waiting on a person", f"{action.ref}: {f}") for f in action.flags]
        return items + [("For information", f"{action.ref}: {w}") for w in action.warnings]
    if isinstance(action, RejectForm):
        return []  # listed as a current problem (a notice) until the form is fixed
    if isinstance(action, SetAside) and action.note:
        return [("Waiting on a person", action.note)]
    if isinstance(action, SendMail) and action.purpose == "escalation":
        days = action.context.get("days_overdue")
        return [("For information", f"{action.ref}: sign-off by {action.agency} is {days} days overdue; its senior contact has been told")]
    if isinstance(action, SendMail) and action.purpose == "submission":
        return [("For information", f"{action.ref}: the final report and action plan are being sent to {action.audience}")]
    if isinstance(action, PreparePack):
        return [("For information", f"{action.ref}: the Wales Safeguarding Repository pack is being put together in "
                 f"'{action.folder.split('/', 1)[-1]}'; check it against its checklist and upload it")]
    if isinstance(action, SendMail) and action.purpose == "dissemination":
        what = action.context.get("share", {}).get("what", "learning")
        return [("For information", f"{action.ref}: the {what} was sent to {action.agency}'s dissemination list")]
    if isinstance(action, WriteRegister):
        return [("For information", f"register: {r} was edited by hand in a column o365flow fills; restored") for r in action.restored] + [
            ("For information", f"register: {r} was deleted; it has been put back with the values it last had "
             "(to end a case, type its Closed date instead)")
            for r in action.reinstated
        ]
    return []
