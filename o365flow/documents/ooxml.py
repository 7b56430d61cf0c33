"""WordprocessingML helpers shared by the readers and the renderer: opening a package safely,
reading the text people see, and writing a package with stable bytes.

python-docx has no API for content controls, so the readers work on its lxml tree directly.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document
from docx.document import Document as DocxDocument

from o365flow.errors import DocumentError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NSMAP = {"w": W_NS}


def w(tag: str) -> str:
    """Clark name of a ``w:`` element or attribute, e.g. ``w('tag')``."""
    return f"{{{W_NS}}}{tag}"


# What one document may cost before anything is parsed, read from the zip's directory (a
# member's real size cannot exceed the size listed there: zipfile stops at it and the CRC check
# fails). A referral form, a timeline return or an action plan is a few hundred kilobytes of
# XML; a long final report a few megabytes. Without these limits a 322 KB form whose
# document.xml unpacks to 190 MB cost 30 s and 4.4 GB of memory.
MAX_XML_PART_BYTES = 16 * 1024 * 1024  # one XML part (document.xml, styles.xml ...), unpacked
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # every part together, pictures included
MAX_PARTS = 2000
# Word never writes a document type declaration; one in a part can only be an attack on the
# parser (entity expansion). python-docx's parser resolves no entities and reads no network.
_DTD = (b"<!DOCTYPE", b"<!ENTITY")

_NOT_DOCX_FIX = "save it as a Word Document and it will be picked up on the next pass"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_docx(data: bytes, source: str) -> DocxDocument:
    """A python-docx ``Document`` from bytes, or ``DocumentError`` naming ``source`` and the fix."""
    open_docx_checks(data, source)
    try:
        return Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        # python-docx lets a zoo of library errors escape on malformed packages (KeyError,
        # ValueError, XMLSyntaxError, BadZipFile on a corrupt member...); all mean the same
        # thing to the person who saved the file.
        raise DocumentError(f"{source}: not a Word document (.docx); {_NOT_DOCX_FIX}") from None


_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def open_body(data: bytes, source: str):
    """The ``w:body`` of a .docx, checked as ``open_docx`` checks it, with only the main
    document part parsed. Readers of forms, returns and action plans need nothing else, and
    python-docx parses every part of the package (styles, numbering, theme, fonts, settings...):
    this costs a tenth of that (a first pass over 6,000 timeline returns was 80 s)."""
    from docx.oxml.parser import parse_xml  # python-docx's element classes, as Document() uses

    open_docx_checks(data, source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rels = parse_xml(archive.read("_rels/.rels"))
            target = next(r.get("Target") for r in rels.iter(_PACKAGE_RELS) if r.get("Type") == _OFFICE_DOCUMENT)
            root = parse_xml(archive.read(target.lstrip("/")))
    except Exception:  # noqa: BLE001 -- as in open_docx: any failure means "not a Word document"
        raise DocumentError(f"{source}: not a Word document (.docx); {_NOT_DOCX_FIX}") from None
    body = root.find(w("body")) if root.tag == w("document") else None
    if body is None:
        raise DocumentError(f"{source}: not a Word document (.docx); {_NOT_DOCX_FIX}")
    return body


def open_docx_checks(data: bytes, source: str) -> None:
    """What is refused before any XML is parsed: empty, an old or protected format, not a zip,
    over the limits. Raises ``DocumentError`` naming ``source`` and the fix."""
    if not data:
        raise DocumentError(f"{source}: the file is empty; {_NOT_DOCX_FIX}")
    if data.startswith(_OLE_MAGIC):
        # Old binary .doc files and password-protected .docx files are both OLE containers.
        raise DocumentError(
            f"{source}: an old Word format (.doc) or a password-protected document; "
            f"remove any password and {_NOT_DOCX_FIX}"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            too_big = _over_limits(archive, source)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise DocumentError(f"{source}: not a Word document (.docx); {_NOT_DOCX_FIX}") from None
    if too_big:
        raise DocumentError(f"{source}: {too_big}")


def _over_limits(archive: zipfile.ZipFile, source: str) -> str:
    """Why the package is refused before parsing (too many parts, a part or the whole too large
    unpacked, a document type declaration), or "" when it is within bounds."""
    infos = archive.infolist()
    fix = "remove embedded files or pictures, save it again as a Word Document, and it will be read on the next pass"
    if len(infos) > MAX_PARTS:
        return f"too many parts ({len(infos)}) for a Word document; {fix}"
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        return f"too large to read ({total // (1024 * 1024)} MB unpacked); {fix}"
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        if info.file_size > MAX_XML_PART_BYTES:
            return f"too large to read (its text part {info.filename} is {info.file_size // (1024 * 1024)} MB unpacked); {fix}"
        with archive.open(info) as member:
            head = member.read(4096)
        if any(marker in head for marker in _DTD):
            return f"not a Word document: part {info.filename} declares a document type; {_NOT_DOCX_FIX}"
    return ""


def showing_placeholder(sdt) -> bool:
    """True when a content control still shows its placeholder ("Click or tap here...")."""
    props = sdt.find(w("sdtPr"))
    return props is not None and props.find(w("showingPlcHdr")) is not None


# Subtrees whose text a reader does not see: tracked deletions and moves, and the fallback copy
# of drawings (the same text box is also in mc:Choice).
_SKIP = {w("del"), w("moveFrom"), w("sdtPr"), w("sdtEndPr"), w("rPr"), w("pPr"), f"{{{MC_NS}}}Fallback"}
_BREAKS = {w("br"), w("cr")}
# Tag names worked out once: visible_text looks at every element of every document read.
_SDT, _T, _TAB, _NO_BREAK_HYPHEN, _P = w("sdt"), w("t"), w("tab"), w("noBreakHyphen"), w("p")


def visible_text(element) -> str:
    """The text a reader sees in ``element``: paragraphs joined with newlines, ``w:tab`` as a
    tab, ``w:br`` as a newline, placeholder text of content controls left out; stripped."""
    out: list[str] = []
    # Iterative walk: documents nest tables in tables, and recursion depth is not ours to bet.
    stack: list[tuple[object, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            out.append("\n")
            continue
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _SDT and showing_placeholder(node):
            continue
        if tag == _T:
            out.append(node.text or "")
        elif tag == _TAB:  # tab stops live in w:pPr, skipped above
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            out.append("-")
        if tag == _P:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    lines = "".join(out).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def stable_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so equal content gives equal bytes
    (a rerun of an interrupted pass then writes an identical file)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return buffer.getvalue()


# -- tables ---------------------------------------------------------------------------------------
# Rows and cells may be wrapped in content controls (a repeating section wraps each row), custom
# XML or nested controls; these wrappers are transparent to the person reading the table.
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")}


def _unwrap(parent, wanted: str) -> list:
    found = []
    stack = list(reversed(parent))
    while stack:
        node = stack.pop()
        if node.tag == wanted:
            found.append(node)
        elif node.tag in _WRAPPERS:
            stack.extend(reversed(node))
    return found


def iter_tables(element) -> list:
    """Every ``w:tbl`` in ``element`` in document order, nested ones included, leaving out the
    fallback copy of a drawing (a table in a text box is stored twice)."""
    fallback = f"{{{MC_NS}}}Fallback"
    return [t for t in element.iter(w("tbl")) if next(t.iterancestors(fallback), None) is None]


def table_rows(table, deleted: bool = False) -> list:
    """The ``w:tr`` rows of ``table`` in order, through content-control and custom-XML wrappers,
    leaving out rows deleted with track changes (Word no longer shows them) unless ``deleted``."""
    rows = _unwrap(table, w("tr"))
    return rows if deleted else [row for row in rows if row.find(f"{w('trPr')}/{w('del')}") is None]


def row_cells(row) -> list:
    """The ``w:tc`` cells of ``row`` in order, through content-control and custom-XML wrappers."""
    return _unwrap(row, w("tc"))


def grid_before(row) -> int:
    """Grid columns left empty before the first cell of ``row`` (``w:gridBefore``)."""
    element = row.find(f"{w('trPr')}/{w('gridBefore')}")
    return _int(element.get(w("val")) if element is not None else None, 0)


def cell_span(cell) -> int:
    """Grid columns the cell covers (``w:gridSpan``, 1 when absent or unreadable)."""
    element = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    return max(1, _int(element.get(w("val")) if element is not None else None, 1))


def vertical_merge(cell) -> str | None:
    """``"restart"`` for the top cell of a vertical merge, ``"continue"`` for a cell merged into
    the one above, None for an ordinary cell. (A ``w:vMerge`` without a value continues.)"""
    element = cell.find(f"{w('tcPr')}/{w('vMerge')}")
    if element is None:
        return None
    return "restart" if element.get(w("val")) == "restart" else "continue"


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# -- paragraphs -----------------------------------------------------------------------------------
_TXBX = w("txbxContent")


def paragraph_text(paragraph, deleted: bool = False) -> str:
    """The text of one ``w:p`` as a reader sees it, without any text box anchored in it (a text
    box's paragraphs are paragraphs of their own). With ``deleted=True``, the text deleted with
    track changes instead: still in the file, and published if the changes are not accepted."""
    out: list[str] = []
    skip = (_SKIP - {w("del"), w("moveFrom")}) if deleted else _SKIP
    stack = list(reversed(paragraph))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in skip or tag == _TXBX or tag == w("p"):
            continue
        if tag == w("sdt") and showing_placeholder(node):
            continue
        if tag == (w("delText") if deleted else w("t")):
            out.append(node.text or "")
        elif tag == w("tab"):
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        stack.extend(reversed(node))
    return "".join(out)
