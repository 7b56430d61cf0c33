"""The command line (contract: "Command line"). Thin: parse, call, print, exit with the code.

Every failure reaches the user through one place, ``O365flowGroup``: one line naming the file,
key or row and the fix, the documented exit code, and a traceback only with ``--verbose``.
With ``--log-format json`` those lines, warnings and problems included, are JSON lines too.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
import time
import traceback
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from o365flow import __version__
from o365flow.errors import (
    EXIT_CODES,
    BackendError,
    ConfigError,
    InputError,
    O365flowError,
    UsageError,
    exit_code,
    one_line,
)

log = logging.getLogger("o365flow.cli")

EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())


class Ctx:
    """The global options, wherever on the line they were given."""

    def __init__(self) -> None:
        self.config_option: str | None = None
        self.verbose = False
        self.quiet = False
        self.log_format = "text"
        self.as_json = False

    def setup_logging(self) -> None:
        from o365flow.log import setup

        setup(self.verbose, self.quiet, self.log_format)

    def config(self):
        """The validated config; anything the loader did not foresee is still a config error
        naming the file (exit 2), never a traceback."""
        from o365flow.configuration.loader import find_config_path, load_config

        path = find_config_path(self.config_option)
        try:
            return load_config(path)
        except O365flowError:
            raise
        except Exception as exc:  # noqa: BLE001 - the config file is the cause, whatever broke
            raise ConfigError(
                f"{path}: cannot be used: {type(exc).__name__}: {exc}",
                hint="check each value's type against the README's configuration table, then run 'o365flow check'",
            ) from exc

    def say(self, text: str = "") -> None:
        """Ordinary output (stdout); nothing with ``--quiet`` or ``--json``."""
        if not (self.quiet or self.as_json):
            click.echo(text)

    def report(self, kind: str, text: str, event: str) -> None:
        """A warning or problem on stderr: ``kind: text``, or a JSON line with ``--log-format json``."""
        text = one_line(text)
        if self.log_format == "json":
            level = logging.WARNING if kind == "warning" else logging.ERROR
            log.log(level, "%s", text, extra={"event": event})
        else:
            click.echo(f"{kind}: {text}", err=True)

    def error(self, exc: BaseException) -> None:
        """An error that ends the command: one line (plus each listed problem)."""
        if isinstance(exc, O365flowError):
            message, hint = exc.message, exc.hint
            problems = exc.problems if isinstance(exc, ConfigError) else []
        else:  # not raised on purpose: say what and where, never a traceback without --verbose
            message, hint, problems = _unexpected(exc), "run again with --verbose for the details", []
        if self.log_format == "json":
            extra = {"event": "command.failed", "exit_code": exit_code(exc)}
            if hint:
                extra["hint"] = hint
            if problems:
                extra["problems"] = problems
            # --verbose: the traceback goes inside the JSON line, so stderr stays JSON.
            log.error("%s", one_line(message), extra=extra, exc_info=exc if self.verbose else None)
            return
        click.echo(f"error: {one_line(message)}", err=True)
        for p in problems:
            click.echo(f"  - {one_line(p)}", err=True)
        if hint:
            click.echo(f"  ({one_line(hint)})", err=True)
        if self.verbose:
            traceback.print_exception(exc, file=sys.stderr)


def _unexpected(exc: BaseException) -> str:
    if isinstance(exc, PermissionError) and exc.filename:
        return f"permission denied: {exc.filename} (check the service account's access to it)"
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return f"not found: {exc.filename}"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return f"unexpected {type(exc).__name__}: {exc}"


def _obj(ctx: click.Context) -> Ctx:
    return ctx.ensure_object(Ctx)


def _setter(name: str):
    def callback(ctx: click.Context, param, value):
        if value not in (None, False):
            setattr(_obj(ctx), name, value)
        return value

    return callback


def global_options(command):
    """``-v``/``-q``, ``--log-format`` and ``--json``, accepted before and after the command."""
    options = [
        click.option("--verbose", "-v", is_flag=True, expose_value=False, callback=_setter("verbose"),
                     help="More detail, and tracebacks on errors."),
        click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=_setter("quiet"), help="Only errors."),
        click.option("--log-format", type=click.Choice(["text", "json"]), expose_value=False,
                     callback=_setter("log_format"), help="text (default) or json: one JSON object per stderr line."),
        click.option("--json", "as_json", is_flag=True, expose_value=False, callback=_setter("as_json"),
                     help="Print the result as one JSON document."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class O365flowCommand(click.Command):
    """A subcommand: its global options, given after it, take effect before it runs."""

    def invoke(self, ctx: click.Context):
        obj = _obj(ctx)
        if obj.verbose and obj.quiet:
            raise click.UsageError("--verbose and --quiet cannot be used together")
        obj.setup_logging()
        return super().invoke(ctx)


class O365flowGroup(click.Group):
    """The one translation from errors to exit codes (``errors.exit_code``)."""

    command_class = O365flowCommand

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            self._usage_error(exc, argv)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def _usage_error(self, exc: click.ClickException, argv: list[str]) -> None:
        """Click's own errors (a bad option, a bad --now): its usage text, or a JSON line."""
        obj = Ctx()
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and isinstance(ctx.find_root().obj, Ctx):
            obj = ctx.find_root().obj
        if any(a == "--log-format=json" or (a == "--log-format" and argv[i + 1 : i + 2] == ["json"])
               for i, a in enumerate(argv)):
            obj.log_format = "json"
        if obj.log_format == "json":
            obj.setup_logging()
            log.error("%s", one_line(exc.format_message()), extra={"event": "usage.error", "exit_code": exc.exit_code})
        else:
            exc.show()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _obj(ctx).report("problem", "interrupted", "command.interrupted")
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the one place every failure becomes one line
            _obj(ctx).error(exc)
            sys.exit(exit_code(exc))


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
            f"{one_line(repr(value))} is not a date (31/08/2026, 31 August 2026 or 2026-08-31, optionally "
            "with HH:MM) or an ISO 8601 date and time",
            param_hint="--now",
        ) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def parse_interval(value: str) -> float:
    m = re.fullmatch(r"(\d+)\s*([smh]?)", value.strip().lower())
    if not m or int(m[1]) == 0:
        raise click.BadParameter(f"{one_line(repr(value))} is not an interval like 30s, 5m or 1h", param_hint="--interval")
    return int(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]


now_option = click.option("--now", "now_text", metavar="T", help="Stand-in for the clock: 31/08/2026, 2026-08-31 or ISO 8601.")


def command(*args, **kwargs):
    """A subcommand with the global options (also accepted after it) and the exit codes."""

    def decorate(f):
        return cli.command(*args, epilog=EPILOG, **kwargs)(global_options(f))

    return decorate


@click.group(cls=O365flowGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.option("--config", "config_path", metavar="PATH", help="Config file (else $O365FLOW_CONFIG, else ./o365flow.toml).")
@global_options
@click.version_option(__version__, prog_name="o365flow")
@click.pass_context
def cli(ctx, config_path):
    """o365flow runs a Safeguarding Board's practice reviews over its own files."""
    obj = _obj(ctx)
    obj.config_option = config_path


@command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Add sample referral forms (and a sample board's config).")
@click.pass_obj
def init(obj: Ctx, directory: Path, demo: bool):
    """Scaffold a board in DIRECTORY (never overwrites a file). Without --demo the config has
    placeholders that 'check' names until you fill them in."""
    from o365flow.commands.init import init_board

    made, skipped = init_board(directory, demo)
    if obj.as_json:
        click.echo(json.dumps({"created": made, "kept": skipped}, indent=2))
        return
    for path in made:
        obj.say(f"created  {path}")
    for path in skipped:
        obj.say(f"kept     {path} (already there)")
    if demo:
        obj.say(f"\nNext: cd {directory} && o365flow check && o365flow run")
    else:
        obj.say(f"\nNext: fill in {directory / 'o365flow.toml'} (every 'FILL IN: ...' value), then o365flow check")


@command()
@click.option("--online", is_flag=True, help="Also prove access to every backend (site, libraries, mailbox).")
@click.pass_obj
def check(obj: Ctx, online: bool):
    """Validate the config, workflows and templates; list every problem (exit 1 if any)."""
    from o365flow.commands.check import run_checks

    try:
        config = obj.config()
    except ConfigError as exc:
        problems, ok, warnings = [exc.message, *exc.problems], [], []
        if exc.hint:
            problems[0] += f" ({exc.hint})"
    else:
        problems, ok = run_checks(config, online)
        from o365flow.commands.placement import placement_warnings

        warnings = placement_warnings(config)
    if obj.as_json:
        click.echo(json.dumps({"ok": ok, "warnings": warnings, "problems": problems}, indent=2))
    else:
        for line in ok:
            obj.say(f"ok       {one_line(line)}")
    for w in warnings:
        obj.report("warning", w, "check.warning")
    for p in problems:
        if obj.log_format == "json":
            obj.report("problem", p, "check.problem")
        else:
            click.echo(f"problem  {one_line(p)}", err=True)
    if problems:
        if obj.log_format != "json":
            click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    obj.say("No problems found.")


def _services(obj: Ctx, now_text: str | None, mail: bool = True):
    config = obj.config()
    now = parse_now(now_text, config.tz)
    from o365flow.worker.services import open_services

    return open_services(config, clock=lambda: now, mail=mail), now


@command()
@now_option
@click.pass_obj
def plan(obj: Ctx, now_text):
    """Dry run: print every action the next pass would take. Changes nothing."""
    from o365flow.worker.run import dry_run

    svc, now = _services(obj, now_text)
    the_plan = dry_run(svc, now)
    if obj.as_json:
        click.echo(json.dumps({
            "now": now.isoformat(),
            "actions": [{"action": type(a).__name__, "reference": a.reference or None, "summary": a.summary()}
                        for a in the_plan.actions],
            "warnings": [n.text for n in the_plan.notices if not n.failed],
            "problems": [n.text for n in the_plan.notices if n.failed],
        }, indent=2))
    else:
        from o365flow.commands.status import long_date

        obj.say(f"Plan as at {long_date(now.date())} {now:%H:%M}:")
        if not the_plan.actions:
            obj.say("Nothing to do.")
        for a in the_plan.actions:
            why = f" ({a.reason})" if getattr(a, "purpose", "") and a.reason else ""  # which reminder or letter
            obj.say(f"- {one_line(a.summary())}{one_line(why)}")
    for n in the_plan.notices:
        obj.report("problem" if n.failed else "warning", n.text, "plan.problem" if n.failed else "plan.warning")


def _one_pass(obj: Ctx, svc, now, stop=lambda: False) -> int:
    from o365flow.worker.run import run_pass

    try:
        report = run_pass(svc, now, stop)
    except O365flowError as exc:  # watch goes on to the next pass; run exits with the code
        obj.error(exc)
        return exit_code(exc)
    if obj.as_json:
        click.echo(json.dumps({
            "now": now.isoformat(),
            "done": report.done,
            "warnings": report.warnings,
            "failed": report.failed,
            "exit_code": report.exit_code,
        }, indent=2))
    elif report.done:
        obj.say(f"Pass at {now:%d/%m/%Y %H:%M}: {len(report.done)} action(s).")
        for line in report.done:
            obj.say(f"- {one_line(line)}")
    else:
        obj.say(f"Pass at {now:%d/%m/%Y %H:%M}: nothing to do.")
    for w in report.warnings:
        obj.report("warning", w, "pass.warning")
    for f in report.failed:
        obj.report("problem", f, "action.failed")
    return report.exit_code


@command()
@now_option
@click.pass_obj
def run(obj: Ctx, now_text):
    """One pass: register referrals, act on decisions, mail, update the register."""
    svc, now = _services(obj, now_text)
    sys.exit(_one_pass(obj, svc, now))


@command()
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
    from o365flow.log import new_pass

    while not stopping["flag"]:
        new_pass()
        svc, now = _services(obj, None)
        code = _one_pass(obj, svc, now, stop=lambda: stopping["flag"])
        deadline = time.monotonic() + seconds
        while not stopping["flag"] and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    obj.say("Stopped.")
    sys.exit(0 if code in (0, 1) else code)


@command()
@now_option
@click.option("--all", "include_closed", is_flag=True, help="Include closed cases.")
@click.pass_obj
def status(obj: Ctx, now_text, include_closed: bool):
    """Every open case: stage, next deadline, RAG, who is outstanding (--json: a JSON array)."""
    from o365flow.commands.status import as_json as to_json
    from o365flow.commands.status import as_table, board_views

    svc, now = _services(obj, now_text, mail=False)
    views, rows = board_views(svc, now, include_closed)
    cfg = svc.config
    if obj.as_json:
        click.echo(json.dumps([to_json(v, rows.get(v.reference), cfg.themes) for v in views], indent=2))
    else:
        click.echo(as_table(views, now, cfg.board_name, cfg.reminder_days_before))


@command()
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
    except O365flowError as exc:
        if isinstance(exc, (BackendError, ConfigError)):
            raise
        raise UsageError(exc.message, exc.hint) from exc  # a period or file the command line asked for
    for line in result.findings:
        obj.report("found", line, "report.finding")
    if result.path is None:
        obj.report("problem", "the report would name someone (above); it was not saved", "report.problem")
        sys.exit(1)
    if not result.charts and not no_charts:
        obj.report("warning", "matplotlib is not installed (pip install 'o365flow[report]'): tables only",
                   "report.warning")
    obj.say(f"Saved {result.path} ({result.figures.period.label}).")


@command()
@now_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="A file (default: standard output).")
@click.pass_obj
def export(obj: Ctx, now_text, fmt: str, output):
    """The case-level dataset (no personal data), as CSV or JSON."""
    from o365flow.commands.export import as_csv, as_json, dataset

    svc, now = _services(obj, now_text, mail=False)
    records = dataset(svc, now)
    text = as_csv(records) if fmt == "csv" else as_json(records) + "\n"
    if output:
        output.write_text(text, encoding="utf-8", newline="")
        obj.say(f"Saved {len(records)} case(s) to {output}.")
    else:
        click.echo(text, nl=False)


@command("check-report")
@click.argument("reference")
@click.pass_obj
def check_report(obj: Ctx, reference: str):
    """Scan a case's final report for the subject's name and initials and for every name on the
    case's 'names not to publish' list. Exit 1 when anything is found or it cannot be checked."""
    from o365flow.worker.namecheck import run_check

    svc, _ = _services(obj, None)
    try:
        result = run_check(svc, reference.strip().upper())
    except InputError as exc:
        if type(exc) is not InputError:  # a document or the register: reported as it is
            raise
        raise UsageError(exc.message, exc.hint) from exc  # no such case, or nothing to check yet
    if obj.as_json:
        click.echo(json.dumps({"reference": reference.strip().upper(), "clean": result.clean,
                               "findings": result.findings, "problem": result.problem}, indent=2))
    else:
        for line in result.findings:
            click.echo(f"found: {one_line(line)}")
        if result.clean:
            obj.say(result.summary())
    if result.problem:
        obj.report("problem", result.problem, "check_report.problem")
    sys.exit(0 if result.clean else 1)


def main() -> None:  # pragma: no cover - console entry point alias
    cli()
