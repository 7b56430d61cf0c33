"""The command line (contract: "Command line"). Thin: parse, call, print, exit with the code.

Exit codes: 0 all done; 1 the pass finished but some items failed; 2 usage or configuration
error; 3 could not run at all (backend unreachable, another pass holds the lock).
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
import time
import traceback
from datetime import datetime, time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from o365flow import __version__
from o365flow.errors import BackendError, ConfigError, O365flowError

log = logging.getLogger("o365flow")


class Ctx:
    def __init__(self, config: str | None, verbose: bool, quiet: bool, log_format: str):
        self.config_option, self.verbose, self.quiet, self.log_format = config, verbose, quiet, log_format

    def config(self):
        from o365flow.configuration.loader import find_config_path, load_config

        return load_config(find_config_path(self.config_option))

    def say(self, text: str = "") -> None:
        if not self.quiet:
            click.echo(text)

    def fail(self, exc: BaseException, code: int):
        """One line (and each listed problem); a traceback only with --verbose."""
        if isinstance(exc, ConfigError):
            click.echo(f"error: {exc.message}", err=True)
            for p in exc.problems:
                click.echo(f"  - {p}", err=True)
            if exc.hint:
                click.echo(f"  ({exc.hint})", err=True)
        else:
            click.echo(f"error: {exc}", err=True)
        if self.verbose:
            traceback.print_exception(exc, file=sys.stderr)
        sys.exit(code)


def parse_now(value: str | None, tz: ZoneInfo) -> datetime:
    """``--now``: a date as everywhere else (31/08/2026, 31 August 2026, 2026-08-31: midnight,
    board time), optionally followed by HH:MM, or an ISO 8601 datetime; default the clock."""
    from o365flow.core.parsing import parse_date

    if not value:
        return datetime.now(tz)
    try:
        m = re.fullmatch(r"(.*?)(?:[ T](\d{1,2}):(\d{2}))?", value.strip())
        try:
            moment = datetime.combine(parse_date(m[1]), dtime(int(m[2] or 0), int(m[3] or 0)))
        except ValueError:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date (31/08/2026, 31 August 2026 or 2026-08-31, optionally with HH:MM) "
            "or an ISO 8601 date and time",
            param_hint="--now",
        )
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def parse_interval(value: str) -> float:
    m = re.fullmatch(r"(\d+)\s*([smh]?)", value.strip().lower())
    if not m or int(m[1]) == 0:
        raise click.BadParameter(f"'{value}' is not an interval like 30s, 5m or 1h", param_hint="--interval")
    return int(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]


now_option = click.option("--now", "now_text", metavar="T", help="Stand-in for the clock: 31/08/2026, 2026-08-31 or ISO 8601.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="PATH", help="Config file (else $O365FLOW_CONFIG, else ./o365flow.toml).")
@click.option("--verbose", "-v", is_flag=True, help="More detail, and tracebacks on errors.")
@click.option("--quiet", "-q", is_flag=True, help="Only errors.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.version_option(__version__, prog_name="o365flow")
@click.pass_context
def cli(ctx, config_path, verbose, quiet, log_format):
    """o365flow runs a Safeguarding Board's practice reviews over its own files."""
    from o365flow.log import setup

    if verbose and quiet:
        raise click.UsageError("--verbose and --quiet cannot be used together")
    setup(verbose, quiet, log_format)
    ctx.obj = Ctx(config_path, verbose, quiet, log_format)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Add sample referral forms.")
@click.pass_obj
def init(obj: Ctx, directory: Path, demo: bool):
    """Scaffold a working board in DIRECTORY (never overwrites a file)."""
    from o365flow.commands.init import init_board

    try:
        made, skipped = init_board(directory, demo)
    except (OSError, O365flowError) as exc:
        obj.fail(exc, 2)
    for path in made:
        obj.say(f"created  {path}")
    for path in skipped:
        obj.say(f"kept     {path} (already there)")
    obj.say(f"\nNext: cd {directory} && o365flow check && o365flow run")


@cli.command()
@click.option("--online", is_flag=True, help="Also prove access to every backend (site, libraries, mailbox).")
@click.pass_obj
def check(obj: Ctx, online: bool):
    """Validate the config, workflows and templates; list every problem."""
    from o365flow.commands.check import run_checks

    try:
        config = obj.config()
    except ConfigError as exc:
        obj.fail(exc, 1)
    problems, ok = run_checks(config, online)
    for line in ok:
        obj.say(f"ok       {line}")
    for p in problems:
        click.echo(f"problem  {p}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    obj.say("No problems found.")


def _services(obj: Ctx, now_text: str | None, mail: bool = True):
    try:
        config = obj.config()
        now = parse_now(now_text, config.tz)
        from o365flow.worker.services import open_services

        return open_services(config, clock=lambda: now, mail=mail), now
    except ConfigError as exc:
        obj.fail(exc, 2)
    except BackendError as exc:
        obj.fail(exc, 3)


@cli.command()
@now_option
@click.pass_obj
def plan(obj: Ctx, now_text):
    """Dry run: print every action the next pass would take. Changes nothing."""
    from o365flow.worker.run import dry_run

    svc, now = _services(obj, now_text)
    try:
        the_plan = dry_run(svc, now)
    except BackendError as exc:
        obj.fail(exc, 3)
    except O365flowError as exc:
        obj.fail(exc, 1)
    from o365flow.commands.status import long_date

    obj.say(f"Plan as at {long_date(now.date())} {now:%H:%M}:")
    if not the_plan.actions:
        obj.say("Nothing to do.")
    for a in the_plan.actions:
        why = f" ({a.reason})" if getattr(a, "purpose", "") and a.reason else ""  # which reminder or letter
        obj.say(f"- {a.summary()}{why}")
    for n in the_plan.notices:
        click.echo(f"{'problem' if n.failed else 'warning'}: {n.text}", err=True)


def _one_pass(obj: Ctx, svc, now, stop=lambda: False) -> int:
    from o365flow.worker.run import run_pass

    try:
        report = run_pass(svc, now, stop)
    except BackendError as exc:
        click.echo(f"error: {exc}", err=True)
        if obj.verbose:
            traceback.print_exc()
        return 3
    except O365flowError as exc:
        click.echo(f"error: {exc}", err=True)
        if obj.verbose:
            traceback.print_exc()
        return 1
    stamp = f"{now:%d/%m/%Y %H:%M}"
    if report.done:
        obj.say(f"Pass at {stamp}: {len(report.done)} action(s).")
        for line in report.done:
            obj.say(f"- {line}")
    else:
        obj.say(f"Pass at {stamp}: nothing to do.")
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for f in report.failed:
        click.echo(f"problem: {f}", err=True)
    return report.exit_code


@cli.command()
@now_option
@click.pass_obj
def run(obj: Ctx, now_text):
    """One pass: register referrals, act on decisions, mail, update the register."""
    svc, now = _services(obj, now_text)
    sys.exit(_one_pass(obj, svc, now))


@cli.command()
@click.option("--interval", default="5m", show_default=True, help="Time between passes: 30s, 5m, 1h.")
@click.pass_obj
def watch(obj: Ctx, interval: str):
    """A pass, then wait, forever; Ctrl+C or SIGTERM ends it cleanly between actions."""
    seconds = parse_interval(interval)
    stopping = {"flag": False}

    def stop(signum, frame):
        stopping["flag"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)  # delivered on Windows only by the C runtime; harmless there
    code = 0
    while not stopping["flag"]:
        svc, now = _services(obj, None)
        code = _one_pass(obj, svc, now, stop=lambda: stopping["flag"])
        deadline = time.monotonic() + seconds
        while not stopping["flag"] and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    obj.say("Stopped.")
    sys.exit(0 if code in (0, 1) else code)


@cli.command()
@now_option
@click.option("--json", "as_json", is_flag=True, help="A JSON array, one object per case.")
@click.option("--all", "include_closed", is_flag=True, help="Include closed cases.")
@click.pass_obj
def status(obj: Ctx, now_text, as_json: bool, include_closed: bool):
    """Every open case: stage, next deadline, RAG, who is outstanding."""
    from o365flow.commands.status import as_json as to_json, as_table, board_views

    svc, now = _services(obj, now_text, mail=False)
    try:
        views, rows = board_views(svc, now, include_closed)
    except BackendError as exc:
        obj.fail(exc, 3)
    except O365flowError as exc:
        obj.fail(exc, 1)
    cfg = svc.config
    if as_json:
        click.echo(json.dumps([to_json(v, rows.get(v.reference), cfg.themes) for v in views], indent=2))
    else:
        click.echo(as_table(views, now, cfg.board_name, cfg.reminder_days_before))


@cli.command()
@now_option
@click.option("--quarter", metavar="YYYYQN", help="The quarter, e.g. 2026Q3 (July to September).")
@click.option("--from", "start", metavar="DATE", help="First day of the period (instead of --quarter).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (default: today).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Where to save the .docx.")
@click.option("--no-charts", is_flag=True, help="Tables only.")
@click.pass_obj
def report(obj: Ctx, now_text, quarter, start, end, output, no_charts: bool):
    """The quarterly Case Review Group report to the board (Word), for a period."""
    from o365flow.commands.report import make_report, period_from

    svc, now = _services(obj, now_text, mail=False)
    try:
        result = make_report(svc, now, period_from(quarter, start, end, now.date()), output, charts=not no_charts)
    except BackendError as exc:
        obj.fail(exc, 3)
    except (ConfigError, O365flowError) as exc:
        obj.fail(exc, 2)
    for line in result.findings:
        click.echo(f"found: {line}", err=True)
    if result.path is None:
        click.echo("problem: the report would name someone (above); it was not saved", err=True)
        sys.exit(1)
    if not result.charts and not no_charts:
        click.echo("warning: matplotlib is not installed (pip install 'o365flow[report]'): tables only", err=True)
    obj.say(f"Saved {result.path} ({result.figures.period.label}).")


@cli.command()
@now_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="A file (default: standard output).")
@click.pass_obj
def export(obj: Ctx, now_text, fmt: str, output):
    """The case-level dataset (no personal data), as CSV or JSON."""
    from o365flow.commands.export import as_csv, as_json, dataset

    svc, now = _services(obj, now_text, mail=False)
    try:
        records = dataset(svc, now)
    except BackendError as exc:
        obj.fail(exc, 3)
    except O365flowError as exc:
        obj.fail(exc, 1)
    text = as_csv(records) if fmt == "csv" else as_json(records) + "\n"
    if output:
        output.write_text(text, encoding="utf-8", newline="")
        obj.say(f"Saved {len(records)} case(s) to {output}.")
    else:
        click.echo(text, nl=False)


@cli.command("check-report")
@click.argument("reference")
@click.pass_obj
def check_report(obj: Ctx, reference: str):
    """Scan a case's final report for the subject's name and initials and for every name on the
    case's 'names not to publish' list. Exit 1 when anything is found or it cannot be checked."""
    from o365flow.worker.namecheck import run_check

    svc, _ = _services(obj, None)
    try:
        result = run_check(svc, reference.strip().upper())
    except BackendError as exc:
        obj.fail(exc, 3)
    except O365flowError as exc:
        obj.fail(exc, 2)
    for line in result.findings:
        click.echo(f"found: {line}")
    if result.problem:
        click.echo(f"problem: {result.problem}", err=True)
    if result.clean:
        obj.say(result.summary())
    sys.exit(0 if result.clean else 1)


def main() -> None:  # pragma: no cover - console entry point alias
    cli()
