"""Reading referral forms (and filling the shipped form, for the demo and the tests).

A field is read from a content control whose tag is the key, else from a table row whose first
cell is the label. Values are returned as raw text: validating them is the core's job.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy

from docx.oxml import OxmlElement

from o365flow.core.parsing import normalise_label, parse_date
from o365flow.documents.ooxml import open_body, open_docx, showing_placeholder, stable_zip, visible_text, w

REFERRAL_LABELS: dict[str, str] = {
    "kind": "Review requested",
    "subject_initials": "Subject initials",
    "incident_date": "Date of incident",
    "circumstances": "Summary of circumstances",
    "protected_6_months": "Registered or protected in previous 6 months",
    "referring_agency": "Referring agency",
    "referrer_name": "Referrer name",
    "referrer_email": "Referrer email",
}

# Read when the form has it, for the anonymisation check only: never stored in the register.
OPTIONAL_REFERRAL_LABELS: dict[str, str] = {"subject_name": "Subject name"}

# The Welsh form's labels (referral-form.cy.docx): a form typed in Welsh is read the same way.
REFERRAL_LABELS_CY: dict[str, str] = {
    "kind": "Yr adolygiad y gofynnir amdano",
    "subject_initials": "Llythrennau blaen yr unigolyn",
    "incident_date": "Dyddiad y digwyddiad",
    "circumstances": "Crynodeb o’r amgylchiadau",
    "protected_6_months": "Ar y gofrestr neu wedi’i amddiffyn yn y 6 mis blaenorol",
    "referring_agency": "Yr asiantaeth sy’n atgyfeirio",
    "referrer_name": "Enw’r atgyfeiriwr",
    "referrer_email": "E-bost yr atgyfeiriwr",
    "subject_name": "Enw’r unigolyn",
}

# Word's own placeholder texts. Some editors (LibreOffice) drop the "showing placeholder" flag
# when they save, leaving the prompt as if someone had typed it.
PLACEHOLDER_TEXTS = frozenset({
    "click or tap here to enter text.", "click here to enter text.", "choose an item.",
    "click or tap to enter a date.", "click here to enter a date.", "enter text.",
    "cliciwch neu tapiwch yma i roi testun.", "dewiswch eitem.", "cliciwch neu tapiwch i roi dyddiad.",
})

_ALL_LABELS = {**REFERRAL_LABELS, **OPTIONAL_REFERRAL_LABELS}
_KEY_BY_LABEL = {normalise_label(label): key for key, label in _ALL_LABELS.items()} | {
    normalise_label(label.replace("\u2019", "'")): key for key, label in REFERRAL_LABELS_CY.items()
} | {normalise_label(label): key for key, label in REFERRAL_LABELS_CY.items()}
# Forms in the wild decorate labels: "Date of incident (dd/mm/yyyy)", "Referrer name *".
_DECORATION = re.compile(r"(\s*(\*+|\([^()]*\)))+$")


def _tag(sdt) -> str:
    element = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    return (element.get(w("val")) or "").strip().lower() if element is not None else ""


def _key_for_label(text: str) -> str | None:
    """The contract key a first-column cell names, or None."""
    candidates = [text, text.split("\n", 1)[0]]  # a bilingual label: its first (Welsh) line
    for candidate in candidates:
        label = normalise_label(candidate)
        key = _KEY_BY_LABEL.get(label) or _KEY_BY_LABEL.get(normalise_label(_DECORATION.sub("", label)))
        if key:
            return key
    return None


def _row_cells(row) -> list:
    # Cells may be wrapped in a row-level content control or custom XML.
    return row.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc")


def read_referral_fields(data: bytes, source: str) -> dict[str, str]:
    """Raw text of each contract field found in a referral form's ``.docx`` bytes.

    Returns key -> text (stripped; paragraphs joined with newlines). A content control whose tag
    is the key (any case) wins; else the second cell of a table row whose first cell is the label
    (compared with ``normalise_label``; a trailing "*" or "(dd/mm/yyyy)" is ignored too). A
    control still showing its placeholder, or Word's own prompt text left in a field, counts as
    empty (""). Fields not on the form are absent, as is the optional ``subject_name`` ("Subject
    name", see ``OPTIONAL_REFERRAL_LABELS``) on forms without it. Raises ``DocumentError`` naming
    ``source`` and the fix when the bytes are not a readable ``.docx``.
    """
    body = open_body(data, source)
    found: dict[str, str] = {}

    def offer(key: str, text: str) -> None:
        # The first non-empty value wins; an empty one still records that the field is there.
        if text.lower() in PLACEHOLDER_TEXTS:
            text = ""
        if not found.get(key):
            found[key] = text

    for sdt in body.iter(w("sdt")):
        key = _tag(sdt)
        if key in _ALL_LABELS:
            content = sdt.find(w("sdtContent"))
            text = "" if showing_placeholder(sdt) or content is None else visible_text(content)
            offer(key, text)
    for row in body.iter(w("tr")):
        cells = _row_cells(row)
        if len(cells) < 2:
            continue
        key = _key_for_label(visible_text(cells[0]))
        if key and not found.get(key):
            offer(key, visible_text(cells[1]))
    return found


def fill_referral_form(template: bytes, values: dict[str, str]) -> bytes:
    """The form ``template`` with its content controls (matched by tag) holding ``values``.

    Clears the placeholder flag and style; a newline becomes a line break. Date controls get
    their stored date too when the value parses. Keys with no control are ignored.
    """
    document = open_docx(template, "referral form template")
    wanted = {key.lower(): str(value) for key, value in values.items()}
    for sdt in list(document.element.body.iter(w("sdt"))):
        key = _tag(sdt)
        if key in wanted:
            _fill_control(sdt, wanted[key])
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def _fill_control(sdt, value: str) -> None:
    props = sdt.find(w("sdtPr"))
    content = sdt.find(w("sdtContent"))
    if props is None or content is None:
        return
    flag = props.find(w("showingPlcHdr"))
    if flag is not None:
        props.remove(flag)
    date = props.find(w("date"))
    if date is not None:
        try:
            date.set(w("fullDate"), parse_date(value).isoformat() + "T00:00:00Z")
        except ValueError:
            date.attrib.pop(w("fullDate"), None)
    drop_down = props.find(w("dropDownList"))
    if drop_down is not None:
        drop_down.set(w("lastValue"), value)

    # Keep the formatting of the first run (less the placeholder style) and of the first
    # paragraph; replace everything else with the value.
    first_run = next(content.iter(w("r")), None)
    run_props = None
    if first_run is not None and first_run.find(w("rPr")) is not None:
        run_props = first_run.find(w("rPr"))
        for style in run_props.findall(w("rStyle")):
            if style.get(w("val")) in ("PlaceholderText", "Placeholder Text"):
                run_props.remove(style)
    holder = content
    cell = content.find(w("tc"))
    if cell is not None:
        holder = cell
    paragraph = holder.find(w("p"))
    if paragraph is not None:
        # Block or cell level: keep the first paragraph (with its properties) only.
        for child in list(holder):
            if child.tag == w("p") and child is not paragraph:
                holder.remove(child)
        for child in list(paragraph):
            if child.tag != w("pPr"):
                paragraph.remove(child)
        holder = paragraph
    else:
        for child in list(content):
            content.remove(child)
    holder.append(_run(value, run_props))


def _run(value: str, run_props):
    run = OxmlElement("w:r")
    if run_props is not None and len(run_props):
        run.append(deepcopy(run_props))
    for i, line in enumerate(value.split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        text = OxmlElement("w:t")
        text.text = line
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(text)
    return run
