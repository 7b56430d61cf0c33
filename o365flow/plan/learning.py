"""Sharing what a case taught: the learning event invitation and the dissemination of the
learning summary or 7 minute briefing to every agency, each once. Pure.

An invitation goes to each agency's contact when the register's 'Learning event date' is set
(and is today or later); moving the date sends an update of the same calendar event (same UID,
next SEQUENCE), so Outlook moves the meeting rather than adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from o365flow.core.filelabel import file_id, unsafe_name_rule
from o365flow.core.settings import Config
from o365flow.core.model import KIND_NAMES, CaseView, Stage
from o365flow.core.workflow import Workflow
from o365flow.plan.actions import SendCaseFiles, SendMail
from o365flow.plan.context import board_context, long_date
from o365flow.plan.facts import Board
from o365flow.plan.mail import message_id
from o365flow.errors import quoted


@dataclass(frozen=True)
class ShareFile:
    """A file a person saved in a case's share folder, and what the name check found in it."""

    path: str  # in the Reviews library
    name: str
    findings: tuple[str, ...] = ()  # name-free lines (see o365flow.worker.namecheck)


def reached(view: CaseView, wf: Workflow, stage_id: str) -> bool:
    """Has the case reached ``stage_id`` on its workflow (and is still open)?"""
    stages = wf.stages
    return view.stage is not Stage.CLOSED and stage_id in stages and stages.index(view.stage.value) >= stages.index(stage_id)


def share_mail(config: Config, board: Board, view: CaseView, wf: Workflow, files: tuple[ShareFile, ...], today: date):
    """One message per agency with the files attached; nothing while any file names someone."""
    ref = view.reference
    # A name with control or direction-changing characters never reaches a mail: that file is
    # left out and named (escaped); the others are still shared.
    refused = [f"{ref}: the file {_shown(f)} in the share folder {unsafe_name_rule(f.name)}; it is not "
               "shared: rename it and send it yourself" for f in files if unsafe_name_rule(f.name)]
    files = tuple(f for f in files if not unsafe_name_rule(f.name))
    if not files:
        return [], refused
    flagged = [f for f in files if f.findings]
    if flagged:
        lines = "; ".join(line for f in flagged for line in f.findings[:3])
        return [], [*refused, f"{ref}: the {wf.share.what} to share may identify someone ({lines}); it is not sent until the file is put right"]
    actions = []
    for agency in config.agencies:
        key = f"share/{ref}/{agency.code}"
        if key in board.done or not agency.dissemination:
            continue
        context = {**_context(config, view, wf, agency), "share": {"what": wf.share.what, "files": [f.name for f in files]}}
        # Attached at apply time after the marking check: a file still marked "not for onward
        # circulation" (or another marking the board lists) is held and the coordinator told.
        actions.append(
            SendCaseFiles(
                mail_key=key,
                purpose="dissemination",
                ref=ref,
                agency=agency.code,
                to=agency.dissemination,
                template="learning-share",
                context=context,
                message_id=message_id(config, key, ref),
                day=today,
                attach_from=tuple(f.path for f in files),
                withhold_markings=config.withhold_markings,
                reason=f"{wf.share.what} ready to share ({view.stage.label.lower()})",
            )
        )
    return actions, refused


def _shown(f: ShareFile) -> str:
    """The file's name, escaped; a short id instead when the name itself names someone."""
    if any(" its file name: " in line for line in f.findings):
        return f"(id {file_id(f.path)})"
    return quoted(f.name, 60)


def invitation_mail(config: Config, board: Board, view: CaseView, wf: Workflow, event_day: date | None, today: date):
    """The learning event invitation, or its update when the date moved, to each agency."""
    if event_day is None or event_day < today or view.stage is Stage.CLOSED:
        return []
    ref = view.reference
    start, end, location = _event_times(config, event_day)
    actions = []
    for agency in config.agencies:
        key = f"invite/{ref}/{agency.code}/{event_day.isoformat()}"
        if key in board.done:
            continue
        earlier = len(board.done_under(f"invite/{ref}/{agency.code}/"))
        domain = config.mail.sender.rpartition("@")[2] or "o365flow.invalid"
        event = {"date": long_date(event_day), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}",
                 "location": location, "changed": earlier > 0,
                 "online_link": str(config.learning_events.get("online_link", ""))}
        context = {**_context(config, view, wf, agency), "event": event}
        actions.append(
            SendMail(
                mail_key=key,
                purpose="invitation",
                ref=ref,
                agency=agency.code,
                to=(agency.contact,),
                template="learning-event-invitation",
                context=context,
                message_id=message_id(config, key, ref),
                day=today,
                calendar={
                    "uid": f"learning-event-{ref.lower()}@{domain}",
                    "sequence": earlier,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "summary": f"Learning event \u2013 {ref}",
                    "location": location,
                    "attendees": [agency.contact],
                },
                reason="learning event date recorded" if not earlier else "learning event date changed",
            )
        )
    return actions


def _context(config: Config, view: CaseView, wf: Workflow, agency) -> dict:
    """What every message to an agency about a case may say: no names, no circumstances."""
    return {
        **board_context(config),
        "case": {"reference": view.reference, "kind_name": KIND_NAMES[view.kind], "workflow_name": wf.name},
        "agency": {"code": agency.code, "name": agency.name},
    }


def _event_times(config: Config, day: date) -> tuple[datetime, datetime, str]:
    events = config.learning_events
    start = time.fromisoformat(events.get("start", "10:00"))
    end = time.fromisoformat(events.get("end", "13:00"))
    return (
        datetime.combine(day, start, config.tz),
        datetime.combine(day, end, config.tz),
        str(events.get("location", "")) or "to be confirmed",
    )
