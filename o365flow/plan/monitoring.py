"""Action plan monitoring by email [PRACTICE]. Pure.

Once the action plan is signed off, the lead agency of each action not yet complete is reminded
before its target date (``[reminders] days_before``) and the day after it passes (and
``days_after`` later). A reply to a reminder from that agency's address or domain is recorded
against the action: its first line starting "Complete" (or "Completed", "Done") completes it;
anything else is progress. What was said (at most 300 characters, with the subject's initials
blacked out) shows on the register's Actions sheet: Progress "Complete", or the reply with its
date, and Evidence of outcome; reminders stop for a completed action. The record lives in the
state store under ``progress/<reference>/<item>/<day>/<status>#<text>`` and wins over the
document's Progress until the action plan document itself says complete.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from o365flow.core.model import CaseRecord, CaseView, Stage
from o365flow.core.settings import Config
from o365flow.plan.actions import RecordProgress, SendMail
from o365flow.plan.casedocs import DONE_WORDS
from o365flow.plan.context import board_context, long_date, short_date
from o365flow.plan.facts import Board
from o365flow.plan.mail import message_id
from o365flow.plan.replies import quote_reply

MONITORED = (Stage.SIGNED_OFF, Stage.PUBLISHED)
RECENT = timedelta(days=14)  # a reminder point older than this is not sent late
_COMPLETE = re.compile(r"^\s*(complete|completed|done)\b", re.IGNORECASE)


def progress(board: Board, ref: str) -> dict:
    """item -> (day, status, text) of the latest reply recorded against it."""
    latest = {}
    prefix = f"progress/{ref}/"
    for key in board.done_under(prefix):
        head, _, text = key.partition("#")
        item, day, status = head[len(prefix):].split("/")[:3]
        if item not in latest or day >= latest[item][0]:
            latest[item] = (day, status, text)
    return latest


def lead_of(config: Config, row: dict):
    """The configured agency a row's Lead agency names (code or name, whole words), if one."""
    lead = " ".join(str(row.get("Lead agency") or "").lower().split())
    for a in config.agencies:
        if lead and (lead == a.code.lower() or lead == " ".join(a.name.lower().split())
                     or re.search(rf"\b{re.escape(a.code.lower())}\b", lead)):
            return a
    return None


def _points(config: Config, target: date) -> list[date]:
    return sorted({target - timedelta(days=n) for n in config.reminder_days_before}
                  | {target + timedelta(days=1)} | {target + timedelta(days=n) for n in config.reminder_days_after})


def _key(ref: str, item, point: date) -> str:
    return f"action/{ref}/{item}/{point.isoformat()}"


def action_mail(config: Config, board: Board, case: CaseRecord, view: CaseView, rows, today: date) -> list[SendMail]:
    if view.stage not in MONITORED:
        return []
    ref, done = view.reference, progress(board, view.reference)
    out = []
    for row in rows or ():
        target, item = row.get("Target date"), row.get("Item")
        if not target or DONE_WORDS.search(str(row.get("Progress") or "")) or done.get(str(item), ("", ""))[1] == "complete":
            continue
        agency = lead_of(config, row)
        reached = [p for p in _points(config, target) if p <= today]
        if agency is None or not agency.contact or not reached or today - reached[-1] > RECENT:
            continue
        key = _key(ref, item, reached[-1])
        if key in board.done:
            continue
        days_left = (target - today).days
        context = {
            **board_context(config),
            "case": {"reference": ref},
            "agency": {"code": agency.code, "name": agency.name},
            "action": {"item": item, "text": quote_reply(str(row.get("Action") or ""), case.referral.subject_initials),
                       "target": short_date(target), "days_left": days_left},
            "due": long_date(target),
        }
        out.append(SendMail(mail_key=key, purpose="action reminder", ref=ref, agency=agency.code, to=(agency.contact,),
                            template="action-reminder", context=context, message_id=message_id(config, key, ref), day=today,
                            reason=f"action {item}: target date {short_date(target)}"
                            + (" passed" if days_left < 0 else f" in {days_left} day(s)")))
    return out


def action_reply(msg, board: Board, config: Config, actions: dict, today: date):
    """A reply to an action reminder: progress (or completion) recorded, else None."""
    threads = {}
    for ref, facts in actions.items():
        for row in facts.rows:
            if row.get("Target date"):
                for p in _points(config, row["Target date"]):
                    threads[message_id(config, _key(ref, row["Item"], p), ref)] = (ref, row)
    hit = next((threads[i] for i in (*msg.in_reply_to, *msg.references) if i in threads), None)
    if hit is None or msg.auto_submitted:
        return None
    ref, row = hit
    agency = lead_of(config, row)
    case = board.cases.get(ref)
    if agency is None or not agency.sends_from(msg.sender or "") or msg.authentication_failed or case is None:
        from o365flow.plan.actions import SetAside

        return SetAside(message_key=msg.key, ref=ref, reason="action reply from an unexpected sender",
                        note=f"{ref}: a reply about action {row['Item']} came from {msg.sender or 'an unknown sender'}, "
                        "not its lead agency's configured address or domain; nothing recorded")
    said = quote_reply(msg.body_text or msg.first_line, case.referral.subject_initials).replace("#", " ")
    day = min(msg.date.astimezone(config.tz).date(), today) if msg.date else today
    status = "complete" if _COMPLETE.match(msg.first_line or "") else "progress"
    return RecordProgress(message_key=msg.key, ref=ref, agency=agency.code, item=str(row["Item"]), day=day,
                          status=status, text=said, reason=f"reply from {agency.code} about action {row['Item']}")


def overlay(rows, board: Board, ref: str) -> tuple:
    """The Actions sheet rows with what lead agencies replied: Progress "Complete" or the reply
    with its date, and the reply in Evidence of outcome. The document wins once it says done."""
    said = progress(board, ref)
    out = []
    for row in rows:
        got = said.get(str(row.get("Item")))
        if got and not DONE_WORDS.search(str(row.get("Progress") or "")):
            day, status, text = got
            when = f"{day[8:10]}/{day[5:7]}/{day[:4]}"
            row = {**row, "Progress": "Complete" if status == "complete" else f"{text} (by email {when})",
                   "Evidence of outcome": f"{text} (by email {when})" if status == "complete" else row.get("Evidence of outcome")}
        out.append(row)
    return tuple(out)
