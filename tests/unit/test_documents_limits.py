"""What one document may cost: a part over a sane unpacked size, too many parts, or a document
type declaration is refused from the zip's directory, before anything is inflated or parsed."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from docx import Document

from o365flow.documents.ooxml import MAX_XML_PART_BYTES, open_docx
from o365flow.documents.referral import read_referral_fields
from o365flow.errors import DocumentError

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(document_xml=None, extra: int = 0) -> bytes:
    """A real .docx, its document.xml replaced by ``document_xml`` (an iterable of byte chunks)."""
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml" and document_xml is not None:
                with target.open(info.filename, "w", force_zip64=True) as member:
                    for chunk in document_xml:
                        member.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
        for i in range(extra):
            target.writestr(f"extra/part{i}.xml", b"<a/>")
    return out.getvalue()


def _bomb(unpacked: int):
    yield f"<w:document {W}><w:body>".encode()
    chunk = b"<w:p/>" * 100_000
    for _ in range(unpacked // len(chunk) + 1):
        yield chunk
    yield b"</w:body></w:document>"


def test_a_form_that_unpacks_to_a_huge_part_is_refused_before_it_is_inflated():
    data = _package(_bomb(MAX_XML_PART_BYTES + 1024 * 1024))
    assert len(data) < MAX_XML_PART_BYTES // 100  # small on the wire: a zip bomb
    tracemalloc.start()
    with pytest.raises(DocumentError) as caught:
        read_referral_fields(data, "Referrals (id 1234abcd)")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith("Referrals (id 1234abcd): too large to read") and "word/document.xml" in message
    assert peak < 8 * 1024 * 1024  # the part was never inflated, let alone parsed


def test_entity_expansion_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        + f"<w:document {W}><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>".encode()
    )
    with pytest.raises(DocumentError, match="declares a document type"):
        open_docx(_package([laughs]), "form.docx")


def test_too_many_parts_are_refused():
    with pytest.raises(DocumentError, match="too many parts"):
        open_docx(_package(extra=2100), "form.docx")


def test_an_ordinary_form_is_still_read():
    assert open_docx(_package(), "form.docx") is not None
