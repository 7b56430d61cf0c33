"""Build the Word template set in ``templates/`` from code, so it is reproducible and reviewable.

    python tools/build_templates.py

Writes every ``.docx`` in place (byte-identical on every run). Templates use docxtpl tags and
only the context the worker supplies (see ``o365flow/documents/render.py``); the referral form
has no tags: people fill it in. Each document is plain Word: real styles (Title, Heading 1/2,
List Number/Bullet, Guidance, the "Board Table" table style), A4, Arial 11pt, the protective
marking and case reference in the header and "Page X of Y" in the footer.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from o365flow.documents.ooxml import stable_zip  # noqa: E402
from o365flow.documents.referral import REFERRAL_LABELS  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FONT = "Arial"
NAVY, BLUE, GREY = "1F3864", "2E5C8A", "595959"
MARKING = "OFFICIAL-SENSITIVE – not for onward circulation"
TBC = "to be confirmed"
# Fixed so that rebuilding changes no bytes.
BUILT = datetime(2026, 1, 1, tzinfo=timezone.utc)

TABLE_STYLE = f"""<w:style {W} w:type="table" w:customStyle="1" w:styleId="BoardTable">
  <w:name w:val="Board Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="20"/></w:rPr>
  <w:tblPr><w:tblBorders>
    <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/><w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/><w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
  </w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>
    <w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr></w:tblStylePr>
  <w:tblStylePr w:type="firstCol"><w:rPr><w:b/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DEE6F0"/></w:tcPr></w:tblStylePr>
</w:style>"""


# ---------------------------------------------------------------- styles and page layout


def _fonts(rpr) -> None:
    """Arial everywhere: theme font attributes would otherwise win over the named font."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    for name in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{name}"), FONT)


def _style(doc, name, size=None, bold=None, italic=None, color=None, before=None, after=None):
    style = doc.styles[name]
    font = style.font
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color:
        font.color.rgb = RGBColor.from_string(color)
        rpr_color = style.element.rPr.find(qn("w:color"))
        for attr in ("themeColor", "themeShade", "themeTint"):
            rpr_color.attrib.pop(qn(f"w:{attr}"), None)
    if before is not None:
        style.paragraph_format.space_before = Pt(before)
    if after is not None:
        style.paragraph_format.space_after = Pt(after)
    return style


def configure_styles(doc) -> None:
    styles = doc.styles.element
    for rpr in styles.iter(qn("w:rPr")):
        _fonts(rpr)
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults)
    normal = _style(doc, "Normal", size=11, after=6)
    normal.paragraph_format.line_spacing = 1.15
    title = _style(doc, "Title", size=24, bold=True, color=NAVY, after=4)
    ppr = title.element.pPr
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))  # the default template underlines titles
    title.font.character_spacing = Pt(0)
    _style(doc, "Subtitle", size=13, italic=False, color=GREY, after=12)
    _style(doc, "Heading 1", size=14, bold=True, color=NAVY, before=18, after=6)
    _style(doc, "Heading 2", size=12, bold=True, color=BLUE, before=12, after=4)
    _style(doc, "Heading 3", size=11, bold=True, color=BLUE, before=10, after=2)
    _style(doc, "Header", size=9, color=GREY)
    _style(doc, "Footer", size=9, color=GREY)
    guidance = doc.styles.add_style("Guidance", WD_STYLE_TYPE.PARAGRAPH)
    guidance.base_style = doc.styles["Normal"]
    guidance.font.italic = True
    guidance.font.color.rgb = RGBColor.from_string(GREY)
    guidance.quick_style = True
    placeholder = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor.from_string("808080")
    placeholder.element.set(qn("w:styleId"), "PlaceholderText")
    styles.append(parse_xml(TABLE_STYLE))


def page_setup(section, landscape=False) -> None:
    short, long_ = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)


def _field(paragraph, instruction: str, shown: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def header_footer(section, reference: str, footer_name: str) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking = header.add_run(MARKING)
    marking.bold = True
    marking.font.color.rgb = RGBColor.from_string("C00000")
    if reference:
        line = section.header.add_paragraph(reference, style="Header")
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{footer_name}  ·  Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def new_document(title: str, subtitle: str, *, reference="{{ case.reference }}",
                 footer_name="{{ board.name }}", landscape=False):
    doc = Document()
    configure_styles(doc)
    section = doc.sections[0]
    page_setup(section, landscape)
    header_footer(section, reference, footer_name)
    props = doc.core_properties
    props.author = props.last_modified_by = "o365flow"
    props.title, props.subject, props.comments, props.keywords = title, "", "", ""
    props.created = props.modified = BUILT
    props.revision = 1
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph(subtitle, style="Subtitle")
    return doc


def landscape_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    return section


# ---------------------------------------------------------------- content helpers


def para(doc, text="", style=None, bold_prefix=None):
    paragraph = doc.add_paragraph(style=style)
    if bold_prefix:
        paragraph.add_run(bold_prefix).bold = True
    paragraph.add_run(text)
    return paragraph


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


def _widths(table, widths_cm) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                # Normal's paragraph spacing would otherwise win over the table style's.
                paragraph.paragraph_format.space_before = Pt(2)
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.line_spacing = 1.0


def _look(table, first_row: bool, first_col: bool) -> None:
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.attrib.clear()
    values = {"firstRow": first_row, "lastRow": 0, "firstColumn": first_col,
              "lastColumn": 0, "noHBand": 1, "noVBand": 1}
    look.set(qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_col else 0) | 0x600:04X}")
    for name, value in values.items():
        look.set(qn(f"w:{name}"), str(int(value)))


def facts(doc, rows, widths=(5.0, 11.6)):
    """A two-column label | value table (labels shaded)."""
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    _look(table, first_row=False, first_col=True)
    _widths(table, widths)
    doc.add_paragraph()
    return table


def grid(doc, headers, widths, *, blank_rows=0, loop=None, empty=None):
    """A table with a repeating header row; ``loop`` = (for-expression, cell texts) adds a
    docxtpl row loop, ``empty`` a row shown when the looped list is empty."""
    table = doc.add_table(rows=1, cols=len(headers), style="Board Table")
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    if loop:
        expression, cells = loop
        table.add_row().cells[0].text = f"{{%tr for {expression} %}}"
        for cell, text in zip(table.add_row().cells, cells):
            cell.text = text
        table.add_row().cells[0].text = "{%tr endfor %}"
        if empty:
            condition, text = empty
            table.add_row().cells[0].text = f"{{%tr if {condition} %}}"
            table.add_row().cells[0].text = text
            table.add_row().cells[0].text = "{%tr endif %}"
    for _ in range(blank_rows):
        row = table.add_row()
        row.height = Cm(0.9)
    _look(table, first_row=True, first_col=False)
    _widths(table, widths)
    doc.add_paragraph()
    return table


def signature_block(doc, role: str) -> None:
    facts(doc, [(f"{role} name", ""), ("Signature", ""), ("Date", "")])


def save(doc, relative: str) -> Path:
    buffer = io.BytesIO()
    doc.save(buffer)
    path = ROOT / "templates" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path



# ---------------------------------------------------------------- the review templates

KEY_FACTS = [
    ("Reference", "{{ case.reference }}"),
    ("Type of review", "{{ case.kind_name }}{% if case.decision %} – {{ case.decision }}{% endif %}"),
    ("Referring agency", "{{ case.referring_agency or 'not recorded' }}"),
    ("Referral received", "{{ case.referral_received or 'not recorded' }}"),
    ("Decision date", f"{{{{ case.decision_date or '{TBC}' }}}}"),
]


def terms_of_reference():
    doc = new_document("Terms of reference", "{{ case.kind_name }} · {{ board.name }}")
    facts(doc, KEY_FACTS + [("Review due", f"{{{{ case.review_due or '{TBC}' }}}}")])

    doc.add_heading("Purpose of the review", 1)
    para(doc, "This review is commissioned by {{ board.name }} under Working Together to Safeguard "
              "People. Its purpose is to identify learning for the agencies that work with children "
              "and adults at risk, and to improve practice and the systems that support it. It is "
              "not an inquiry into how the person died or was harmed, nor into who is culpable.")
    para(doc, "The review follows the principles of the learning and reviewing framework: support for "
              "professionals, fair and just learning, transparency, engagement of the family, "
              "accountability and effectiveness through action and audit.")

    doc.add_heading("Scope", 1)
    para(doc, "The review will consider the involvement of agencies during the 12 months before the "
              "incident{% if case.incident_date %} of {{ case.incident_date }}{% endif %}, unless "
              "the review panel agrees a different period and records why. Relevant events before "
              "that period may be summarised by agencies where they help to explain what happened.",
         bold_prefix="Period under review. ")
    para(doc, "The review will address in particular:")
    items(doc, [
        "What each agency knew, what it did, and whether this was in line with its policies and "
        "procedures and with the Wales Safeguarding Procedures.",
        "How well agencies shared information and worked together.",
        "What helped and what hindered good practice, including organisational factors.",
        "What should change, and how the Board will know that it has made a difference.",
    ], numbered=True)

    doc.add_heading("Decision and type of review", 1)
    para(doc, "The Chair of {{ board.name }} decided{% if case.decision_date %} on "
              "{{ case.decision_date }}{% endif %} that this case meets the criteria for: "
              f"{{{{ case.decision or '{TBC}' }}}} ({{{{ case.kind_name }}}}).")
    para(doc, "{% if case.suggested_review %}Suggested from the referral's answers: "
              "{{ case.suggested_review }}. {% endif %}The decision rests with the Chair; this "
              "document records it.", "Guidance")

    doc.add_heading("Review panel and reviewers", 1)
    doc.add_heading("Reviewers", 2)
    para(doc, "An extended review is led by two reviewers, at least one independent of the agencies "
              "involved in the case.", "Guidance")
    people(doc, "case.reviewers")
    doc.add_heading("Review panel", 2)
    people(doc, "case.panel_members")
    para(doc, "Panel members have had no direct involvement with the case or line management of those "
              "who did. Each signs a confidentiality agreement before receiving any case material.")

    doc.add_heading("Agencies asked to contribute", 1)
    para(doc, "Each agency below is asked to examine its records and return an agency timeline for the "
              "period under review, and to nominate practitioners to attend the learning event.")
    grid(doc, ["Agency", "Code", "Timeline return received"], [9.6, 2.6, 4.4],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", ""]),
         empty=("not agencies", "Agencies to be confirmed by the review panel."))

    doc.add_heading("Timescales", 1)
    grid(doc, ["Milestone", "Date"], [10.0, 6.6], loop=None)
    table = doc.tables[-1]
    for label, value in [
        ("Decision by the Board Chair", f"{{{{ case.decision_date or '{TBC}' }}}}"),
        ("Learning event", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Review completed (normally within 6 months of the decision)", f"{{{{ case.review_due or '{TBC}' }}}}"),
        ("Final report", f"{{{{ case.final_report_date or '{TBC}' }}}}"),
        ("Action plan signed off by agencies", "within 4 weeks of the final report"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    _widths(table, [10.0, 6.6])
    para(doc, "If the review is put on hold (for example for criminal proceedings or an inquest) the "
              "timescale stops and restarts when it resumes; the Board is told of any change.")

    doc.add_heading("Family involvement", 1)
    para(doc, "The reviewers will invite the family to contribute, at a time and in a way that suits "
              "them, and will tell them about the findings before the report is published.")

    doc.add_heading("Confidentiality", 1)
    para(doc, "Everything shared for this review is confidential to the review. Documents are held in "
              "the review's folder only, are not forwarded by email, and are not circulated beyond "
              "the panel and reviewers. The published report will be anonymised: it will not name "
              "the child or adult, or members of their family.")
    para(doc, "Review coordinator: {{ coordinator.name }}, {{ coordinator.email }}. "
              "Prepared on {{ generated_on }}.", "Guidance")
    return save(doc, "review/terms-of-reference.docx")


def agency_timeline_return():
    doc = new_document("Agency timeline return", "{{ case.kind_name }} · {{ board.name }}")
    facts(doc, [("Reference", "{{ case.reference }}"), ("Agency", ""), ("Completed by (name and role)", ""),
                ("Date completed", ""), ("Records examined", "")])
    doc.add_heading("How to complete this return", 1)
    items(doc, [
        "Cover the period set by the terms of reference: by default the 12 months before the "
        "incident{% if case.incident_date %} of {{ case.incident_date }}{% endif %}.",
        "Add one row for each significant event, contact or decision, in date order.",
        "Write what happened as recorded at the time: facts, not opinion. Say where it is recorded.",
        "Refer to the subject and family by initials or role only (for example \u201cChild A\u201d, "
        "\u201cmother\u201d); name practitioners by role and team.",
        "Add rows as you need them. Do not change the columns.",
        "Save the completed return in the case folder and tell the review coordinator "
        "({{ coordinator.email }}). Do not send it by email.",
    ], numbered=True)
    para(doc, "A significant event is anything that affected the person's safety or wellbeing, or a "
              "point where a decision was made or could have been made.", "Guidance")
    landscape_section(doc)
    doc.add_heading("Timeline", 1)
    grid(doc, ["Date", "Time", "What happened", "Who was involved", "Source record"],
         [2.6, 1.8, 12.0, 4.9, 4.0], blank_rows=10)
    return save(doc, "review/agency-timeline-return.docx")


def learning_event_plan():
    doc = new_document("Learning event plan", "{{ case.kind_name }} · {{ board.name }}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Date", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Time", ""), ("Venue", ""),
        ("Facilitators", f"{{{{ case.reviewers|join(', ') or '{TBC}' }}}}"),
        ("Organised by", "{{ coordinator.name }} ({{ coordinator.email }})"),
    ])
    doc.add_heading("Purpose of the event", 1)
    para(doc, "The learning event brings together the practitioners and managers who worked with the "
              "family, so that the reviewers understand what happened and why from those involved. "
              "It is a safe space to reflect and learn, not to apportion blame.")
    doc.add_heading("Invitees", 1)
    para(doc, "Each agency nominates the practitioners and first-line managers involved during the "
              "period under review.")
    grid(doc, ["Agency", "Code", "Practitioners invited", "Confirmed"], [6.4, 2.0, 5.6, 2.6],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not agencies", "Agencies to be confirmed."))
    doc.add_heading("Programme", 1)
    grid(doc, ["Time", "Session"], [3.0, 13.6])
    table = doc.tables[-1]
    for time, session in [
        ("09:30", "Arrival and coffee"), ("10:00", "Welcome, purpose and ground rules"),
        ("10:15", "Overview of the review and the merged timeline"),
        ("10:45", "Practitioner discussion: what happened, and what it was like at the time"),
        ("12:00", "Lunch"), ("12:45", "Themes: what helped, what got in the way"),
        ("14:00", "What would make a difference: ideas for practice and systems"),
        ("14:45", "Next steps, support available, evaluation and close"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = time, session
    _widths(table, [3.0, 13.6])
    doc.add_heading("Supporting practitioners", 1)
    items(doc, [
        "Tell practitioners beforehand what the event is for and how their contribution will be used.",
        "Managers make time for a debrief afterwards; staff support services are available.",
        "Nothing said at the event is attributed to a named practitioner in the report.",
    ])
    doc.add_heading("Attendance", 1)
    grid(doc, ["Name", "Role", "Agency", "Signature"], [4.6, 4.4, 4.6, 3.0], blank_rows=12)
    para(doc, "Attendance records are confidential to the review and kept in the case folder.", "Guidance")
    return save(doc, "review/learning-event-plan.docx")


def practice_review_report():
    doc = new_document("{{ case.kind_name }} report", "{{ board.name }} · {{ case.reference }}")
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Type of review", "{{ case.kind_name }}{% if case.decision %} – {{ case.decision }}{% endif %}"),
                ("Final report date", f"{{{{ case.final_report_date or '{TBC}' }}}}")])
    para(doc, "This report is anonymised. Refer to the child or adult as agreed by the panel (for "
              "example \u201cChild A\u201d or \u201cAdult B\u201d) and to practitioners by role. Do not "
              "include names or details that would identify the family. Delete the guidance text in "
              "each section before the report is approved.", "Guidance")

    doc.add_heading("Brief outline of circumstances", 1)
    para(doc, "Summarise the circumstances that led to the review, the period under review and the "
              "agencies involved. Keep it brief: the detail of events belongs in the summary timeline "
              "(Appendix 2).", "Guidance")
    para(doc, "")

    doc.add_heading("Practice and organisational learning", 1)
    para(doc, "Set out the learning the review has identified: what happened and why, what was done "
              "well, and where practice or the systems supporting it could have been better. Draw on "
              "the agency timelines, the learning event and the family's contribution. Identify each "
              "learning theme with a short heading.", "Guidance")
    para(doc, "")

    doc.add_heading("Improving systems and practice", 1)
    doc.add_heading("Recommendations", 2)
    para(doc, "In order to promote the learning from this case, the review identified the following "
              "actions for the Board and its member agencies, and the improvement outcomes expected. "
              "Each recommendation is carried into the action plan.", "Guidance")
    items(doc, ["Recommendation: …  Expected outcome: …", "Recommendation: …  Expected outcome: …"],
          numbered=True)

    doc.add_heading("Statement by reviewer(s)", 1)
    para(doc, "Each reviewer makes the following statement. Prior to my involvement with this review I:",
         "Guidance")
    items(doc, [
        "have not been directly concerned with the child or adult, or the family, or have given "
        "professional advice on the case;",
        "have had no immediate line management of the practitioners involved;",
        "have the appropriate recognised qualifications, knowledge, experience and training to "
        "undertake the review.",
    ])
    para(doc, "The review was conducted appropriately and was rigorous in its analysis and evaluation "
              "of the issues set out in the terms of reference.", "Guidance")
    signature_block(doc, "Reviewer 1")
    signature_block(doc, "Reviewer 2")

    doc.add_heading("Statement by review panel chair", 1)
    para(doc, "I make the following statement: I am satisfied that the reviewers' work has been "
              "conducted to a satisfactory standard and that the report and its recommendations "
              "reflect the learning from this case.", "Guidance")
    signature_block(doc, "Review panel chair")

    doc.add_heading("Appendices", 1)
    doc.add_heading("Appendix 1: Terms of reference", 2)
    para(doc, "Insert the terms of reference as agreed by the review panel.", "Guidance")
    doc.add_heading("Appendix 2: Summary timeline", 2)
    para(doc, "Insert the summary timeline merged from the agency returns, anonymised.", "Guidance")
    return save(doc, "review/practice-review-report.docx")


def action_plan():
    doc = new_document("Action plan", "{{ case.kind_name }} · {{ board.name }}", landscape=True)
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Final report date", f"{{{{ case.final_report_date or '{TBC}' }}}}"),
                ("Owner", "{{ coordinator.name }} ({{ coordinator.email }})")], widths=(6.0, 19.3))
    para(doc, "One row for each action arising from each recommendation in the report. Progress is "
              "reported to the Board until every action is complete: Red – not started or at risk; "
              "Amber – in progress; Green – on track; Complete – done and evidenced.", "Guidance")
    doc.add_heading("Actions", 1)
    grid(doc, ["Recommendation", "Action", "Lead agency", "Lead officer", "Target date",
               "Progress / RAG", "Evidence of outcome"],
         [4.2, 5.2, 3.2, 3.2, 2.4, 3.2, 3.9], blank_rows=8)
    doc.add_heading("Sign-off by agencies", 1)
    para(doc, "Each agency signs off this action plan within 4 weeks of the final report, by replying "
              "to the sign-off request it is sent.")
    grid(doc, ["Agency", "Code", "Signed off by", "Date"], [10.0, 3.0, 8.0, 4.3],
         loop=("agency in signoff_agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not signoff_agencies", "No agency is asked to sign off this plan."))
    return save(doc, "review/action-plan.docx")


# ---------------------------------------------------------------- the forum templates


def facilitation_notes():
    doc = new_document("Multi-agency professional forum", "Facilitation notes · {{ board.name }}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Date", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Venue", ""),
        ("Facilitator", f"{{{{ case.reviewers|join(', ') or '{TBC}' }}}}"),
        ("Coordinator", "{{ coordinator.name }} ({{ coordinator.email }})"),
    ])
    doc.add_heading("Purpose of the forum", 1)
    para(doc, "A multi-agency professional forum is a facilitated discussion for case learning, or for "
              "the dissemination of learning, where the case does not call for a practice review. "
              "There is no statutory report: the forum produces a learning summary that is shared "
              "across the member agencies.")
    para(doc, "Ground rules: the discussion is about learning, not blame; what is said stays in the "
              "room unless it raises a safeguarding concern; the family is referred to by initials "
              "or role only.", "Guidance")
    doc.add_heading("Attendees", 1)
    grid(doc, ["Agency", "Code", "Name", "Role"], [6.4, 2.0, 4.4, 3.8],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not agencies", "Attendees to be confirmed."))
    doc.add_heading("Discussion prompts", 1)
    items(doc, [
        "What did each agency know about the person and their circumstances, and when?",
        "What was done well? What made good practice possible?",
        "Where were there missed opportunities, and what got in the way?",
        "How well was information shared between agencies, and with the family?",
        "Which policies, procedures or systems helped or hindered?",
        "What one change would make the most difference, and who can make it?",
    ], numbered=True)
    doc.add_heading("Notes", 1)
    for heading in ["Summary of the case", "What went well", "What could be improved",
                    "Learning identified", "Actions agreed"]:
        doc.add_heading(heading, 2)
        para(doc, "")
    grid(doc, ["Action", "Agency", "By when"], [9.6, 4.0, 3.0], blank_rows=4)
    return save(doc, "forum/facilitation-notes.docx")


def learning_summary():
    doc = new_document("Learning summary", "Multi-agency professional forum · {{ board.name }}")
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Forum held", "{{ case.learning_event_date or 'to be arranged' }}"),
                ("Prepared on", "{{ generated_on }}")])
    para(doc, "This summary is for dissemination across {{ board.name }} and its member agencies. "
              "It is anonymised: it does not name the person, their family or the practitioners "
              "involved. Replace the guidance text before it is shared.", "Guidance")
    doc.add_heading("About the case", 1)
    para(doc, "A short, anonymised description of the circumstances and why the forum was held.",
         "Guidance")
    para(doc, "")
    doc.add_heading("Key learning points", 1)
    items(doc, ["Learning point: …", "Learning point: …", "Learning point: …"], numbered=True)
    doc.add_heading("Actions for agencies", 1)
    grid(doc, ["Agency", "Action", "By when"], [6.0, 7.6, 3.0],
         loop=("agency in agencies", ["{{ agency.name }}", "", ""]),
         empty=("not agencies", "Actions for all member agencies."))
    doc.add_heading("How to share this learning", 1)
    items(doc, [
        "Discuss it in team meetings and in supervision.",
        "Use it in single-agency and multi-agency training.",
        "Share the board's 7 minute briefing on this case where one is published.",
        "Tell the business unit how the learning has been used.",
    ])
    para(doc, "Questions and feedback: {{ coordinator.name }}, {{ coordinator.email }}.")
    return save(doc, "forum/learning-summary.docx")


# ---------------------------------------------------------------- the referral form

PLACEHOLDERS = {"text": "Click or tap here to enter text.", "dropDownList": "Choose an item.",
                "date": "Click or tap to enter a date."}
CONTROLS = {
    "kind": ("dropDownList", ["CPR", "APR", "SUSR", "Forum"]),
    "protected_6_months": ("dropDownList", ["Yes", "No"]),
    "incident_date": ("date", None),
    "circumstances": ("text", "multiLine"),
}


def content_control(key: str, label: str, number: int):
    """A Word content control tagged with the key, titled with the label, showing placeholder
    text in the Placeholder Text style (as Word itself inserts one)."""
    kind, options = CONTROLS.get(key, ("text", None))
    if kind == "dropDownList":
        choice = "<w:dropDownList>" + "".join(
            f'<w:listItem w:displayText="{o}" w:value="{o}"/>' for o in options) + "</w:dropDownList>"
    elif kind == "date":
        choice = ('<w:date><w:dateFormat w:val="dd/MM/yyyy"/><w:lid w:val="en-GB"/>'
                  '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    else:
        choice = '<w:text w:multiLine="1"/>' if options == "multiLine" else "<w:text/>"
    return parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="{label}"/><w:tag w:val="{key}"/>'
        f'<w:id w:val="{1000 + number}"/><w:showingPlcHdr/>{choice}</w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
        f"<w:t>{PLACEHOLDERS[kind]}</w:t></w:r></w:sdtContent></w:sdt>")


def referral_form():
    doc = new_document("Practice review referral form", "Regional Safeguarding Board",
                       reference="", footer_name="Practice review referral form")
    doc.sections[0].header.paragraphs[0].runs[0].text = "OFFICIAL-SENSITIVE when completed"
    para(doc, "Use this form to refer a case to the Board for a Child Practice Review, an Adult "
              "Practice Review, a Single Unified Safeguarding Review or a multi-agency professional "
              "forum. The review sub-group considers every referral against the criteria and the "
              "Board Chair decides.")
    items(doc, [
        "Complete every field. Give the subject's initials only, never a full name.",
        "Review requested: CPR (Child Practice Review), APR (Adult Practice Review), SUSR (Single "
        "Unified Safeguarding Review) or Forum (multi-agency professional forum).",
        "Dates as 14/02/2026. Keep the summary brief and factual.",
        "Save the completed form in the board's Referrals library. It is picked up automatically; "
        "the business unit will contact you with the case reference.",
    ])
    doc.add_heading("Referral details", 1)
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for number, (key, label) in enumerate(REFERRAL_LABELS.items()):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].paragraphs[0]._p.append(content_control(key, label, number))
        if key == "circumstances":
            table.rows[-1].height = Cm(4.0)
    _look(table, first_row=False, first_col=True)
    _widths(table, [6.0, 10.6])
    doc.add_paragraph()
    doc.add_heading("What happens next", 1)
    para(doc, "The business unit acknowledges the referral, records it in the practice review "
              "register and brings it to the review sub-group. You will be told the decision.")
    return save(doc, "referral-form.docx")


def build_all():
    return [terms_of_reference(), agency_timeline_return(), learning_event_plan(),
            practice_review_report(), action_plan(), facilitation_notes(), learning_summary(),
            referral_form()]


if __name__ == "__main__":
    for written in build_all():
        print(written.relative_to(ROOT))
