"""Building blocks for the template bodies: paragraphs, lists, label | value tables, grids with
docxtpl row loops, signature blocks and content controls."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .styles import W

TBC = "to be confirmed"


def para(doc, text="", style=None, bold_prefix=None):
    """A paragraph; ``bold_prefix`` starts it in bold (a run-in heading)."""
    paragraph = doc.add_paragraph(style=style)
    if bold_prefix:
        paragraph.add_run(bold_prefix).bold = True
    paragraph.add_run(text)
    return paragraph


def heading(doc, text, level=1, new_page=False):
    """A Heading 1/2/3 paragraph; ``new_page`` starts it on a new page (a record to print)."""
    paragraph = doc.add_heading(text, level)
    paragraph.paragraph_format.page_break_before = new_page
    return paragraph


def guidance(doc, text):
    """Grey italic text telling the author what to write; deleted before a document is final."""
    return para(doc, text, "Guidance")


def _restart(doc, paragraph) -> None:
    """Start a List Number list at 1 again (otherwise every list continues the last one)."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = parse_xml(f'<w:lvlOverride {W} w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>')
    num.append(override)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.get_or_add_numPr().get_or_add_ilvl().val = 0
    ppr.get_or_add_numPr().get_or_add_numId().val = num.numId


def items(doc, lines, numbered=False):
    """A bulleted, or numbered (from 1), list."""
    for i, line in enumerate(lines):
        paragraph = para(doc, line, "List Number" if numbered else "List Bullet")
        if numbered and i == 0:
            _restart(doc, paragraph)


def people(doc, expression: str, empty=TBC) -> None:
    """A bulleted list of names from a context list, or ``empty`` when there are none."""
    para(doc, f"{{%p for name in {expression} %}}")
    para(doc, "{{ name }}", "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, f"{{%p if not {expression} %}}")
    para(doc, empty[0].upper() + empty[1:] + ".", "List Bullet")
    para(doc, "{%p endif %}")


def widths(table, widths_cm) -> None:
    """Fixed column widths, and compact cell paragraphs."""
    table.autofit = False
    tbl_grid = table._tbl.tblGrid
    for col, width in zip(tbl_grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                # Normal's paragraph spacing would otherwise win over the table style's.
                paragraph.paragraph_format.space_before = Pt(2)
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.line_spacing = 1.0


def look(table, first_row: bool, first_col: bool) -> None:
    """Which of the table style's conditional formats apply (header row, label column)."""
    element = table._tbl.tblPr.find(qn("w:tblLook"))
    if element is None:
        element = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(element)
    element.attrib.clear()
    values = {"firstRow": first_row, "lastRow": 0, "firstColumn": first_col,
              "lastColumn": 0, "noHBand": 1, "noVBand": 1}
    element.set(qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_col else 0) | 0x600:04X}")
    for name, value in values.items():
        element.set(qn(f"w:{name}"), str(int(value)))


def facts(doc, rows, col_widths=(5.0, 11.6), space_after=True):
    """A two-column label | value table (labels shaded). A value may be a callable that fills
    the cell's paragraph itself (a content control)."""
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        if callable(value):
            value(cells[1].paragraphs[0])
        else:
            cells[1].text = value
    look(table, first_row=False, first_col=True)
    widths(table, col_widths)
    if space_after:
        doc.add_paragraph()
    return table


def grid(doc, headers, col_widths, *, blank_rows=0, rows=(), loop=None, empty=None, row_height=0.9):
    """A table with a repeating header row. ``rows`` are fixed rows of cell texts; ``loop`` =
    (for-expression, cell texts) adds a docxtpl row loop and ``empty`` = (condition, text) a row
    shown instead when the looped list is empty; ``blank_rows`` are left for people to fill."""
    table = doc.add_table(rows=1, cols=len(headers), style="Board Table")
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for texts in rows:
        for cell, text in zip(table.add_row().cells, texts):
            cell.text = text
    if loop:
        expression, cells = loop
        table.add_row().cells[0].text = f"{{%tr for {expression} %}}"
        looped = table.add_row()
        for cell, text in zip(looped.cells, cells):
            cell.text = text
        if blank_rows:  # rows people sign: as tall as the blank ones
            looped.height = Cm(row_height)
        table.add_row().cells[0].text = "{%tr endfor %}"
        if empty:
            condition, text = empty
            table.add_row().cells[0].text = f"{{%tr if {condition} %}}"
            table.add_row().cells[0].text = text
            table.add_row().cells[0].text = "{%tr endif %}"
    for _ in range(blank_rows):
        table.add_row().height = Cm(row_height)
    for row in table.rows[1:]:
        # A row is never split across pages: a timeline entry or a signature stays whole.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    look(table, first_row=True, first_col=False)
    widths(table, col_widths)
    doc.add_paragraph()
    return table


def signature_block(doc, role: str) -> None:
    """Name, signature and date rows for one person."""
    facts(doc, [(role, ""), ("Signature", ""), ("Date", "")])


PLACEHOLDERS = {"text": "Click or tap here to enter text.", "dropDownList": "Choose an item.",
                "date": "Click or tap to enter a date."}


def content_control(key: str, label: str, number: int, kind="text", options=None, language: str = "en-GB",
                    prompts: dict[str, str] = PLACEHOLDERS):
    """A Word content control tagged ``key`` and titled ``label``, showing placeholder text in
    the Placeholder Text style (as Word itself inserts one). ``kind``: text, dropDownList, date;
    ``options``: the list items, or "multiLine" for text; ``language``: a date's locale;
    ``prompts``: the placeholder text for each kind."""
    if kind == "dropDownList":
        choice = "<w:dropDownList>" + "".join(
            f'<w:listItem w:displayText="{o}" w:value="{o}"/>' for o in options) + "</w:dropDownList>"
    elif kind == "date":
        choice = ('<w:date><w:dateFormat w:val="dd/MM/yyyy"/>'
                  f'<w:lid w:val="{language}"/>'
                  '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    else:
        choice = '<w:text w:multiLine="1"/>' if options == "multiLine" else "<w:text/>"
    return parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="{label}"/><w:tag w:val="{key}"/>'
        f'<w:id w:val="{1000 + number}"/><w:showingPlcHdr/>{choice}</w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
        f"<w:t>{prompts[kind]}</w:t></w:r></w:sdtContent></w:sdt>")


def control_cell(key: str, label: str, number: int, kind="text", options=None):
    """A ``facts`` value that puts a content control in the cell."""
    return lambda paragraph: paragraph._p.append(content_control(key, label, number, kind, options))
