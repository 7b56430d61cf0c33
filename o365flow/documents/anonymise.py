"""The anonymisation check: is a name that must not be published anywhere in a report?

Every place a Word document keeps text a reader could see is scanned: body paragraphs, table
cells (nested too), headers, footers, footnotes, endnotes, comments, text boxes, text deleted
with track changes (still in the file) and the document properties. A hit says where (the part
and paragraph) and which name by its name-free label, never the name or the text around it:
hits are shown in mails and logs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from o365flow.errors import DocumentError
from o365flow.documents.ooxml import open_body, open_docx, paragraph_text, row_cells, showing_placeholder, table_rows, visible_text, w
from o365flow.documents.tables import Column, table_in

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_NOTE_PARTS = (("header", "header"), ("footer", "footer"), ("footnotes", ""), ("endnotes", ""), ("comments", ""))
_PROPERTIES = ("title", "subject", "keywords", "comments", "category", "author", "last_modified_by",
               "content_status", "identifier", "version")
_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass(frozen=True)
class NameToFind:
    """A name to look for. ``label`` says which it is without saying it ("the subject's
    initials", "name 2 on the names not to publish list"); ``text`` is the name, kept out of repr."""

    label: str
    text: str = field(repr=False)


@dataclass(frozen=True)
class Hit:
    """Where a name was found: ``part`` ("body", "header 1", "footnote 3", "comment 2",
    "table 1 row 3 cell 2", "text box 1", "document properties (title)"; nested places joined by
    ", "), the 1-based ``paragraph`` within it, and the name's ``label``. Never the name or text."""

    part: str
    paragraph: int
    label: str

    def __str__(self) -> str:
        return f"{self.part}, paragraph {self.paragraph}: {self.label}"


def _plain(text: str) -> str:
    """Text compared as a reader would: accents, curly apostrophes, dashes and odd spaces ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019\u02bc`]", "'", text)
    text = re.sub(r"[\u2010\u2011\u2012\u2013\u2014]", "-", text)
    return re.sub(r"[\u00a0\u2007\u202f\u2009]", " ", text)


def _pattern(text: str) -> re.Pattern | None:
    """A whole-word pattern for a name or for initials; None when there is nothing to find."""
    plain = " ".join(_plain(text).split())
    letters = re.sub(r"[\s.]", "", plain)
    tokens = plain.split()
    dotted = "." in plain or (len(tokens) > 1 and all(len(t.rstrip(".")) == 1 for t in tokens))
    if letters.isalpha() and 2 <= len(letters) <= 4 and (dotted or letters.isupper()):
        # Initials: "A.B." also as "A.B", "AB", "A. B.". Matched as capitals only, or "an",
        # "is" and "to" would be found in every report.
        return re.compile(r"(?<!\w)" + r"\.?\s?".join(letters.upper()) + r"\.?(?!\w)")
    if len(letters) < 2:
        return None
    parts = [re.escape(t.rstrip(".")) + r"\.?" if len(t.rstrip(".")) == 1 else re.escape(t) for t in tokens]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def find_names(data: bytes, names: Sequence[NameToFind], source: str = "report") -> list[Hit]:
    """Every place in the ``.docx`` ``data`` where one of ``names`` appears (whole words, any
    case, across runs split by formatting; initials as capitals), in document order, one hit per
    place and label. Raises ``DocumentError`` naming ``source`` when the file is unreadable."""
    patterns = [(n.label, p) for n in names if (p := _pattern(n.text)) is not None]
    document = open_docx(data, source)
    hits: dict[Hit, None] = {}
    if not patterns:
        return []
    notes = _note_numbers(document.element.body)
    for part_name, root in _parts(document, source):
        for where, number, texts in _paragraphs(root, part_name, notes):
            for text in texts:
                plain = _plain(text)
                for label, pattern in patterns:
                    if pattern.search(plain):
                        hits.setdefault(Hit(where, number, label), None)
    for name in _PROPERTIES:
        value = getattr(document.core_properties, name, None) or ""
        for label, pattern in patterns:
            if isinstance(value, str) and pattern.search(_plain(value)):
                hits.setdefault(Hit(f"document properties ({name.replace('_', ' ')})", 1, label), None)
    return list(hits)


def _parts(document, source: str):
    """(name, root element) of the main document and each header, footer, notes and comments
    part it refers to, headers and footers numbered in part-name order."""
    yield "body", document.element
    related: dict[str, list] = {}
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if rel.reltype.startswith(_RELS) and kind in dict(_NOTE_PARTS):
            related.setdefault(kind, []).append(rel.target_part)
    for kind, prefix in _NOTE_PARTS:
        parts = {str(p.partname): p for p in related.get(kind, [])}
        ordered = sorted(parts, key=lambda n: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", n)])
        for number, name in enumerate(ordered, start=1):
            try:
                root = etree.fromstring(parts[name].blob, _PARSER)
            except etree.XMLSyntaxError:
                raise DocumentError(f"{source}: its {kind} part ({name.lstrip('/')}) cannot be read; "
                                    "open it in Word and save it again") from None
            yield (f"{prefix} {number}" if prefix else ""), root


def _note_numbers(body) -> dict[str, dict[str, int]]:
    """"footnote"/"endnote" -> note id -> the number a reader sees (order of first reference)."""
    numbers: dict[str, dict[str, int]] = {}
    for kind in ("footnote", "endnote"):
        seen = numbers.setdefault(kind, {})
        for ref in body.iter(w(f"{kind}Reference")):
            seen.setdefault(ref.get(w("id")) or "", len(seen) + 1)
    return numbers


def _paragraphs(root, part_name: str, notes: dict[str, dict[str, int]]):
    """(place, paragraph number, texts) for every paragraph of a part, in document order. The
    texts are what a reader sees and what track changes deleted."""
    counts: dict[tuple, int] = {}
    counters = {"tbl": 0, "txbx": 0, "comment": 0, "note": 0}
    base = (part_name,) if part_name not in ("", "body") else ()
    stack: list[tuple[object, tuple]] = [(root, base)]
    while stack:
        node, context = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        local = etree.QName(tag).localname if tag else ""
        if not tag or local == "Fallback" or local in ("sdtPr", "rPr", "pPr"):
            continue  # mc:Fallback repeats the text box of mc:Choice
        if tag == w("sdt") and showing_placeholder(node):
            continue
        children = list(node)
        if tag == w("tbl"):
            counters["tbl"] += 1
            table = counters["tbl"]
            queued = [(child, (*context, f"table {table} row {r} cell {c}"))
                      for r, row in enumerate(table_rows(node, deleted=True), start=1)
                      for c, cell in enumerate(row_cells(row), start=1) for child in cell]
            stack.extend(reversed(queued))
            continue  # the cells are queued; the rows are not walked again
        if tag == w("txbxContent"):
            counters["txbx"] += 1
            context = (*context, f"text box {counters['txbx']}")
        elif tag in (w("footnote"), w("endnote")):
            if node.get(w("type")) in _SEPARATORS:
                continue
            counters["note"] += 1
            number = notes.get(local, {}).get(node.get(w("id")) or "", counters["note"])
            context = (*context, f"{local} {number}")
        elif tag == w("comment"):
            counters["comment"] += 1
            context = (*context, f"comment {counters['comment']}")
        elif tag == w("p"):
            counts[context] = counts.get(context, 0) + 1
            texts = [t for t in (paragraph_text(node), paragraph_text(node, deleted=True)) if t.strip()]
            if texts:
                yield ", ".join(context) or "body", counts[context], texts
        stack.extend((child, context) for child in reversed(children))


def names_to_find(subject_name: str = "", subject_initials: str = "",
                  listed: Sequence[str] = ()) -> list[NameToFind]:
    """The names to look for in a case's report: the subject's name and each part of it, the
    subject's initials, and each name on the case's "names not to publish" list with its parts.
    A first name alone is the usual slip, so parts are looked for too."""
    found: list[NameToFind] = []
    if subject_name.strip():
        found.append(NameToFind("the subject's name", subject_name))
        found += [NameToFind(f"part {i} of the subject's name", p) for i, p in _parts_of(subject_name)]
    if subject_initials.strip():
        found.append(NameToFind("the subject's initials", subject_initials))
    for n, name in enumerate((x for x in listed if x.strip()), start=1):
        found.append(NameToFind(f"name {n} on the names not to publish list", name))
        found += [NameToFind(f"part {i} of name {n} on the names not to publish list", p)
                  for i, p in _parts_of(name)]
    return found


_PARTICLES = {"de", "la", "le", "van", "von", "der", "den", "da", "di", "du", "mr", "mrs", "ms", "miss",
              "dr", "ap", "ab", "ferch", "the", "and"}


def _parts_of(name: str) -> list[tuple[int, str]]:
    tokens = name.split()
    if len(tokens) < 2:
        return []
    return [(i, t) for i, t in enumerate(tokens, start=1)
            if len(t.strip(".,")) >= 2 and t.strip(".,").lower() not in _PARTICLES]


_NAME_COLUMN = (Column("name", "Name", ("Names", "Full name", "Full names", "Name of person",
                                       "Person's name", "Person")),)


def read_name_list(data: bytes, source: str = "names not to publish") -> list[str]:
    """The names in a "names not to publish" document: each line of the Name column of its table
    (other columns, blank rows and repeated headers ignored), or, when it has no table, each
    non-empty paragraph. Raises ``DocumentError`` naming ``source`` and the fix when it has
    tables but none headed Name, or is unreadable."""
    body = open_body(data, source)
    if body.find(f".//{w('tbl')}") is None:
        texts = (visible_text(p) for p in body.iter(w("p")))
        return _unique(line for text in texts for line in text.split("\n"))
    try:
        table = table_in(body, source, _NAME_COLUMN)
    except DocumentError:
        raise DocumentError(f"{source}: no table column headed Name; head the column of names "
                            "Name, or list one name per line without a table") from None
    return _unique(line for row in table.rows for line in row.values["name"].split("\n"))


def _unique(lines) -> list[str]:
    seen: dict[str, None] = {}
    for line in lines:
        line = " ".join(line.split())
        if line:
            seen.setdefault(line, None)
    return list(seen)


def names_in_text(text: str, names: Sequence[NameToFind]) -> list[str]:
    """The labels of ``names`` that appear in ``text`` (a file name, a subject line): whole
    words, with ``_`` and ``-`` read as spaces ("Summary_E.F._forum.pdf" names E.F.)."""
    plain = _plain(re.sub(r"[_\-+]", " ", text))
    plain = re.sub(r"\.(docx|pdf|doc|pptx|xlsx)$", "", plain, flags=re.IGNORECASE)
    found = []
    for name in names:
        pattern = _pattern(name.text)
        if pattern is not None and pattern.search(plain) and name.label not in found:
            found.append(name.label)
    return found
