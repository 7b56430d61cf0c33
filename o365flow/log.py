"""Logging for people (text) and for log collectors (JSON lines). Messages name references,
files, cells and agency codes -- never a subject's name, initials or circumstances.

With ``--log-format json`` every line on stderr is one JSON object (this module's, the CLI's
warnings and problems, and any library's log or Python warning):

``{"time": "2026-03-02T09:05:00.123+00:00", "level": "error", "pass": "3f9c1a2b7d4e",
"event": "action.failed", "message": "..."}``

``time`` is ISO 8601 with the offset; ``pass`` is the same for every line of one command, so a
collector can group a pass's lines; ``event`` is the record's ``extra={"event": ...}`` or else
the module that logged it (``mail.smtp``). Extra fields (``reference``, ``rule``, ``hint``,
``problems``, ``exit_code``) are added when present.
"""

from __future__ import annotations

import json
import logging
import secrets
import sys
from datetime import datetime

from o365flow.errors import one_line

#: One id per command, and per pass of ``watch`` (``new_pass``): every log line carries it.
PASS_ID = secrets.token_hex(6)


def new_pass() -> str:
    """A new pass id for the lines that follow (``watch`` starts each pass with one)."""
    global PASS_ID
    PASS_ID = secrets.token_hex(6)
    return PASS_ID
_EXTRA_KEYS = ("reference", "rule", "hint", "problems", "exit_code")


def _event(record: logging.LogRecord) -> str:
    event = getattr(record, "event", None)
    if event:
        return str(event)
    name = record.name
    return name[len("o365flow.") :] if name.startswith("o365flow.") else name


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (``json.dumps`` escapes every control character)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "pass": PASS_ID,
            "event": _event(record),
            "message": record.getMessage(),
        }
        for key in _EXTRA_KEYS:
            value = getattr(record, key, None)
            if value not in (None, "", []):
                entry[key] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``level: message`` on one line: control characters in a message are escaped."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {one_line(record.getMessage())}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def setup(verbose: bool, quiet: bool, fmt: str) -> None:
    """Send o365flow's log to stderr in ``fmt`` (``text`` or ``json``); in JSON mode libraries'
    logs and Python warnings go the same way, so stderr holds nothing but JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    ours = logging.getLogger("o365flow")
    ours.handlers[:] = [handler]
    ours.setLevel(level)
    ours.propagate = False
    root = logging.getLogger()
    others = [h for h in root.handlers if not getattr(h, "_o365flow", False)]
    if fmt == "json":
        handler_for_libraries = logging.StreamHandler(sys.stderr)
        handler_for_libraries.setFormatter(JsonFormatter())
        handler_for_libraries._o365flow = True  # type: ignore[attr-defined]
        handler_for_libraries.setLevel(logging.ERROR if quiet else logging.WARNING)
        root.handlers[:] = [*others, handler_for_libraries]
        logging.captureWarnings(True)
    else:
        root.handlers[:] = others
        logging.captureWarnings(False)
