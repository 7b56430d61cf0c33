"""How a file is named where its name must not appear: logs, stdout, the digest, the audit.

People name files after people ("Referral for Jane Smith.docx"), so a file outside the case
folder and the register is shown by its library and a short, stable hash of its path: the same
file always gets the same label, and two files in a library practically never share one.
A value echoed in a message is escaped by the one rule, ``errors.one_line`` (``errors.quoted``).
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
