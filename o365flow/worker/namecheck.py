"""The anonymisation check a final report passes before its review is published.

A report is scanned for the subject's initials and name (from the referral form) and for every
name on the case's "names not to publish" list (a Word document anywhere in the case folder whose
name contains "names not to publish"). What comes back names where a hit is -- file, part,
paragraph, and which name on which list -- never the name itself, so it can go in the digest and
the log. Reads the case folder and the referral form through the Storage port; used by the pass
(``gather``) and by ``o365flow check-report``.
"""

from __future__ import annotations

from dataclasses import dataclass

from o365flow.core.filelabel import file_id
from o365flow.errors import InputError, O365flowError
from o365flow.core.model import CaseRecord
from o365flow.worker.services import Services
from o365flow.core.workflow import Workflow

NAMES_LIST_MARK = "names not to publish"


@dataclass(frozen=True)
class ReportCheck:
    reference: str
    files: tuple[str, ...] = ()  # the report files scanned, as paths in the case folder
    findings: tuple[str, ...] = ()  # one name-free line per hit
    problem: str = ""  # why the report could not be checked ("" when it was)

    @property
    def clean(self) -> bool:
        return not self.findings and not self.problem

    def summary(self) -> str:
        if self.problem:
            return f"{self.reference}: {self.problem}"
        if self.findings:
            shown = "; ".join(self.findings[:5]) + (f"; and {len(self.findings) - 5} more" if len(self.findings) > 5 else "")
            return f"{self.reference}: the final report may identify someone ({shown})"
        return f"{self.reference}: the final report names nobody on the lists ({', '.join(self.files)})"


def names_for(svc: Services, case: CaseRecord) -> tuple[list, list[str]]:
    """The names to look for (each with a name-free label), and notes on what could not be read."""
    from o365flow.documents.anonymise import names_to_find, read_name_list
    from o365flow.documents.referral import read_referral_fields

    notes, full, listed = [], "", []
    try:
        form = svc.storage.read(svc.config.referrals_library, case.source)
        full = (read_referral_fields(form, case.source).get("subject_name") or "").strip()
    except O365flowError:
        notes.append(f"the referral form {file_id(case.source)} could not be read for the subject's name")
    library = svc.config.reviews_library
    lists = [
        e for e in svc.storage.list(library, case.reference, recursive=True)
        if not e.is_folder and e.name.lower().endswith(".docx") and NAMES_LIST_MARK in e.name.lower()
    ]
    for entry in sorted(lists, key=lambda e: e.path):
        try:
            listed += read_name_list(svc.storage.read(library, entry.path), entry.name)
        except (InputError, O365flowError) as exc:
            notes.append(f"the names list {entry.name!r} could not be read ({exc})")
    return names_to_find(full, case.referral.subject_initials, listed), notes


def check_report(svc: Services, case: CaseRecord, wf: Workflow) -> ReportCheck:
    """Scan the case's final report(s) in the workflow's final-report folder."""

    ref, library = case.reference, svc.config.reviews_library
    if not wf.final_report_folder:
        return ReportCheck(ref, problem=f"the {wf.name} workflow has no final report folder to check")
    folder = f"{ref}/{wf.final_report_folder}"
    entries = [e for e in svc.storage.list(library, folder) if not e.is_folder]
    words = [e for e in entries if e.name.lower().endswith(".docx") and not e.name.startswith("~$")]
    if not words:
        pdf = any(e.name.lower().endswith(".pdf") for e in entries)
        why = "only a PDF is there, which cannot be checked" if pdf else "there is no Word report there"
        return ReportCheck(
            ref,
            problem=f"the final report in '{folder}' cannot be checked for names ({why}); save the report "
            "there as a Word document (.docx), or check it yourself and type the date in 'Anonymisation cleared'",
        )
    words = sorted(words, key=lambda e: e.name)
    found, notes = find_in(svc, case, words)
    unreadable = [line for e in words for line in found[e.path] if " could not be read: " in line]
    if unreadable:
        return ReportCheck(ref, problem=f"in '{folder}': {unreadable[0]}")
    problem = ""
    if notes:
        problem = "; ".join(notes) + "; check the report by hand and type the date in 'Anonymisation cleared'"
    findings = tuple(line for e in words for line in found[e.path])
    shown = tuple(f"file {file_id(e.path)}" if any(" its file name: " in f for f in found[e.path]) else e.name for e in words)
    return ReportCheck(ref, files=shown, findings=findings, problem=problem)


def find_in(svc: Services, case: CaseRecord, entries, names=None) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Name-free findings for each Word file in the case folder (by path; one line for a file
    that cannot be read), and notes on the name lists that could not be read. The names are
    gathered once for all the files."""
    from o365flow.documents.anonymise import find_names

    names, notes = names_for(svc, case) if names is None else (names, [])
    from o365flow.documents.anonymise import names_in_text

    found = {}
    for entry in entries:
        # A file whose name names someone is shown by a short id of its path instead.
        in_name = names_in_text(entry.name, names)
        shown = f"file {file_id(entry.path)}" if in_name else f"'{entry.name}'"
        named = tuple(f"{shown} its file name: {label}" for label in in_name)
        try:
            hits = find_names(svc.storage.read(svc.config.reviews_library, entry.path), names)
            found[entry.path] = named + tuple(f"{shown} {h.part} paragraph {h.paragraph}: {h.label}" for h in hits)
        except (InputError, O365flowError) as exc:
            found[entry.path] = (f"{shown} could not be read: {exc}",)
    return found, notes


def run_check(svc: Services, reference: str) -> ReportCheck:
    """``o365flow check-report REFERENCE``: the same check a pass makes before publication."""
    from o365flow.plan.assess import workflow_for
    from o365flow.worker.registerio import read_register_facts
    from o365flow.worker.state import State

    with State(svc.config.state_dir, readonly=True) as state:
        case = state.board().cases.get(reference)
        row = read_register_facts(svc, state).cases.get(reference) or {} if case else {}
    if case is None:
        raise InputError(f"no case {reference!r}", "give a reference as the register shows it, e.g. DRSB-CPR-2026-001")
    wf = workflow_for(svc.workflows, case, row.get("Decision"))
    if wf is None or row.get("Decision") in (None, "No review"):
        raise InputError(f"{reference} has no review to publish", "record the Chair's decision first")
    return check_report(svc, case, wf)
