"""A rejected file is remembered by its version: it is not read again until it changes. Shown
by swapping a rejected file's bytes for other bad bytes of the same size and modification time
(so the same etag): the pass still reports the first problem. Touched, it is read again."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

from docx import Document

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def bomb() -> bytes:
    """A small .docx whose document.xml unpacks to 40 MB."""
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(f"<w:document {W}><w:body>".encode())
                for _ in range(400):
                    member.write(b"<w:p/>" * 17_500)
                member.write(b"</w:body></w:document>")
    return out.getvalue()


def swap_keeping_etag(path, data: bytes) -> None:
    stat = path.stat()
    assert len(data) == stat.st_size
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_rejected_form_is_not_read_again_until_it_changes(board):
    form = board.root / "site" / "Referrals" / "big.docx"
    data = bomb()
    form.write_bytes(data)
    first = board.run("2026-03-02", expect=1)
    assert "too large to read" in first.stderr
    swap_keeping_etag(form, OLE + b"\0" * (len(data) - len(OLE)))
    second = board.run("2026-03-03", expect=1)
    assert "too large to read" in second.stderr and "old Word format" not in second.stderr
    os.utime(form)  # saved again: a new version
    third = board.run("2026-03-04", expect=1)
    assert "old Word format" in third.stderr


def test_a_rejected_timeline_return_is_not_read_again_until_it_changes(board):
    ref = "DRSB-CPR-2026-001"
    board.run("2026-03-02")
    board.set_case(ref, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11")
    path = board.root / "site" / "Reviews" / ref / "03 Agency timelines" / "Timeline return POLICE.docx"
    data = bomb()
    path.write_bytes(data)
    first = board.run("2026-03-12", expect=1)
    assert "too large to read" in first.stderr
    swap_keeping_etag(path, OLE + b"\0" * (len(data) - len(OLE)))
    second = board.run("2026-03-13", expect=1)
    assert "too large to read" in second.stderr and "old Word format" not in second.stderr
    os.utime(path)
    third = board.run("2026-03-14", expect=1)
    assert "old Word format" in third.stderr
