"""Word documents as PDF, for boards that send case documents to agencies as PDF.

On SharePoint the library converts (Graph: ``GET .../content?format=pdf``, the storage adapter's
``pdf`` ability). On the local backend LibreOffice does, run headless on a copy in a private
temporary folder that is removed afterwards, with a time limit: a document that cannot be
converted is never sent as Word instead -- the message is held and the coordinator told.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from o365flow.errors import DocumentError

TIMEOUT_SECONDS = 120
_NAMES = ("soffice", "libreoffice")


def office() -> str | None:
    """LibreOffice's command on this machine, or None."""
    return next((found for name in _NAMES if (found := shutil.which(name))), None)


def pdf_name(name: str) -> str:
    """``Action plan.docx`` -> ``Action plan.pdf``."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.pdf" if dot and ext.lower() == "docx" else name


def convert_with_office(data: bytes, source: str, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """``data`` (a .docx) as PDF bytes, by LibreOffice; ``DocumentError`` naming ``source`` and
    the fix when it cannot be done."""
    command = office()
    if command is None:
        raise DocumentError(f"{source}: cannot be sent as PDF: LibreOffice is not installed on this server",
                            "install LibreOffice (e.g. apt-get install libreoffice-writer-nogui), or set "
                            "[mail] attachments = \"docx\"")
    with tempfile.TemporaryDirectory(prefix="o365flow-pdf-") as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o700)  # a case document: private to the worker's account while converted
        (folder / "document.docx").write_bytes(data)
        # Its own profile folder: a LibreOffice a person has open on the same account does not
        # take the job, and nothing of a person's settings is used or changed.
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                 "--outdir", str(folder), str(folder / "document.docx")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(f"{source}: converting it to PDF took over {timeout} s",
                                "check the document opens in Word; it is tried again on the next pass") from None
        except OSError as exc:
            raise DocumentError(f"{source}: LibreOffice could not be started to convert it to PDF ({exc.strerror})",
                                "check the LibreOffice installation") from None
        out = folder / "document.pdf"
        if not out.exists() or not out.read_bytes().startswith(b"%PDF"):
            raise DocumentError(f"{source}: LibreOffice could not convert it to PDF",
                                "check the document opens in Word; it is tried again on the next pass")
        return out.read_bytes()
