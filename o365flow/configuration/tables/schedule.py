"""``[reminders]`` and ``[learning_events]``: when the worker reminds, and what it invites to."""

from __future__ import annotations

from dataclasses import dataclass

from o365flow.configuration.checks import shown, Problems, Table
from o365flow.core.settings import LearningEventSettings


@dataclass(frozen=True)
class RemindersTable:
    days_before: tuple[int, ...]
    days_after: tuple[int, ...]
    escalate_after_days: int
    amber_days: int
    digest_time: str


def reminders(problems: Problems, raw: object) -> RemindersTable:
    t = Table(problems, "reminders", raw, ("days_before", "days_after", "escalate_after_days", "amber_days", "digest_time"))
    before = t.days("days_before", [7, 0], 0, "a list of whole days, e.g. [7, 0]")
    after = t.days("days_after", [], 1, "a list of whole days after the due date, e.g. [3, 10]")
    return RemindersTable(
        days_before=tuple(sorted(set(before), reverse=True)),
        days_after=tuple(sorted(set(after))),
        escalate_after_days=t.whole("escalate_after_days", 14, fix="a whole number of days (0 turns escalation off)"),
        amber_days=t.whole("amber_days", 14, maximum=366, fix="a whole number of days, e.g. 14"),
        digest_time=t.hhmm("digest_time", "00:00"),
    )


def learning_events(problems: Problems, raw: object) -> LearningEventSettings:
    t = Table(problems, "learning_events", raw, ("start", "end", "location", "online_link"))
    start, end = t.hhmm("start", "10:00"), t.hhmm("end", "13:00")
    if start >= end:
        t.bad("end", "must be after learning_events.start")
        start, end = "10:00", "13:00"
    link = t.text("online_link", "")
    if link and not link.startswith("https://"):
        t.bad("online_link", f"{shown(link)} must be an https:// link, e.g. the meeting's Teams link")
        link = ""
    return LearningEventSettings(start=start, end=end, location=t.text("location", ""), online_link=link)
