"""The console a command speaks through: the global options (``--config``, ``-v``/``-q``,
``--log-format``, ``--json``) and the three ways a command is heard: ordinary output on stdout,
warnings and problems on stderr, and the one line an error ends a command with.

Every echoed value goes through ``errors.one_line``: what is printed or logged is one line.
With ``--log-format json`` warnings, problems and errors are JSON lines on stderr instead.
"""

from __future__ import annotations

import logging
import sys
import traceback

import click

from o365flow.core.settings import Config
from o365flow.errors import ConfigError, O365flowError, exit_code, one_line

#: The logger the command line's own lines go through (their ``event`` is always given).
log = logging.getLogger("o365flow.cli")


class Console:
    """The global options, wherever on the line they were given, and the output they shape."""

    def __init__(self) -> None:
        self.config_option: str | None = None
        self.verbose = False
        self.quiet = False
        self.log_format = "text"
        self.as_json = False

    def setup_logging(self) -> None:
        from o365flow.log import setup

        setup(self.verbose, self.quiet, self.log_format)

    def config(self) -> Config:
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

    def out(self, text: str, nl: bool = True, err: bool = False) -> None:
        """A command's result (a table, a JSON document, a CSV), even with ``--quiet``; on stdout,
        or on stderr with ``err``."""
        click.echo(text, nl=nl, err=err)

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
