"""What a hostile referral form costs: a small .docx whose document.xml unpacks to ~190 MB.

``python benchmarks/document_bomb.py [MB]`` builds the form, then reads it in a new process as a
pass would (``read_referral_fields``) and prints the wall time, the outcome and the peak RSS.
Results are written down in ``benchmarks/README.md``."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def build(megabytes: int) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    row = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(f"<w:document {W}><w:body>".encode())
                chunk = row * 30_000
                for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                    member.write(chunk)
                member.write(b"</w:body></w:document>")
    return out.getvalue()


def read(path: str) -> None:
    from o365flow.documents.referral import read_referral_fields
    from o365flow.errors import DocumentError

    start = time.perf_counter()
    try:
        read_referral_fields(Path(path).read_bytes(), "form")
        outcome = "read"
    except DocumentError as exc:
        outcome = f"refused: {exc}"
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{took:.2f} s, peak RSS {peak:.0f} MB, {outcome[:120]}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        read(sys.argv[2])
        sys.exit(0)
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 190
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.docx"
        path.write_bytes(build(megabytes))
        print(f"form: {path.stat().st_size // 1024} KB on disk, document.xml {megabytes} MB unpacked")
        subprocess.run([sys.executable, __file__, "--read", str(path)], check=True)
