"""How a file is named where its name must not appear: logs, stdout, the digest, the audit.

People name files after people ("Referral for Jane Smith.docx"), so a file outside the case
folder and the register is shown by its library and a short, stable hash of its path: the same
file always gets the same label, and two files in a library practically never share one.
Anything a person or a file supplies is escaped before it is echoed (``escaped``).
"""

from __future__ import annotations

import hashlib


def file_id(path: str) -> str:
    """Eight hex digits naming ``path`` (stable across passes and machines)."""
    return hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def file_label(library: str, path: str) -> str:
    """``"a file in Referrals (id 3f2a9c1b)"``: where it is, never what it is called."""
    where = f" in {library}" if library else ""
    return f"a file{where} (id {file_id(path)})"


def case_file_label(library: str, path: str) -> str:
    """A file in a case folder: ``"a file in Reviews/NWSB-CPR-2026-001/03 Agency timelines (id
    3f2a9c1b)"``. The folders are the worker's own (a reference, a numbered subfolder); the
    file's name is not."""
    folder = path.rpartition("/")[0]
    return file_label(f"{library}/{folder}" if folder else library, path)


def unsafe_name_rule(name: str) -> str:
    """Why a file name must not reach a mail (an attachment's name, a line in a message), or ""
    when it may. Control characters forge header lines; direction-changing characters (U+202E
    and friends) make ``Summary \u202efdp.exe`` look like a PDF."""
    import unicodedata

    for c in name:
        kind = unicodedata.category(c)
        if kind == "Cc" or c in "\u2028\u2029":
            return "holds a control character (a line break or tab)"
        if kind == "Cf":
            return "holds an invisible or direction-changing character (e.g. U+202E)"
    return ""


def escaped(text: str, limit: int | None = None) -> str:
    """``text`` for a one-line message: control, format and direction-changing characters
    written as ``\\uXXXX`` (a value cannot forge a log line or turn text around); shortened
    to ``limit`` characters with an ellipsis when given."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "\u2026"


def shown_name(name: str, limit: int = 60) -> str:
    """A file name for a one-line message, control and format characters escaped."""
    return escaped(name, limit)
