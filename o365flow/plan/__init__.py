"""The pure core: ``plan(config, workflows, board, facts) -> Plan``.

Nothing here reads the clock, the disk or the network: the pass's time comes in ``facts.now``.
The plan is the difference between what should be and what the state store says was done, so a
second pass over unchanged inputs plans nothing (house rule 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from o365flow.core.filelabel import file_id
from o365flow.core.references import reference_problem
from o365flow.core.settings import Config
from o365flow.core.model import CaseRecord, CaseView, Stage
from o365flow.core.workflow import Workflow
from o365flow.plan.actions import (
    Action,
    ClearForPublication,
    CreateFolder,
    Notice,
    RecordFinalReport,
    RecordProgress,
    RecordSignoff,
    RegisterCase,
    RejectForm,
    RenderDocument,
    RestrictAccess,
)
from o365flow.plan.assess import awaits_publication_check, view_case, workflow_for
from o365flow.plan.facts import Board, Facts
from o365flow.plan.housekeeping import ForgetForm, RecordUnreadable
from o365flow.plan.intake import check_referral, next_reference
from o365flow.plan.casedocs import overdue_actions, summary_timeline
from o365flow.plan.learning import invitation_mail, reached, share_mail
from o365flow.plan.mail import digest_action, held_notices, signoff_mail
from o365flow.plan.checks import reviewer_checks
from o365flow.plan.monitoring import action_mail, action_reply
from o365flow.plan.publication import repository_pack, submission_mail
from o365flow.plan.referral import suggestion
from o365flow.plan.referrer import referrer_mail
from o365flow.plan.needs import signed_dates
from o365flow.plan.replies import classify
from o365flow.plan.rows import register_action
from o365flow.plan.timelines import timeline_folders, timeline_mail, timeline_reply
from o365flow.plan.themecheck import theme_problems
from o365flow.plan.context import document_context, principals_for


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    views: dict[str, CaseView] = field(default_factory=dict)
    digest_items: list[tuple[str, str]] = field(default_factory=list)  # (section, text) for today's digest


def plan(config: Config, workflows: dict[str, Workflow], board: Board, facts: Facts) -> Plan:
    """Every action the pass should take, in the order to apply them."""
    out = Plan()
    today = facts.today
    cases = dict(board.cases)
    signed = signed_dates(board, facts.register)
    out.notices += [Notice(p) for p in facts.problems]
    # An unreadable message is reported once and then left alone (it stays in the mailbox).
    for line in facts.unreadable:
        out.notices.append(Notice(line))
        out.actions.append(RecordUnreadable(text=line, reason="message in the board mailbox could not be read"))
    out.notices += [Notice(p) for p in facts.register.problems]
    out.notices += [Notice(n) for n in hostile_references(board, facts)]
    if facts.register.broken:  # said on every pass until it is put right (exit 1)
        out.notices.append(Notice(facts.register.broken))

    # 1. Referral forms.
    # New referrals wait while the register cannot be used: their rows could not be added.
    for form in sorted(() if facts.register.broken else facts.forms, key=lambda f: f.path):
        if board.forms.get(form.path) and board.forms[form.path].reference:
            continue
        problems = (form.error,) if form.fields is None else ()
        checked = check_referral(form.fields, config.agencies) if form.fields is not None else None
        if checked and checked.referral is None:
            problems = checked.problems
        if problems:
            reject = RejectForm(path=form.path, etag=form.etag, problems=problems, reason="form cannot start a case")
            out.actions.append(reject)
            out.notices.append(Notice(reject.summary()))
            continue
        received = min(form.saved_on, today)
        ref, seq = next_reference(config.board_code, checked.referral.kind, received.year, set(cases) | board.issued)
        case = CaseRecord(ref, checked.referral.kind, received.year, seq, form.path, received, checked.referral)
        cases[ref] = case
        suggested, flags = suggestion(workflows, checked.referral, received)
        out.actions.append(
            RegisterCase(
                case=case,
                etag=form.etag,
                suggested=suggested,
                warnings=checked.warnings,
                flags=flags,
                reason="referral form saved in the Referrals library",
            )
        )
        out.notices += [Notice(f"{ref}: {w}", failed=False) for w in (*flags, *checked.warnings)]
    for path in facts.forms_gone:
        out.actions.append(ForgetForm(path=path, reason="rejected referral form gone from the library"))
    for path, state in sorted(board.forms.items()):
        if path in facts.forms_gone:
            continue
        if state.problems and not state.reference and path not in {f.path for f in facts.forms}:
            out.notices.append(Notice(f"referral form {file_id(path)} not registered: {'; '.join(state.problems)}"))

    # 2. Replies in the board mailbox.
    folders = timeline_folders(workflows, cases, facts.register.cases) if facts.messages else {}
    for msg in facts.messages:
        action = (timeline_reply(msg, board, config, folders) or action_reply(msg, board, config, facts.actions, today)
                  or classify(msg, board, config, signed, today))
        if isinstance(action, RecordSignoff):
            signed[(action.ref, action.agency)] = action.day
        out.actions.append(action)

    # What lead agencies replied about their actions this pass counts at once (no reminder for
    # an action completed today, no overdue line for it in today's digest).
    replied = board.with_done(a.key for a in out.actions if isinstance(a, RecordProgress))

    # 3. Each case: folders and documents on the decision, final report, sign-off mail.
    for ref in sorted(cases):
        case = cases[ref]
        row = facts.register.cases.get(ref)
        plan_rows = facts.actions[ref].rows if ref in facts.actions else ()
        for line in theme_problems(ref, row, plan_rows, config.themes):
            # A warning (nothing failed), and in the digest until it is put right.
            out.notices.append(Notice(line, failed=False))
            out.digest_items.append(("Waiting on a person", line))
        decision = (row or {}).get("Decision")
        wf = workflow_for(workflows, case, decision)
        if decision and decision != "No review" and wf is None:
            out.notices.append(
                Notice(
                    f"{ref}: Decision '{decision}' does not fit a {case.kind} referral; "
                    f"choose another decision in the register"
                )
            )
            continue
        if decision and wf:
            out.actions += _commission(config, case, row, wf, board)
            if wf.final_report_folder and not case.final_report_seen and ref in facts.final_reports:
                day = min(facts.final_reports[ref], today)
                case = cases[ref] = replace(case, final_report_seen=day)
                out.actions.append(RecordFinalReport(ref=ref, day=day, reason="report saved in the final report folder"))
        cleared = False
        if awaits_publication_check(ref, row, wf, board):
            check = facts.publication.get(ref)
            if check is not None and check.clean:
                out.actions.append(
                    ClearForPublication(ref=ref, files=check.files, reason="Published date typed: final report checked for names")
                )
                cleared = True
            else:
                why = check.summary() if check else f"{ref}: the final report has not been checked for names yet"
                out.notices.append(
                    Notice(f"{why}; publication is held until it is put right (or a person types the date in 'Anonymisation cleared')")
                )
        named = facts.actions[ref].named if ref in facts.actions else ()
        view = view_case(config, workflows, board, case, row, signed, today, cleared, named)
        out.views[ref] = view
        out.actions += referrer_mail(config, board, case, row, today, facts.referrers.get(ref, ""))
        out.digest_items += [("Waiting on a person", line) for line in reviewer_checks(view, row)]
        if wf:
            out.actions += invitation_mail(config, board, view, wf, (row or {}).get("Learning event date"), today)
        if wf and decision:
            out.actions += summary_timeline(config, case, row, wf, facts.timelines.get(ref), board.done)
            for fact in (facts.timelines.get(ref), facts.actions.get(ref)):
                out.notices += [Notice(p) for p in (fact.problems if fact else ())]
            if view.stage is not Stage.CLOSED:
                out.digest_items += [("Overdue", line) for line in overdue_actions(ref, facts.actions.get(ref), today, replied)]
            out.actions += action_mail(config, replied, case, view, facts.actions[ref].rows if ref in facts.actions else (), today)
            returned = facts.timelines[ref].agencies if ref in facts.timelines else ()
            mails, late = timeline_mail(config, board, view, wf, returned, today)
            out.actions += mails
            out.digest_items += [("Overdue", line) for line in late]
        if wf and wf.share and ref in facts.shares and reached(view, wf, wf.share.after):
            mails, problems = share_mail(config, board, view, wf, facts.shares[ref], today)
            out.actions += mails
            out.notices += [Notice(p) for p in problems]
        if wf and decision:
            mails, problems = submission_mail(config, board, view, wf, row, today)
            pack = repository_pack(config, board, case, view, wf, row, _involved(facts, ref), today, _shared(facts, board, ref))
            out.actions += mails + [p for p in pack if not isinstance(p, str)]
            out.digest_items += [("Waiting on a person", p) for p in pack if isinstance(p, str)]
            out.notices += [Notice(p, failed=False) for p in problems]
        if wf and wf.signoff and view.final_report_date and view.stage not in (Stage.CLOSED, Stage.PUBLISHED):
            out.actions += signoff_mail(config, board, view, today, wf)

    out.digest_items += [("Waiting on a person", line) for line in held_notices(board, out.actions)]

    # 4. The coordinator's digest, then the register.
    # The register's row is worked out first so the digest can say what it puts right; the
    # register is still written last.
    reg = None if facts.register.broken else register_action(config, board, facts, cases, out)
    digest = digest_action(config, board, out, facts, extra=[reg] if reg else [])
    if digest:
        out.actions.append(digest)
    if reg:
        out.actions.append(reg)
    return out


def _shared(facts: Facts, board: Board, ref: str) -> bool:
    """Is the case's learning saved in its share folder (or already shared)?"""
    return bool(facts.shares.get(ref)) or bool(board.done_under(f"share/{ref}/"))


def _involved(facts: Facts, ref: str) -> tuple[str, ...]:
    """Agency codes known to have taken part: timeline returns and the action plan's leads."""
    codes = set(facts.timelines[ref].agencies if ref in facts.timelines else ())
    codes |= set(facts.actions[ref].named if ref in facts.actions else ())
    return tuple(sorted(codes))


def _commission(config: Config, case: CaseRecord, row: dict, wf: Workflow, board: Board) -> list[Action]:
    """Create the case folder and generate its documents, once each."""
    actions: list[Action] = []
    folder = case.reference
    if f"folder/{case.reference}" not in board.done:
        actions.append(
            CreateFolder(ref=case.reference, folder=folder, subfolders=wf.folders, reason=f"decision recorded ({wf.name})")
        )
    # Access is restricted before any document goes in, so none is ever open to the whole site.
    principals, fingerprint = principals_for(config, row)
    if f"access/{case.reference}/{fingerprint}" not in board.done:
        actions.append(
            RestrictAccess(
                ref=case.reference, folder=folder, principals=principals, fingerprint=fingerprint, reason="panel-only access"
            )
        )
    context = None
    for doc in wf.documents:
        if f"doc/{case.reference}/{doc.template}" in board.done:
            continue
        context = context or document_context(config, case, row, wf)
        name = doc.name.replace("{reference}", case.reference)
        actions.append(
            RenderDocument(
                ref=case.reference,
                template=doc.template,
                path=f"{folder}/{doc.folder}/{name}",
                context=context,
                reason=f"{wf.id} workflow: commissioning document",
            )
        )
    return actions


def hostile_references(board: Board, facts: Facts) -> list[str]:
    """Register rows whose Reference, typed by a person, could not safely be a folder name
    (``../..``, an absolute path, ``CON``, a trailing dot, 300 characters): named with the rule,
    never silently ignored. References the worker gave are always safe."""
    notes = [reference_problem(ref, "register 'Cases' row") for ref in facts.register.cases if ref not in board.cases]
    notes += [reference_problem(ref, f"register 'Sign-offs' row ({code})") for ref, code in facts.register.signoffs
              if ref not in board.cases]
    return sorted({n for n in notes if n})
