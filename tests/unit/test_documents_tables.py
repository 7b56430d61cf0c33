"""Finding and reading a Word table by its column labels, as people edit tables."""

from __future__ import annotations


import docx
import pytest
from docx.oxml import parse_xml

from o365flow.documents.tables import Column, find_table, label_key
from o365flow.errors import DocumentError
from tests.helpers import docx_bytes as _save

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
COLUMNS = (
    Column("name", "Name", ("Full name",)),
    Column("role", "Role", ("Job title",)),
    Column("note", "Note", required=False),
)


def _table(document, rows, container=None):
    container = container or document
    table = container.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    return table


def _cell(text: str, extra: str = "") -> str:
    return f"<w:tc><w:tcPr>{extra}</w:tcPr><w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p></w:tc>"


def _raw_table(*rows: str, columns: int = 3) -> str:
    grid = "".join("<w:gridCol/>" for _ in range(columns))
    return f"<w:tbl {W}><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def _with_body(*fragments: str) -> bytes:
    document = docx.Document()
    body = document.element.body
    for fragment in fragments:
        body.insert(len(body) - 1, parse_xml(fragment))
    return _save(document)


@pytest.mark.parametrize("text, key", [
    ("Progress / RAG", "progress rag"),
    ("  PROGRESS/rag ", "progress rag"),
    ("Target date (dd/mm/yyyy)", "target date"),
    ("Lead agency *", "lead agency"),
    ("Who was involved?", "who was involved"),
    ("Source record\nwhere it is kept", "source record"),
    ("Progress & RAG", "progress and rag"),
    ("Name(s)", "name"),
])
def test_labels_ignore_case_punctuation_spacing_and_notes(text, key):
    assert label_key(text) == key


def test_reads_rows_as_dicts_with_their_table_row():
    document = docx.Document()
    _table(document, [("Reference", "X"), ("Kept by", "Y")])  # another table first
    _table(document, [("Full  NAME:", "role", "Note"), ("Ann", "Chair", ""), ("Bob", "Clerk", "n")])
    table = find_table(_save(document), "people.docx", COLUMNS)
    assert (table.index, table.header_row, table.columns) == (2, 1, ("name", "role", "note"))
    assert [(r.row, r.values) for r in table.rows] == [
        (2, {"name": "Ann", "role": "Chair", "note": ""}),
        (3, {"name": "Bob", "role": "Clerk", "note": "n"}),
    ]


def test_optional_column_may_be_missing_and_columns_may_move():
    document = docx.Document()
    _table(document, [("Role", "Extra", "Name"), ("Chair", "x", "Ann")])
    table = find_table(_save(document), "moved.docx", COLUMNS)
    assert table.columns == ("name", "role")
    assert table.rows[0].values == {"name": "Ann", "role": "Chair", "note": ""}


def test_blank_rows_repeated_headers_and_a_title_row_are_skipped():
    document = docx.Document()
    table = _table(document, [
        ("People on the panel", "", ""),
        ("Name", "Role", "Note"),
        ("Ann", "Chair", ""),
        ("", "", ""),
        ("Name", "Role", "Note"),
        ("Bob", "", ""),
    ])
    table.rows[0].cells[0].merge(table.rows[0].cells[2])  # the title across the table
    found = find_table(_save(document), "t.docx", COLUMNS)
    assert found.header_row == 2
    assert [(r.row, r.values["name"]) for r in found.rows] == [(3, "Ann"), (6, "Bob")]


def test_vertically_merged_cell_applies_to_each_row_it_spans():
    document = docx.Document()
    table = _table(document, [("Name", "Role", "Note"), ("Ann", "Chair", "a"), ("", "Clerk", "b"),
                              ("", "", "c"), ("Bob", "Scribe", "")])
    table.cell(1, 0).merge(table.cell(3, 0))
    rows = find_table(_save(document), "merged.docx", COLUMNS).rows
    assert [(r.row, r.values["name"], r.values["role"], r.values["note"]) for r in rows] == [
        (2, "Ann", "Chair", "a"), (3, "Ann", "Clerk", "b"), (4, "Ann", "", "c"), (5, "Bob", "Scribe", ""),
    ]


def test_a_row_only_continuing_a_merge_is_blank():
    document = docx.Document()
    table = _table(document, [("Name", "Role", "Note"), ("Ann", "Chair", ""), ("", "", "")])
    table.cell(1, 0).merge(table.cell(2, 0))
    assert [r.row for r in find_table(_save(document), "m.docx", COLUMNS).rows] == [2]


def test_horizontal_merge_belongs_to_the_first_column_and_full_width_rows_are_marked():
    document = docx.Document()
    table = _table(document, [("Name", "Role", "Note"), ("Ann and Bob", "", "n"), ("Section two", "", "")])
    table.cell(1, 0).merge(table.cell(1, 1))
    table.cell(2, 0).merge(table.cell(2, 2))
    rows = find_table(_save(document), "h.docx", COLUMNS).rows
    assert rows[0].values == {"name": "Ann and Bob", "role": "", "note": "n"} and not rows[0].full_width
    assert rows[1].values == {"name": "Section two", "role": "", "note": ""} and rows[1].full_width


def test_grid_before_shifts_a_row_onto_the_right_columns():
    header = "<w:tr>" + _cell("Name") + _cell("Role") + _cell("Note") + "</w:tr>"
    shifted = "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>" + _cell("Chair") + _cell("n") + "</w:tr>"
    rows = find_table(_with_body(_raw_table(header, shifted)), "g.docx", COLUMNS).rows
    assert rows[0].values == {"name": "", "role": "Chair", "note": "n"}


def test_table_nested_in_a_cell_is_found():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    _table(document, [("Name", "Role"), ("Ann", "Chair")], container=outer.cell(0, 0))
    table = find_table(_save(document), "nested.docx", COLUMNS)
    assert table.index == 2
    assert table.rows[0].values["role"] == "Chair"


def test_table_and_rows_inside_content_controls():
    header = "<w:tr>" + _cell("Name") + _cell("Role") + "</w:tr>"
    item = "<w:sdt><w:sdtPr><w:tag w:val='row'/></w:sdtPr><w:sdtContent><w:tr>{}</w:tr></w:sdtContent></w:sdt>"
    repeating = ("<w:sdt><w:sdtPr><w:tag w:val='people'/></w:sdtPr><w:sdtContent>"
                 + item.format(_cell("Ann") + _cell("Chair")) + item.format(_cell("Bob") + _cell("Clerk"))
                 + "</w:sdtContent></w:sdt>")
    table = _raw_table(header, repeating, columns=2)
    # The table wrapped in a block-level control, its rows in a repeating section.
    inner = table.replace(" " + W, "")
    block = f"<w:sdt {W}><w:sdtPr><w:tag w:val='panel'/></w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    rows = find_table(_with_body(block), "sdt.docx", COLUMNS).rows
    assert [(r.row, r.values["name"], r.values["role"]) for r in rows] == [(2, "Ann", "Chair"), (3, "Bob", "Clerk")]


def test_placeholder_split_across_runs_and_tracked_deleted_rows_read_as_nothing():
    header = "<w:tr>" + _cell("Name") + _cell("Role") + "</w:tr>"
    prompt = ("<w:tr><w:tc><w:p><w:r><w:t>Click or tap </w:t></w:r><w:r><w:rPr><w:b/></w:rPr>"
              "<w:t>here to enter text.</w:t></w:r></w:p></w:tc>" + _cell("") + "</w:tr>")
    deleted = ("<w:tr><w:trPr><w:del w:id='1' w:author='x' w:date='2026-01-01T00:00:00Z'/></w:trPr>"
               + _cell("Gone") + _cell("Was here") + "</w:tr>")
    kept = "<w:tr>" + _cell("Ann") + _cell("Chair") + "</w:tr>"
    rows = find_table(_with_body(_raw_table(header, prompt, deleted, kept, columns=2)), "p.docx", COLUMNS).rows
    assert [(r.row, r.values["name"]) for r in rows] == [(4, "Ann")]


def test_the_table_naming_most_columns_wins():
    document = docx.Document()
    _table(document, [("Name", "Role"), ("Version 1", "Draft")])
    _table(document, [("Name", "Role", "Note"), ("Ann", "Chair", "x")])
    assert find_table(_save(document), "two.docx", COLUMNS).index == 2


def test_missing_column_names_the_table_the_column_and_the_fix():
    document = docx.Document()
    _table(document, [("Name", "Position", "Note"), ("Ann", "Chair", "")])
    with pytest.raises(DocumentError) as caught:
        find_table(_save(document), "Reviews/X/plan.docx", COLUMNS)
    assert str(caught.value) == ("Reviews/X/plan.docx: table 1 has no column headed Role; "
                                 "head the columns Name, Role as in the template")


def test_no_table_at_all_names_the_file():
    document = docx.Document()
    document.add_paragraph("Just words")
    with pytest.raises(DocumentError, match=r"^empty\.docx: no table headed Name, Role; "):
        find_table(_save(document), "empty.docx", COLUMNS)


def test_not_a_word_document():
    with pytest.raises(DocumentError, match=r"^x\.docx: not a Word document"):
        find_table(b"Name,Role\nAnn,Chair\n", "x.docx", COLUMNS)
