"""One bilingual document from two: the Welsh document, a page break, then the English one.

Used for the documents people read rather than fill in (the Welsh Government letter, the 7
minute briefing): the Welsh Language Standards' "Welsh first" is the Welsh text complete, then
the English text complete. Both are built from the same styles, so only what is particular to a
document is carried over: list numbering restarts (new ``w:num`` entries) and content control
ids. The header and footer are the Welsh document's (written bilingual by its builder).
"""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from .styles import W

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def append_document(target, source_path: Path) -> None:
    """Append the body of the ``.docx`` at ``source_path`` to ``target`` (a python-docx
    Document) after a page break."""
    source = Document(io.BytesIO(Path(source_path).read_bytes()))
    body = target.element.body
    final = body.find(qn("w:sectPr"))
    body.insert(list(body).index(final), parse_xml(f'<w:p {W}><w:r><w:br w:type="page"/></w:r></w:p>'))
    numbers = _numbering_map(target, source)
    for child in list(source.element.body):
        if child.tag == qn("w:sectPr"):
            continue
        element = deepcopy(child)
        for node in element.iter():
            if any(attr.startswith(_R) for attr in node.attrib):
                raise ValueError(f"{source_path}: relationships (links, images) cannot be carried over")
            if node.tag == qn("w:numId") and node.get(qn("w:val")) in numbers:
                node.set(qn("w:val"), numbers[node.get(qn("w:val"))])
            if node.tag == qn("w:id") and node.getparent() is not None and node.getparent().tag == qn("w:sdtPr"):
                node.set(qn("w:val"), str(int(node.get(qn("w:val"))) + 500))
        body.insert(list(body).index(final), element)


def _numbering_map(target, source) -> dict[str, str]:
    """Each list numbering the source's paragraphs name, made again in the target."""
    try:
        source_numbering = source.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    target_numbering = target.part.numbering_part.element
    existing = {n.get(qn("w:numId")) for n in target_numbering.findall(qn("w:num"))}
    used = {n.get(qn("w:val")) for n in source.element.body.iter(qn("w:numId"))}
    mapping = {}
    for num in source_numbering.findall(qn("w:num")):
        old = num.get(qn("w:numId"))
        if old not in used:
            continue
        if old in existing and not num.findall(qn("w:lvlOverride")):
            continue  # a style's own list, the same in both documents
        new = target_numbering.add_num(num.abstractNumId.val)
        for override in num.findall(qn("w:lvlOverride")):
            new.append(deepcopy(override))
        mapping[old] = str(new.numId)
    return mapping
