"""A case reference is also a folder name (``Reviews/NWSB-CPR-2026-001/``). The worker only
ever makes references itself, but a person can type anything in the register's Reference
column; before a reference is used as a folder name it must pass these rules. Pure."""

from __future__ import annotations

import re

from o365flow.errors import quoted

REFERENCE = re.compile(r"^(?P<board>[A-Z0-9]+)-(?P<kind>CPR|APR|SUSR|MAPF)-(?P<year>\d{4})-(?P<seq>\d{3,})$")
MAX_LENGTH = 64
# Names Windows (and so OneDrive and SharePoint sync) cannot hold as a folder.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_FORBIDDEN = set('"*:<>?/\\|#%')


def folder_name_rule(reference: str) -> str:
    """The rule ``reference`` breaks as a folder name, or "" when it is a safe one."""
    text = str(reference)
    if not text.strip():
        return "is blank"
    if len(text) > MAX_LENGTH:
        return f"is {len(text)} characters long; a reference is at most {MAX_LENGTH}"
    if any(not c.isprintable() for c in text):
        return "holds a control or direction-changing character"
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text):
        return "is an absolute path"
    if any(part.strip(".") == "" for part in re.split(r"[/\\]", text)):
        return "is or holds a dot name ('.' or '..'), which points outside the case folders"
    if any(c in _FORBIDDEN for c in text):
        return "holds a path separator or a character folders cannot hold (\" * : < > ? / \\ | # %)"
    if text.split(".")[0].strip().upper() in _RESERVED:
        return "is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1, LPT1 ...)"
    if text != text.rstrip(". "):
        return "ends in a dot or a space, which folders cannot"
    if text != text.lstrip():
        return "starts with a space"
    return ""


def reference_problem(reference: str, where: str) -> str:
    """A one-line note naming ``where`` (e.g. the register row) and the rule broken, or ""."""
    rule = folder_name_rule(reference)
    if rule:
        return (f"{where}: the Reference {quoted(str(reference), 40)} {rule}; it is not used as a folder "
                "name and the row is left alone (references are given by o365flow, e.g. NWSB-CPR-2026-001)")
    return ""
