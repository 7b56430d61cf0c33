"""The anonymisation check: names found wherever Word keeps text, and never repeated back."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from o365flow.documents import (
    OPTIONAL_REFERRAL_LABELS,
    Hit,
    NameToFind,
    find_names,
    names_to_find,
    read_name_list,
    read_referral_fields,
)
from o365flow.errors import DocumentError
from tests.helpers import docx_bytes as _save

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_URI}"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAME = NameToFind("the subject's name", "Jane Doe")
INITIALS = NameToFind("the subject's initials", "J.D.")
LISTED = NameToFind("name 1 on the names not to publish list", "Gwilym ap Rhys")


def _clean_report():
    """A report as the template shapes it, with no name in it."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "DRSB-CPR-2026-001 · sensitive – not for onward circulation"
    document.sections[0].footer.paragraphs[0].text = "Page 1"
    document.add_heading("Child Practice Review Report", 0)
    document.add_heading("Brief outline of circumstances", 1)
    document.add_paragraph("Child A lived with mother and her partner. The family was known to services.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Agency", "Involvement"
    table.cell(1, 0).text, table.cell(1, 1).text = "Police", "Attended in 2025"
    document.add_paragraph("An adjective is not an initial: it is, as a rule, a word.")
    return document


def _add_part(data: bytes, name: str, content_type: str, rel_type: str, xml: str) -> bytes:
    """``data`` with one more part related from the main document (what Word writes for notes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                member = member.replace(b"</Types>", f'<Override PartName="/word/{name}" '
                                        f'ContentType="{content_type}"/></Types>'.encode())
            elif info.filename == "word/_rels/document.xml.rels":
                member = member.replace(b"</Relationships>", f'<Relationship Id="rIdX{name[:3]}" '
                                        f'Type="{RELS}/{rel_type}" Target="{name}"/></Relationships>'.encode())
            target.writestr(info, member)
        target.writestr(f"word/{name}", xml)
    return buffer.getvalue()


def _notes(kind: str, *texts: str) -> str:
    """A footnotes/endnotes part: Word's two separators, then one note per text (ids from 1)."""
    separators = "".join(f'<w:{kind} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                         for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    notes = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
                    for i, text in enumerate(texts, start=1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {W}>{separators}{notes}</w:{kind}s>'


def _with_notes(document, kind: str, *texts: str) -> bytes:
    # The references come in the body in reverse id order: the reader sees them numbered 1, 2...
    paragraph = document.add_paragraph("See the notes.")
    for note_id in reversed(range(1, len(texts) + 1)):
        paragraph._p.append(parse_xml(f'<w:r {W}><w:{kind}Reference w:id="{note_id}"/></w:r>'))
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    return _add_part(_save(document), f"{kind}s.xml", content_type, f"{kind}s", _notes(kind, *texts))


def _text_box(text: str) -> str:
    """A floating text box as Word saves it: the drawing, and the VML fallback holding the same text."""
    content = ("<w:txbxContent><w:p><w:r><w:t>Box heading</w:t></w:r></w:p>"
               f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>")
    return (
        f'<w:r {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></w:drawing>'
        "</mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )


def test_clean_report_has_no_hits():
    assert find_names(_save(_clean_report()), [NAME, INITIALS, LISTED]) == []


def test_name_in_a_table_cell_nested_table_header_and_footer():
    document = _clean_report()
    document.tables[0].cell(1, 1).add_paragraph("Spoke to Jane Doe's teacher")
    inner = document.tables[0].cell(1, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "JD"
    document.sections[0].header.add_paragraph("Review of J. D.")
    document.sections[0].footer.paragraphs[0].text = "GWILYM AP RHYS"
    hits = find_names(_save(document), [NAME, INITIALS, LISTED])
    assert hits == [
        Hit("table 1 row 2 cell 1, table 2 row 1 cell 1", 1, "the subject's initials"),
        Hit("table 1 row 2 cell 2", 2, "the subject's name"),
        Hit("header 1", 2, "the subject's initials"),
        Hit("footer 1", 1, "name 1 on the names not to publish list"),
    ]


def test_name_in_a_footnote_and_an_endnote_numbered_as_the_reader_sees_them():
    data = _with_notes(_clean_report(), "footnote", "A source.", "Told by Jane  Doe.")
    assert find_names(data, [NAME]) == [Hit("footnote 1", 1, "the subject's name")]
    data = _with_notes(_clean_report(), "endnote", "Jane Doe", "Nothing")
    assert find_names(data, [NAME]) == [Hit("endnote 2", 1, "the subject's name")]


def test_name_in_a_comment():
    document = _clean_report()
    run = document.paragraphs[2].runs[0]
    document.add_comment(run, text="Check wording", author="Reviewer")
    document.add_comment(run, text="Is this jane doe?", author="Reviewer")
    assert find_names(_save(document), [NAME]) == [Hit("comment 2", 1, "the subject's name")]


def test_name_in_a_text_box_is_found_once():
    document = _clean_report()
    document.paragraphs[2]._p.append(parse_xml(_text_box("About Jane Doe")))
    assert find_names(_save(document), [NAME]) == [Hit("text box 1", 2, "the subject's name")]


def test_name_split_across_runs_by_formatting():
    document = _clean_report()
    paragraph = document.add_paragraph("The review met ")
    paragraph.add_run("Ja").bold = True
    paragraph.add_run("ne ")
    paragraph.add_run("D").italic = True
    paragraph.add_run("oe.")
    assert find_names(_save(document), [NAME]) == [Hit("body", 5, "the subject's name")]


def test_name_deleted_with_track_changes_is_still_in_the_file():
    document = _clean_report()
    document.add_paragraph()._p.append(parse_xml(
        f'<w:del {W} w:id="9" w:author="x" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:delText>Jane Doe</w:delText></w:r></w:del>"))
    assert find_names(_save(document), [NAME]) == [Hit("body", 5, "the subject's name")]


def test_name_in_the_document_properties():
    document = _clean_report()
    document.core_properties.title = "Review – Jane Doe"
    assert find_names(_save(document), [NAME]) == [Hit("document properties (title)", 1, "the subject's name")]


@pytest.mark.parametrize("written", ["J.D.", "J.D", "JD", "J. D.", "J D", "(JD)", "JD's"])
def test_initials_match_however_they_are_dotted(written):
    document = docx.Document()
    document.add_paragraph(f"The child {written} was seen.")
    assert find_names(_save(document), [INITIALS]) == [Hit("body", 1, "the subject's initials")]


@pytest.mark.parametrize("written", ["JDS", "AJD", "jd", "J.Doe", "XJ.D."])
def test_initials_only_as_whole_tokens(written):
    document = docx.Document()
    document.add_paragraph(f"The child {written} was seen.")
    assert find_names(_save(document), [INITIALS]) == []


def test_initials_that_are_words_match_capitals_only():
    document = docx.Document()
    document.add_paragraph("It is an example; it is not AN.")
    assert find_names(_save(document), [NameToFind("initials", "AN")]) == [Hit("body", 1, "initials")]
    document = docx.Document()
    document.add_paragraph("It is an example.")
    assert find_names(_save(document), [NameToFind("initials", "AN")]) == []


def test_whole_words_any_case_accents_and_apostrophes_ignored():
    document = docx.Document()
    document.add_paragraph("Janet Doerr was the nurse.")  # not a hit
    document.add_paragraph("SIÂN O\u2019BRIEN attended.")
    names = [NAME, NameToFind("name 2", "Sian O'Brien")]
    assert find_names(_save(document), names) == [Hit("body", 2, "name 2")]


def test_hits_never_carry_the_name_or_the_text():
    document = _clean_report()
    document.add_paragraph("Jane Doe (J.D.) and Gwilym ap Rhys were interviewed.")
    hits = find_names(_save(document), [NAME, INITIALS, LISTED])
    assert len(hits) == 3
    shown = " ".join(f"{hit} {hit!r}" for hit in hits) + repr([NAME, INITIALS, LISTED])
    for secret in ("Jane", "Doe", "J.D", "Gwilym", "Rhys", "interviewed"):
        assert secret not in shown


def test_a_report_that_is_not_a_word_document():
    with pytest.raises(DocumentError, match=r"^Reviews/R/07 Final report/report\.pdf: not a Word document"):
        find_names(b"%PDF-1.7", [NAME], source="Reviews/R/07 Final report/report.pdf")


def test_names_to_find_with_labels_that_name_no_one():
    names = names_to_find("Jane Mary Doe", "JMD", ["Gwilym ap Rhys", "", "Bob"])
    assert [(n.label, n.text) for n in names] == [
        ("the subject's name", "Jane Mary Doe"),
        ("part 1 of the subject's name", "Jane"),
        ("part 2 of the subject's name", "Mary"),
        ("part 3 of the subject's name", "Doe"),
        ("the subject's initials", "JMD"),
        ("name 1 on the names not to publish list", "Gwilym ap Rhys"),
        ("part 1 of name 1 on the names not to publish list", "Gwilym"),
        ("part 3 of name 1 on the names not to publish list", "Rhys"),
        ("name 2 on the names not to publish list", "Bob"),
    ]
    assert names_to_find() == []


def test_a_first_name_alone_is_found_through_the_parts():
    document = docx.Document()
    document.add_paragraph("Jane was seen at school.")
    hits = find_names(_save(document), names_to_find("Jane Doe", "JD"))
    assert hits == [Hit("body", 1, "part 1 of the subject's name")]


def test_name_list_from_a_table_under_name():
    document = docx.Document()
    facts = document.add_table(rows=1, cols=2)
    facts.cell(0, 0).text, facts.cell(0, 1).text = "Kept by", "Coordinator"
    table = document.add_table(rows=0, cols=2)
    for name, role in [("Name", "Relationship"), ("Jane Doe", "Subject"), ("", ""), ("Name", "Relationship"),
                       ("Gwilym ap Rhys", "Uncle"), ("  Jane   Doe ", "again")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, role
    assert read_name_list(_save(document)) == ["Jane Doe", "Gwilym ap Rhys"]


def test_name_list_one_per_paragraph_without_a_table():
    document = docx.Document()
    for text in ("Jane Doe", "", "Gwilym ap Rhys", "   "):
        document.add_paragraph(text)
    assert read_name_list(_save(document)) == ["Jane Doe", "Gwilym ap Rhys"]


def test_name_list_with_a_table_but_no_name_column_names_the_fix():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Who", "Why"
    with pytest.raises(DocumentError, match=r"^Reviews/R/names\.docx: no table column headed Name; "):
        read_name_list(_save(document), "Reviews/R/names.docx")


def test_referral_subject_name_is_read_when_the_form_has_it():
    assert OPTIONAL_REFERRAL_LABELS == {"subject_name": "Subject name"}
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Subject initials", "JD"
    table.cell(1, 0).text, table.cell(1, 1).text = "Subject name:", "Jane Doe"
    assert read_referral_fields(_save(document), "form.docx") == {"subject_initials": "JD", "subject_name": "Jane Doe"}
    control = parse_xml(f"<w:p {W}><w:sdt><w:sdtPr><w:tag w:val='subject_name'/></w:sdtPr><w:sdtContent>"
                        "<w:r><w:t>Jane Doe</w:t></w:r></w:sdtContent></w:sdt></w:p>")
    document = docx.Document()
    document.element.body.insert(0, control)
    assert read_referral_fields(_save(document), "form.docx") == {"subject_name": "Jane Doe"}


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_names_still_found_after_libreoffice_saves_the_report(tmp_path):
    document = _clean_report()
    document.sections[0].header.add_paragraph("About Jane Doe")
    document.add_comment(document.paragraphs[2].runs[0], text="Jane Doe?", author="Reviewer")
    document.tables[0].cell(1, 1).text = "Jane Doe"
    data = _with_notes(document, "footnote", "Source: Jane Doe")
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    subprocess.run([shutil.which("soffice"), "--headless", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", str(tmp_path / "out"), str(source)],
                   env={**os.environ, "HOME": str(tmp_path / "home")}, check=True, capture_output=True, timeout=180)
    hits = find_names((tmp_path / "out" / "report.docx").read_bytes(), [NAME])
    places = {re.sub(r"\d+", "N", hit.part) for hit in hits}
    assert places == {"header N", "comment N", "table N row N cell N", "footnote N"}


def test_a_damaged_notes_part_names_the_file_and_the_fix():
    data = _add_part(_save(_clean_report()), "footnotes.xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                     "footnotes", "<w:footnotes")
    with pytest.raises(DocumentError, match=r"^report\.docx: its footnotes part \(word/footnotes\.xml\) cannot"):
        find_names(data, [NAME], source="report.docx")


_REPORT = _with_notes(_clean_report(), "footnote", "Jane Doe")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(_REPORT) - 1), st.binary(min_size=1, max_size=16))
def test_damaged_reports_raise_only_document_error(position, patch):
    for data in (_REPORT[:position], _REPORT[:position] + patch + _REPORT[position + len(patch):]):
        try:
            find_names(data, [NAME], source="damaged.docx")
            read_name_list(data, "damaged.docx")
        except DocumentError as error:
            assert str(error).startswith("damaged.docx: ")
