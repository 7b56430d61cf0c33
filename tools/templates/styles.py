"""The look every shipped Word template shares: real Word styles, A4 pages, the protective
marking and case reference in the header, the document title and "Page X of Y" in the footer.

Understated on purpose: Arial, navy headings, grey guidance text, one table style ("Board
Table", a Table Grid with a shaded header row). Everything is a named style, so a board that
restyles a template in Word restyles it everywhere at once.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from o365flow.documents.ooxml import stable_zip

ROOT = Path(__file__).resolve().parents[2]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FONT = "Arial"
NAVY, BLUE, GREY, RED = "1F3864", "2E5C8A", "595959", "C00000"
MARKING = "OFFICIAL-SENSITIVE – not for onward circulation"
# Fixed so that rebuilding changes no bytes.
BUILT = datetime(2026, 1, 1, tzinfo=UTC)
PORTRAIT_WIDTH_CM = 16.6  # A4 less the margins
LANDSCAPE_WIDTH_CM = 25.3

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
    """Restyle python-docx's default styles and add Guidance, Letter Address, Placeholder Text
    and the Board Table table style."""
    styles = doc.styles.element
    for rpr in styles.iter(qn("w:rPr")):
        _fonts(rpr)
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults)
    normal = _style(doc, "Normal", size=11, after=6)
    normal.paragraph_format.line_spacing = 1.15
    title = _style(doc, "Title", size=22, bold=True, color=NAVY, after=2)
    ppr = title.element.pPr
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))  # the default template underlines titles
    title.font.character_spacing = Pt(0)
    _style(doc, "Subtitle", size=12, italic=False, color=GREY, after=12)
    _style(doc, "Heading 1", size=14, bold=True, color=NAVY, before=16, after=6)
    _style(doc, "Heading 2", size=12, bold=True, color=BLUE, before=10, after=4)
    _style(doc, "Heading 3", size=11, bold=True, color=BLUE, before=8, after=2)
    for name in ("Header", "Footer"):
        # The default centre and right tab stops suit Letter paper; each header sets its own.
        _style(doc, name, size=8, color=GREY).paragraph_format.tab_stops.clear_all()
    guidance = doc.styles.add_style("Guidance", WD_STYLE_TYPE.PARAGRAPH)
    guidance.base_style = doc.styles["Normal"]
    guidance.font.italic = True
    guidance.font.size = Pt(10)
    guidance.font.color.rgb = RGBColor.from_string(GREY)
    guidance.quick_style = True
    address = doc.styles.add_style("Letter Address", WD_STYLE_TYPE.PARAGRAPH)
    address.base_style = doc.styles["Normal"]
    address.paragraph_format.space_after = Pt(0)
    address.quick_style = True
    placeholder = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor.from_string("808080")
    placeholder.element.set(qn("w:styleId"), "PlaceholderText")
    styles.append(parse_xml(TABLE_STYLE))


def page_setup(section, landscape=False) -> None:
    """A4, portrait or landscape, with the margins every template uses."""
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


def header_footer(section, reference: str, footer_text: str, marking: str = MARKING) -> None:
    """Header: the marking on the left, the reference on the right. Footer: the footer text
    (board and document title) on the left, "Page X of Y" on the right."""
    width = Cm(LANDSCAPE_WIDTH_CM if section.orientation == WD_ORIENT.LANDSCAPE else PORTRAIT_WIDTH_CM)
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.clear_all()
    header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    flag = header.add_run(marking)
    flag.bold = True
    flag.font.color.rgb = RGBColor.from_string(RED)
    if reference:
        header.add_run("\t" + reference).bold = True
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.clear_all()
    footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run(f"{footer_text}\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def new_document(title: str, subtitle: str, *, reference="{{ case.reference }}",
                 footer_text=None, landscape=False, marking=MARKING, heading=True):
    """A styled, empty document with its header, footer, Title and Subtitle paragraphs.
    ``title`` is plain text (it is also the core property); ``subtitle`` may hold tags."""
    doc = Document()
    configure_styles(doc)
    section = doc.sections[0]
    page_setup(section, landscape)
    header_footer(section, reference, footer_text or f"{{{{ board.name }}}} · {title}", marking)
    props = doc.core_properties
    props.author = props.last_modified_by = "o365flow"
    props.title, props.subject, props.comments, props.keywords = title, "", "", ""
    props.created = props.modified = BUILT
    props.revision = 1
    if heading:
        doc.add_paragraph(title, style="Title")
        if subtitle:
            doc.add_paragraph(subtitle, style="Subtitle")
    return doc


def new_section(doc, landscape: bool):
    """A new page in the other orientation; its header and footer follow the first section's."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=landscape)
    return section


def save(doc, relative: str) -> Path:
    """Write ``templates/<relative>`` with stable bytes."""
    _drop_styles_with_effects(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    path = ROOT / "o365flow" / "data" / "templates" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path


def _drop_styles_with_effects(doc) -> None:
    """python-docx's base document carries Word 2010's ``stylesWithEffects.xml``, a copy of the
    styles that no longer matches once the board's styles are added (Word may call the file
    unreadable). Word does not need it: the relationship and the part are left out."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[rid]
