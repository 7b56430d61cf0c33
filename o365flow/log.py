"""Logging for people (text) and for log collectors (JSON lines). Messages name references,
files, cells and agency codes -- never a subject's name, initials or circumstances."""

from __future__ import annotations

import json
import logging
import sys


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        for key in ("reference", "rule"):
            if getattr(record, key, None):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


def setup(verbose: bool, quiet: bool, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("o365flow")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING)
    root.propagate = False
