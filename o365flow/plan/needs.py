"""What a pass must look at before it can plan, as pure functions of the board and the register.

Gather reads the outside world; these decide which parts of it are worth reading (which case's
final-report folder to look in, which final report to check for names, which share folder's
files to check before they go out), with the same rules ``plan()`` applies afterwards, so the
two can never disagree and gather holds no planning logic of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from o365flow.core.settings import Config
from o365flow.core.workflow import Workflow
from o365flow.plan.assess import awaits_publication_check, view_case, workflow_for
from o365flow.plan.facts import Board, RegisterFacts
from o365flow.plan.learning import reached


def signed_dates(board: Board, register: RegisterFacts) -> dict:
    """Sign-off dates by (reference, agency): a date a person typed in the register wins over
    one the worker recorded."""
    signed = {key: rec.signed_off for key, rec in board.signoffs.items()}
    for key, row in register.signoffs.items():
        if row.get("Signed off"):
            signed[key] = row["Signed off"]
    return signed


def final_report_folders(workflows: dict[str, Workflow], board: Board, register: RegisterFacts) -> dict[str, str]:
    """reference -> the final-report folder of each decided case whose final report date is not
    known yet (neither typed in the register nor seen by the worker)."""
    folders = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        if case.final_report_seen or row.get("Final report date") or not row.get("Decision"):
            continue
        wf = workflow_for(workflows, case, row.get("Decision"))
        if wf and wf.final_report_folder:
            folders[ref] = wf.final_report_folder
    return folders


def publication_checks_due(workflows: dict[str, Workflow], board: Board, register: RegisterFacts) -> dict[str, Workflow]:
    """reference -> workflow of each review whose typed Published date waits for the final
    report's anonymisation check."""
    due = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref)
        wf = workflow_for(workflows, case, (row or {}).get("Decision"))
        if awaits_publication_check(ref, row, wf, board):
            due[ref] = wf
    return due


def share_folders(config: Config, workflows: dict[str, Workflow], board: Board, register: RegisterFacts) -> dict[str, str]:
    """reference -> share folder of each decided case whose workflow shares learning and that has
    not yet been shared with every agency on the dissemination list."""
    folders = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        wf = workflow_for(workflows, case, row.get("Decision"))
        if not wf or not wf.share or not row.get("Decision"):
            continue
        if all(f"share/{ref}/{a.code}" in board.done for a in config.agencies if a.dissemination):
            continue
        folders[ref] = wf.share.folder
    return folders


def ready_to_share(
    config: Config, workflows: dict[str, Workflow], board: Board, register: RegisterFacts, refs: Iterable[str], today: date
) -> set[str]:
    """Of ``refs`` (cases with files waiting in their share folder), those that have reached the
    stage after which their workflow shares learning."""
    refs = list(refs)
    if not refs:
        return set()
    signed = signed_dates(board, register)
    ready = set()
    for ref in refs:
        case = board.cases[ref]
        row = register.cases.get(ref)
        wf = workflow_for(workflows, case, (row or {}).get("Decision"))
        view = view_case(config, workflows, board, case, row, signed, today)
        if wf and wf.share and reached(view, wf, wf.share.after):
            ready.add(ref)
    return ready
