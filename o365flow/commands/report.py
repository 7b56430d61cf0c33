"""``o365flow report``: the Case Review Group's quarterly report to the board, as a Word document.

The figures come from ``plan.boardfigures`` over the register, the cases as ``status`` sees them
and the dissemination record in the state store; the document is laid out in the board's
template (``report/quarterly-report.docx``). The report goes to the whole board, so before it is
saved it is checked for every case's subject initials and the referrers' names; anything found
is reported (where, never what) and the report is not saved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from o365flow.commands.console import Console
from o365flow.errors import BackendError, ConfigError, InputError, O365flowError, UsageError
from o365flow.plan.boardfigures import BoardFigures, Period, board_figures, parse_quarter
from o365flow.worker.services import Services

log = logging.getLogger("o365flow")
TEMPLATE = "report/quarterly-report.docx"


def period_from(quarter: str | None, start: str | None, end: str | None, today: date) -> Period:
    """``--quarter 2026Q3``, or ``--from``/``--to`` (UK or ISO dates); default: the last whole
    quarter before today."""
    from o365flow.core.parsing import parse_date

    if quarter and (start or end):
        raise InputError("give --quarter or --from/--to, not both", "e.g. --quarter 2026Q3")
    if quarter:
        try:
            return parse_quarter(quarter)
        except ValueError as exc:
            raise InputError(f"--quarter: {exc}", "e.g. --quarter 2026Q3") from None
    if start or end:
        try:
            first = parse_date(start) if start else date(today.year, 1, 1)
            last = parse_date(end) if end else today
        except ValueError as exc:
            raise InputError(f"--from/--to: {exc}", "e.g. --from 01/07/2026 --to 30/09/2026") from None
        if last < first:
            raise InputError("--to is before --from", "give the first day, then the last")
        return Period(first, last)
    q = (today.month - 1) // 3  # the quarter before this one
    year = today.year if q else today.year - 1
    return parse_quarter(f"{year}Q{q or 4}")


def dissemination_record(state) -> list[tuple[str, str, date]]:
    """(reference, agency, day sent) for each piece of learning shared."""
    rows = state.db.execute("SELECT key, at FROM mail WHERE purpose = 'dissemination' AND status = 'sent'")
    out = []
    for key, at in rows:
        _, ref, agency = key.split("/", 2)
        out.append((ref, agency, datetime.fromisoformat(at).date()))
    return sorted(out)


def actions_rows(svc: Services) -> list[dict]:
    from o365flow.register.learning_sheet import read_actions

    cfg = svc.config
    if svc.storage.stat(cfg.register_library, cfg.register_path) is None:
        return []
    return read_actions(svc.storage.read(cfg.register_library, cfg.register_path))


def figures_for(svc: Services, now: datetime, period: Period) -> tuple[BoardFigures, list]:
    """The period's figures, and the names to keep out of the report."""
    from o365flow.commands.status import board_views
    from o365flow.documents.anonymise import NameToFind
    from o365flow.worker.state import State

    views, rows = board_views(svc, now, include_closed=True)
    with State(svc.config.state_dir) as state:
        shared = dissemination_record(state)
        cases = state.board().cases
    figures = board_figures(views, rows, actions_rows(svc), shared, svc.config.themes, period, now.date(),
                            svc.workflows, svc.config.closure_days)
    names = []
    for ref, case in sorted(cases.items()):
        if case.referral.subject_initials.strip():
            names.append(NameToFind(f"the subject's initials of {ref}", case.referral.subject_initials))
        if case.referral.referrer_name.strip():
            names.append(NameToFind(f"the referrer's name of {ref}", case.referral.referrer_name))
    return figures, names


@dataclass
class ReportResult:
    path: Path | None
    figures: BoardFigures
    charts: bool
    findings: list[str] = field(default_factory=list)


def make_report(svc: Services, now: datetime, period: Period, output: Path | None, charts: bool = True) -> ReportResult:
    from o365flow.documents.anonymise import find_names
    from o365flow.report.charts import available
    from o365flow.report.word import build_report

    cfg = svc.config
    figures, names = figures_for(svc, now, period)
    charts = charts and available()
    template = svc.find_template(TEMPLATE).read_bytes()
    board = {"name": cfg.board_name, "code": cfg.board_code}
    data = build_report(template, figures, board, {a.code: f"{a.name} ({a.code})" for a in cfg.agencies}, charts)
    hits = find_names(data, names, "report")
    findings = [f"{h.part} paragraph {h.paragraph}: {h.label}" for h in hits]
    path = output or Path(f"Case Review Group report {period.label.split(' (')[0]}.docx")
    if findings:
        return ReportResult(None, figures, charts, findings)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return ReportResult(path, figures, charts)


def report_command(console: Console, svc: Services, now: datetime, quarter: str | None, start: str | None,
                   end: str | None, output: Path | None, charts: bool) -> int:
    """Save the report, or say who it would name and save nothing (1)."""
    try:
        result = make_report(svc, now, period_from(quarter, start, end, now.date()), output, charts=charts)
    except O365flowError as exc:
        if isinstance(exc, (BackendError, ConfigError)):
            raise
        raise UsageError(exc.message, exc.hint) from exc  # a period or file the command line asked for
    for line in result.findings:
        console.report("found", line, "report.finding")
    if result.path is None:
        console.report("problem", "the report would name someone (above); it was not saved", "report.problem")
        return 1
    if not result.charts and charts:
        console.report("warning", "matplotlib is not installed (pip install 'o365flow[report]'): tables only",
                   "report.warning")
    console.say(f"Saved {result.path} ({result.figures.period.label}).")
    return 0
