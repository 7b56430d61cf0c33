"""After the Board approves a review, and when it is published. Pure.

- Submission [PRACTICE]: once the Board approval date is typed, the final report and the action
  plan are sent (attached, name-checked) to the Welsh Ministers and the National Independent
  Safeguarding Board, and to any inspectorate the board's ``[submission]`` names, with the
  covering letter ``submission``; each is recorded in the Audit sheet with its date, and the
  register's Cases column "Report submitted" shows the day the last of them went.
- The Wales Safeguarding Repository pack [PRACTICE]: once published, the published report, the
  7 minute briefing, the action plan and a metadata file (reference, kind, dates, agencies) are
  put together in the case folder with a checklist of what the repository asks for. There is no
  upload: the coordinator uploads the pack.

Only events of the last ``RECENT`` days are acted on, so a board that starts using o365flow with
reviews already approved does not send them again.
"""

from __future__ import annotations

from datetime import date, timedelta

from o365flow.core.model import KIND_NAMES, CaseRecord, CaseView, Stage
from o365flow.core.settings import Config
from o365flow.core.workflow import Workflow
from o365flow.plan.actions import PreparePack, SendCaseFiles
from o365flow.plan.context import board_context, long_date
from o365flow.plan.facts import Board
from o365flow.plan.mail import message_id

RECENT = timedelta(days=30)
PACK_FOLDER = "Wales Safeguarding Repository pack"
RECIPIENTS = (("welsh_ministers", "the Welsh Ministers"), ("nisb", "the National Independent Safeguarding Board"))


def _targets(config: Config) -> list[tuple[str, str, str | None]]:
    """(key, who, address) for each recipient of a submission, configured or not."""
    targets = [(key, name, config.submission.get(key)) for key, name in RECIPIENTS]
    return targets + [(f"inspectorate{i}", "the inspectorate", addr)
                      for i, addr in enumerate(config.submission.get("inspectorates", ()), 1)]


def submission_keys(config: Config, ref: str) -> list[str]:
    """The mail keys of a case's submissions, one for each configured recipient."""
    return [f"submit/{ref}/{key}" for key, _, address in _targets(config) if address]


def submission_mail(config: Config, board: Board, view: CaseView, wf: Workflow, row: dict | None, today: date):
    """The approved report and action plan to each recipient, once; and a notice when no
    recipient is configured."""
    approved = (row or {}).get("Board approval date")
    if wf.shape != "review" or not approved or view.stage is Stage.CLOSED or today - approved > RECENT:
        return [], []
    ref = view.reference
    targets = _targets(config)
    missing = [name for key, name, addr in targets if not addr and not key.startswith("inspectorate")]
    notices = [f"{ref}: approved by the Board, but [submission] in the config has no address for {' or '.join(missing)}; "
               "send the report and action plan yourself, or add the address"] if missing else []
    folders = tuple(f"{ref}/{f}" for f in (wf.final_report_folder, wf.action_plan_folder) if f)
    actions = []
    for key, name, address in targets:
        mail_key = f"submit/{ref}/{key}"
        if not address or mail_key in board.done:
            continue
        context = {
            **board_context(config),
            "case": {"reference": ref, "kind_name": KIND_NAMES[view.kind], "workflow_name": wf.name,
                     "approved": long_date(approved), "final_report_date": long_date(view.final_report_date)},
            "recipient": name,
            "decision": (row or {}).get("Decision") or "",
        }
        actions.append(SendCaseFiles(
            mail_key=mail_key, purpose="submission", ref=ref, to=(address,), template="submission", context=context,
            message_id=message_id(config, mail_key, ref), day=today, attach_from=folders, audience=name,
            reason=f"Board approval {approved.isoformat()}: report and action plan submitted to {name}",
        ))
    return actions, notices


def repository_pack(config: Config, board: Board, case: CaseRecord, view: CaseView, wf: Workflow, row: dict | None,
                    agencies: tuple[str, ...], today: date, shared: bool = True):
    """The pack for the Wales Safeguarding Repository, once, when the review is published; or,
    while the briefing is not yet saved in the share folder (``shared`` False), a line saying
    what it waits for."""
    row = row or {}
    published = row.get("Published date")
    ref = case.reference
    if wf.shape != "review" or view.stage is not Stage.PUBLISHED or f"pack/{ref}" in board.done:
        return []
    if not published or today - published > RECENT or not wf.pack_folder:
        return []
    if wf.share and not shared:
        return [f"{ref}: the Wales Safeguarding Repository pack waits for the {wf.share.what} in '{wf.share.folder}'"]
    names = {a.code: a.name for a in config.agencies}
    metadata = {
        "reference": ref,
        "board": config.board_name,
        "kind": case.kind,
        "kind_name": KIND_NAMES[case.kind],
        "review": wf.name,
        "decision": row.get("Decision") or "",
        "dates": {
            "referral_received": case.referral_received.isoformat(),
            "decision": _iso(row.get("Decision date")),
            "final_report": _iso(view.final_report_date),
            "board_approval": _iso(row.get("Board approval date")),
            "published": _iso(published),
        },
        "agencies": [names.get(c, c) for c in agencies] or sorted(names.values()),
        "themes": [],  # the coordinator adds the learning themes the repository asks for
    }
    sources = (
        ("published report", f"{ref}/{wf.final_report_folder}"),
        *(((wf.share.what, f"{ref}/{wf.share.folder}"),) if wf.share else ()),
        ("action plan", f"{ref}/{wf.action_plan_folder}"),
    )
    return [PreparePack(ref=ref, folder=f"{ref}/{wf.pack_folder}/{PACK_FOLDER}", sources=sources, metadata=metadata,
                        reason=f"published {published.isoformat()}: pack for the Wales Safeguarding Repository")]


def _iso(day) -> str:
    return day.isoformat() if day else ""
