"""Agencies' timeline returns by email. Pure.

Agencies cannot open the restricted case folder, so each member agency is sent the blank return
(attached) with a due date when the case folder is made, reminded before (and, if configured,
after) the due date in the same thread, and its senior contact told once it is
``escalate_after_days`` overdue, as for sign-off. A return sent back as a Word attachment in that
thread, from the agency's address or domain, is saved into the timelines folder (as
``<reference> <AGENCY> timeline return.docx``; a later one replaces it) and merged on the next
pass with the others. The due date is ``[timelines] request_within`` after the decision [LOCAL].
"""

from __future__ import annotations

from datetime import date, timedelta

from o365flow.core.deadlines import add_period
from o365flow.core.model import KIND_NAMES, CaseView, Stage
from o365flow.core.settings import Config
from o365flow.core.workflow import Workflow
from o365flow.plan.actions import SaveReply, SendCaseFiles, SendMail, SetAside
from o365flow.plan.context import board_context, long_date, short_date
from o365flow.plan.facts import Board
from o365flow.plan.mail import message_id

REQUEST = "timeline-request"
STALE = timedelta(days=14)


def blank_return(wf: Workflow, ref: str) -> str:
    """The blank return the decision generated, as a path in the Reviews library."""
    for doc in wf.documents:
        if doc.template.endswith("agency-timeline-return.docx"):
            return f"{ref}/{doc.folder}/{doc.name.replace('{reference}', ref)}"
    return ""


def timeline_due(config: Config, wf: Workflow, view: CaseView) -> date | None:
    if not (wf.timeline_request and view.decision_date):
        return None
    return add_period(view.decision_date, wf.timeline_request, config.closure_days)


def timeline_mail(config: Config, board: Board, view: CaseView, wf: Workflow, returned: tuple[str, ...], today: date):
    """Requests, reminders and escalations for the agencies yet to return; and digest lines."""
    due = timeline_due(config, wf, view)
    blank = blank_return(wf, view.reference)
    if due is None or not blank or view.stage is not Stage.IN_REVIEW:
        return [], []
    ref, actions, late = view.reference, [], []
    for agency in config.agencies:
        if agency.code in returned or not agency.contact:
            continue
        request_key = f"{REQUEST}/{ref}/{agency.code}"
        context = {
            **board_context(config),
            "case": {"reference": ref, "kind_name": KIND_NAMES[view.kind], "workflow_name": wf.name},
            "agency": {"code": agency.code, "name": agency.name},
            "timeline": {"due": long_date(due), "days_left": (due - today).days, "escalated": False},
            "due": long_date(due),
        }

        def mail(key, purpose, template, reason, to=(agency.contact,), cls=SendMail, **extra):
            fields = dict(mail_key=key, purpose=purpose, ref=ref, agency=agency.code, to=to, template=template,
                          context=context, message_id=message_id(config, key, ref), day=today, reason=reason,
                          in_reply_to="" if key == request_key else message_id(config, request_key, ref))
            return cls(**fields, **extra)

        if request_key not in board.done:
            if today <= due:  # a case already past its due date is not asked now
                actions.append(mail(request_key, "timeline request", REQUEST, "case folder made: timeline return requested",
                                    cls=SendCaseFiles, attach_from=(blank,)))
            continue
        point = _point(config, due, today)
        key = f"timeline-reminder/{ref}/{agency.code}/{point.isoformat()}" if point else ""
        # A reminder point passed long ago (no pass ran then) is not sent late; escalation is.
        if point and key not in board.done and today - point <= STALE:
            actions.append(mail(key, "timeline reminder", "timeline-reminder", f"timeline return due {short_date(due)}"))
        overdue = (today - due).days
        if overdue > 0:
            late.append(agency.code)
        key = f"timeline-escalation/{ref}/{agency.code}"
        if agency.senior_contact and config.escalate_after_days and overdue >= config.escalate_after_days and key not in board.done:
            context = {**context, "timeline": {**context["timeline"], "escalated": True}}
            actions.append(mail(key, "timeline escalation", "timeline-reminder",
                                f"timeline return {overdue} day(s) overdue: escalated to {agency.code}'s senior contact",
                                to=(agency.senior_contact, agency.contact)))
    lines = [f"{ref}: timeline return outstanding from {', '.join(sorted(late))} (due {short_date(due)})"] if late else []
    return actions, lines


def _point(config: Config, due: date, today: date) -> date | None:
    points = [due - timedelta(days=n) for n in config.reminder_days_before]
    points += [due + timedelta(days=n) for n in config.reminder_days_after]
    reached = [p for p in points if p <= today]
    return max(reached) if reached else None


def timeline_reply(msg, board: Board, config: Config, folders: dict[str, str]):
    """A reply in a timeline request's thread: the return saved, or set aside with the reason.
    ``folders``: reference -> the case's timelines folder. None when the message is not one."""
    threads = {
        message_id(config, f"{REQUEST}/{ref}/{a.code}", ref): (ref, a.code)
        for ref in folders
        for a in config.agencies
        if f"{REQUEST}/{ref}/{a.code}" in board.done
    }
    hit = next((threads[i] for i in (*msg.in_reply_to, *msg.references) if i in threads), None)
    if hit is None or msg.auto_submitted:
        return None
    ref, code = hit
    agency = config.agency(code)
    sender = msg.sender or "an unknown sender"
    if not agency.sends_from(msg.sender or "") or msg.authentication_failed:
        return SetAside(message_key=msg.key, ref=ref, reason="timeline return from an unexpected sender",
                        note=f"{ref}: a reply to {code}'s timeline request came from {sender}, which is not {code}'s "
                        "configured address or domain (or failed sender authentication); nothing saved")
    if not msg.attachments:
        return SetAside(message_key=msg.key, ref=ref, reason="timeline reply without a return",
                        note=f"{ref}: {code} replied to the timeline request without a Word return attached; nothing saved")
    name, data = msg.attachments[0]
    path = f"{ref}/{folders[ref]}/{ref} {code} timeline return.docx"
    extra = f" ({len(msg.attachments) - 1} further attachment(s) not saved)" if len(msg.attachments) > 1 else ""
    return SaveReply(message_key=msg.key, ref=ref, agency=code, path=path, data=data,
                     reason=f"timeline return from {code} received by email{extra}")


def timeline_folders(workflows, cases: dict, rows: dict) -> dict[str, str]:
    """reference -> timelines folder, for every case whose decision put it on a workflow with one."""
    from o365flow.plan.assess import workflow_for

    out = {}
    for ref, case in cases.items():
        decision = (rows.get(ref) or {}).get("Decision")
        wf = workflow_for(workflows, case, decision) if decision else None
        if wf and wf.timelines_folder:
            out[ref] = wf.timelines_folder
    return out
