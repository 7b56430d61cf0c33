"""The command line (contract: "Command line"). Thin: the options, the clock read once, a call
to the command's body in ``commands/``, and its exit code.

Every failure reaches the user through one place, ``O365flowGroup``: one line naming the file,
key or row and the fix, the documented exit code, and a traceback only with ``--verbose``.
With ``--log-format json`` those lines, warnings and problems included, are JSON lines too
(``commands.console`` writes them).
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from o365flow import __version__
from o365flow.commands.console import Console
from o365flow.errors import EXIT_CODES, exit_code, one_line

if TYPE_CHECKING:
    from o365flow.worker.services import Services

log = logging.getLogger("o365flow.cli")

EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())


def _obj(ctx: click.Context) -> Console:
    return ctx.ensure_object(Console)


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
        obj = Console()
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and isinstance(ctx.find_root().obj, Console):
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


def _done(code: int) -> None:
    """A command's exit code: 0 returns (the group exits 0), anything else exits with it."""
    if code:
        sys.exit(code)


def _services(obj: Console, now_text: str | None, mail: bool = True) -> tuple[Services, datetime]:
    """The adapters the config selects, and the moment the command runs at: the clock read once."""
    config = obj.config()
    now = parse_now(now_text, config.tz)
    from o365flow.worker.services import open_services

    return open_services(config, clock=lambda: now, mail=mail), now


@command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Add sample referral forms (and a sample board's config).")
@click.pass_obj
def init(obj: Console, directory: Path, demo: bool):
    """Scaffold a board in DIRECTORY (never overwrites a file). Without --demo the config has
    placeholders that 'check' names until you fill them in."""
    from o365flow.commands.init import init_command

    _done(init_command(obj, directory, demo))


@command()
@click.option("--online", is_flag=True, help="Also prove access to every backend (site, libraries, mailbox).")
@click.pass_obj
def check(obj: Console, online: bool):
    """Validate the config, workflows and templates; list every problem (exit 1 if any)."""
    from o365flow.commands.check import check_command

    _done(check_command(obj, online))


@command()
@now_option
@click.pass_obj
def plan(obj: Console, now_text):
    """Dry run: print every action the next pass would take. Changes nothing."""
    from o365flow.commands.passes import plan_command

    svc, now = _services(obj, now_text)
    _done(plan_command(obj, svc, now))


@command()
@now_option
@click.pass_obj
def run(obj: Console, now_text):
    """One pass: register referrals, act on decisions, mail, update the register."""
    from o365flow.commands.passes import run_command

    svc, now = _services(obj, now_text)
    _done(run_command(obj, svc, now))


@command()
@click.option("--interval", default="5m", show_default=True, help="Time between passes: 30s, 5m, 1h.")
@click.pass_obj
def watch(obj: Console, interval: str):
    """A pass, then wait, forever; Ctrl+C or SIGTERM ends it cleanly between actions."""
    seconds = parse_interval(interval)
    from o365flow.commands.passes import watch_command

    _done(watch_command(obj, seconds, lambda: _services(obj, None)))


@command()
@now_option
@click.option("--all", "include_closed", is_flag=True, help="Include closed cases.")
@click.pass_obj
def status(obj: Console, now_text, include_closed: bool):
    """Every open case: stage, next deadline, RAG, who is outstanding (--json: a JSON array)."""
    from o365flow.commands.status import status_command

    svc, now = _services(obj, now_text, mail=False)
    _done(status_command(obj, svc, now, include_closed))


@command()
@now_option
@click.option("--quarter", metavar="YYYYQN", help="The quarter, e.g. 2026Q3 (July to September).")
@click.option("--from", "start", metavar="DATE", help="First day of the period (instead of --quarter).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (default: today).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Where to save the .docx.")
@click.option("--no-charts", is_flag=True, help="Tables only.")
@click.pass_obj
def report(obj: Console, now_text, quarter, start, end, output, no_charts: bool):
    """The quarterly Case Review Group report to the board (Word), for a period."""
    from o365flow.commands.report import report_command

    svc, now = _services(obj, now_text, mail=False)
    _done(report_command(obj, svc, now, quarter, start, end, output, charts=not no_charts))


@command()
@now_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="A file (default: standard output).")
@click.pass_obj
def export(obj: Console, now_text, fmt: str, output):
    """The case-level dataset (no personal data), as CSV or JSON."""
    from o365flow.commands.export import export_command

    svc, now = _services(obj, now_text, mail=False)
    _done(export_command(obj, svc, now, fmt, output))


@command("check-report")
@click.argument("reference")
@click.pass_obj
def check_report(obj: Console, reference: str):
    """Scan a case's final report for the subject's name and initials and for every name on the
    case's 'names not to publish' list. Exit 1 when anything is found or it cannot be checked."""
    from o365flow.commands.check_report import check_report_command

    svc, _ = _services(obj, None)
    _done(check_report_command(obj, svc, reference))


def main() -> None:  # pragma: no cover - console entry point alias
    cli()
