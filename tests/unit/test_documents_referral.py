"""Reading referral forms: the shipped form, plain tables as boards make them, and bad files."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from o365flow.documents import REFERRAL_LABELS, fill_referral_form, read_referral_fields
from o365flow.errors import DocumentError
from tests.helpers import docx_bytes as _save

FORM = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "templates" / "referral-form.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

VALUES = {
    "kind": "CPR",
    "subject_initials": "AB",
    "incident_date": "14/02/2026",
    "circumstances": "First line & <second> line\nThird line",
    "protected_6_months": "No",
    "referring_agency": "North Wales Police",
    "referrer_name": "Sam Example",
    "referrer_email": "sam@example.org",
}


def _with_body_xml(*fragments: str) -> bytes:
    """A .docx whose body holds the given raw WordprocessingML fragments."""
    document = docx.Document()
    body = document.element.body
    for fragment in fragments:
        body.insert(len(body) - 1, parse_xml(fragment))  # before w:sectPr
    return _save(document)


def test_labels_are_the_contract_table():
    assert REFERRAL_LABELS == {
        "kind": "Review requested",
        "subject_initials": "Subject initials",
        "incident_date": "Date of incident",
        "circumstances": "Summary of circumstances",
        "protected_6_months": "Registered or protected in previous 6 months",
        "referring_agency": "Referring agency",
        "referrer_name": "Referrer name",
        "referrer_email": "Referrer email",
    }


def test_filled_shipped_form_reads_back_exactly():
    filled = fill_referral_form(FORM.read_bytes(), VALUES)
    assert read_referral_fields(filled, "Referrals/form.docx") == VALUES


def test_filled_form_clears_placeholder_and_sets_the_stored_date():
    filled = fill_referral_form(FORM.read_bytes(), VALUES)
    xml = zipfile.ZipFile(io.BytesIO(filled)).read("word/document.xml").decode()
    assert "showingPlcHdr" not in xml
    assert 'w:fullDate="2026-02-14T00:00:00Z"' in xml
    assert "Click or tap" not in xml


def test_blank_shipped_form_has_every_field_empty():
    # Placeholder text ("Click or tap here to enter text.") is not a value.
    assert read_referral_fields(FORM.read_bytes(), "blank.docx") == {key: "" for key in REFERRAL_LABELS}


def test_partly_filled_form_reads_filled_fields_and_empties():
    filled = fill_referral_form(FORM.read_bytes(), {"kind": "Forum", "referring_agency": "Conwy"})
    fields = read_referral_fields(filled, "partly.docx")
    assert fields["kind"] == "Forum"
    assert fields["referring_agency"] == "Conwy"
    assert fields["subject_initials"] == ""


def test_shipped_form_labels_alone_are_enough():
    # The second reading path on the same form: take the tags away and the labels still work.
    filled = fill_referral_form(FORM.read_bytes(), VALUES)
    document = docx.Document(io.BytesIO(filled))
    for tag in document.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tag"):
        tag.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "renamed")
    assert read_referral_fields(_save(document), "untagged.docx") == VALUES


def test_plain_two_column_table_as_boards_make_them():
    document = docx.Document()
    document.add_paragraph("Referral to the Safeguarding Board")
    table = document.add_table(rows=0, cols=3)
    rows = [
        ("Field", "Details", ""),  # a header row
        ("  review REQUESTED :", "Adult Practice Review", ""),
        ("Subject Initials:", "", ""),
        ("Date of incident (dd/mm/yyyy)", "3 March 2026", ""),
        ("referring agency", "Betsi Cadwaladr UHB", "note"),
        ("Something else", "ignored", ""),
    ]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    # The value split across runs, with a tab and a line break.
    value = table.rows[2].cells[1].paragraphs[0]
    value.add_run("C")
    value.add_run("D")
    value.add_run().add_tab()
    value.add_run("x")
    value.add_run().add_break()
    value.add_run("y ")
    # A merged value cell (gridSpan over two grid columns).
    merged = table.rows[5].cells[1].merge(table.rows[5].cells[2])
    table.rows[5].cells[0].text = "Referrer name"
    merged.text = "Sam"
    merged.add_paragraph("Example")
    fields = read_referral_fields(_save(document), "board.docx")
    assert fields == {
        "kind": "Adult Practice Review",
        "subject_initials": "CD\tx\ny",
        "incident_date": "3 March 2026",
        "referring_agency": "Betsi Cadwaladr UHB",
        "referrer_name": "Sam\nExample",
    }


def test_nested_table_and_multi_paragraph_value():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Summary of circumstances"
    inner.cell(0, 1).text = "Para one"
    inner.cell(0, 1).add_paragraph("")
    inner.cell(0, 1).add_paragraph("Para two")
    assert read_referral_fields(_save(document), "nested.docx") == {
        "circumstances": "Para one\n\nPara two"
    }


def _sdt(tag: str, content: str, placeholder: bool = False) -> str:
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return (f"<w:sdt><w:sdtPr><w:tag w:val='{tag}'/>{flag}<w:text/></w:sdtPr>"
            f"<w:sdtContent>{content}</w:sdtContent></w:sdt>")


def test_content_controls_block_inline_and_cell_level():
    run = "<w:r><w:t>{}</w:t></w:r>"
    block = f"<w:body {W}>" + _sdt("Subject_Initials", f"<w:p>{run.format('EF')}</w:p>") + "</w:body>"
    inline = f"<w:p {W}><w:r><w:t>Agency: </w:t></w:r>" + _sdt("referring_agency", run.format("Powys")) + "</w:p>"
    cell_level = (
        f"<w:tbl {W}><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>"
        f"<w:tc><w:p>{run.format('Kind of review')}</w:p></w:tc>"
        + _sdt("KIND", f"<w:tc><w:p>{run.format('SUSR')}</w:p></w:tc>")
        + "</w:tr></w:tbl>"
    )
    # python-docx wraps a body fragment's children; take the block sdt out of its wrapper.
    document = docx.Document(io.BytesIO(_with_body_xml(inline, cell_level)))
    body = document.element.body
    body.insert(0, parse_xml(block)[0])
    assert read_referral_fields(_save(document), "controls.docx") == {
        "subject_initials": "EF",
        "referring_agency": "Powys",
        "kind": "SUSR",
    }


def test_content_control_wins_over_table_label_and_placeholders_are_empty():
    row = "<w:tr><w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc><w:tc><w:p>{}</w:p></w:tc></w:tr>"
    table = (
        f"<w:tbl {W}><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        + row.format("Subject initials", _sdt("subject_initials", "<w:r><w:t>GH</w:t></w:r>"))
        + row.format("Referrer name", _sdt("other", "<w:r><w:t>Enter a name.</w:t></w:r>", placeholder=True))
        + row.format("Referrer email", "<w:r><w:t>typed@example.org</w:t></w:r>")
        + "</w:tbl>"
    )
    elsewhere = f"<w:p {W}>" + _sdt("subject_initials", "<w:r><w:t>should lose</w:t></w:r>") + "</w:p>"
    fields = read_referral_fields(_with_body_xml(table, elsewhere), "mixed.docx")
    assert fields == {"subject_initials": "GH", "referrer_name": "", "referrer_email": "typed@example.org"}


def test_tracked_deletions_are_not_read():
    paragraph = (f"<w:p {W}><w:r><w:t>Referring agency</w:t></w:r></w:p>")
    table = (
        f"<w:tbl {W}><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>"
        "<w:tc><w:p><w:r><w:t>Referring agency</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:del w:id='1' w:author='x' w:date='2026-01-01T00:00:00Z'><w:r><w:delText>Old</w:delText>"
        "</w:r></w:del><w:ins w:id='2' w:author='x' w:date='2026-01-01T00:00:00Z'><w:r><w:t>New</w:t></w:r>"
        "</w:ins></w:p></w:tc></w:tr></w:tbl>"
    )
    assert read_referral_fields(_with_body_xml(paragraph, table), "tracked.docx") == {"referring_agency": "New"}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, words",
    [
        (b"Subject initials: AB\nReview requested: CPR\n", "not a Word document"),
        (_zip({"hello.txt": b"hi"}), "not a Word document"),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
    ],
    ids=["text-file", "zip-not-docx", "empty", "old-doc-or-encrypted"],
)
def test_not_a_docx_names_the_source_and_the_fix(data, words):
    with pytest.raises(DocumentError) as caught:
        read_referral_fields(data, "Referrals/odd.docx")
    message = str(caught.value)
    assert message.startswith("Referrals/odd.docx: ")
    assert words in message
    assert "save it as a Word Document" in message


def test_workbook_is_not_a_word_document():
    # An .xlsx is an OOXML zip too, with the wrong main part.
    data = _zip({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "xl/workbook.xml": b"<workbook/>",
    })
    with pytest.raises(DocumentError, match="book.docx: not a Word document"):
        read_referral_fields(data, "book.docx")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_raise_only_document_error(data):
    try:
        result = read_referral_fields(data, "fuzz.docx")
    except DocumentError as error:
        assert str(error).startswith("fuzz.docx: ")
    else:
        assert isinstance(result, dict)


_SHIPPED = FORM.read_bytes()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(_SHIPPED) - 1), st.binary(min_size=1, max_size=16))
def test_damaged_forms_raise_only_document_error(position, patch):
    # Truncated or overwritten copies of a real form: the failures real files have.
    for data in (_SHIPPED[:position], _SHIPPED[:position] + patch + _SHIPPED[position + len(patch):]):
        try:
            read_referral_fields(data, "damaged.docx")
        except DocumentError:
            pass


def test_word_placeholder_text_typed_into_a_table_reads_as_empty():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Subject initials"
    table.cell(0, 1).text = "Click or tap here to enter text."
    assert read_referral_fields(_save(document), "prompt.docx") == {"subject_initials": ""}


def _resave_with_libreoffice(data: bytes, tmp_path: Path) -> bytes:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "form.docx"
    source.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(
        [shutil.which("soffice"), "--headless", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(out), str(source)],
        env={**os.environ, "HOME": str(tmp_path / "home")},
        check=True, capture_output=True, timeout=180,
    )
    return (out / "form.docx").read_bytes()


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_form_saved_again_by_libreoffice_still_reads(tmp_path):
    # LibreOffice drops content-control tags and the placeholder flag when it saves: the label
    # path and the placeholder texts are what still read such a form right.
    values = {**VALUES, "circumstances": "One line only"}
    filled = _resave_with_libreoffice(fill_referral_form(FORM.read_bytes(), values), tmp_path / "a")
    assert read_referral_fields(filled, "lo.docx") == values
    blank = _resave_with_libreoffice(FORM.read_bytes(), tmp_path / "b")
    assert read_referral_fields(blank, "lo-blank.docx") == {key: "" for key in REFERRAL_LABELS}
