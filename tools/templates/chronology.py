"""The chronology: the blank agency timeline return each agency fills in, and the summary
timeline rendered from the merged returns.

The return's "Agency" row holds a content control tagged ``agency`` and its timeline table has
exactly the columns Date | Time | What happened | Who was involved | Source record, which is
what the chronology reader looks for. The summary timeline is not generated at the decision: the
merge renders it with ``timeline`` (entries with date, time, agency, what, who, source, flag),
``timeline_returns`` ({agency, file}) and ``timeline_missing`` (agency names) added to the
document context.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .blocks import TBC, control_cell, facts, grid, guidance, heading, items, para
from .commissioning import review_type
from .styles import new_document, save
from .wording import Wording

TIMELINE_COLUMNS = ["Date", "Time", "What happened", "Who was involved", "Source record"]
SUMMARY_COLUMNS = ["Date", "Time", "Agency", "What happened", "Who was involved", "Source record",
                   "Note for the panel"]
FLAG_SHADE = "FBE4D5"


def agency_timeline_return(w: Wording):
    """The blank return an agency fills in (landscape: the timeline needs the width)."""
    doc = new_document("Agency timeline return", f"{w.review} · {{{{ board.name }}}}", landscape=True)
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Agency", control_cell("agency", "Agency", 1)),
        ("Completed by (name and role)", ""),
        ("Date completed", ""),
        ("Records examined", ""),
    ], col_widths=(7.0, 18.3))
    doc.add_heading("How to complete this return", 1)
    items(doc, [
        "Cover the period set by the terms of reference: by default the 12 months before the "
        "incident{% if case.incident_date %} of {{ case.incident_date }}{% endif %}.",
        "Type your agency's name in the Agency box above.",
        "Add one row for each significant event, contact or decision, in date order. Dates as "
        "14/02/2026; time as 14:30, or leave it blank when it is not known.",
        "Write what happened as recorded at the time: facts, not opinion. Say where it is recorded.",
        f"Refer to the {w.subject} and family by initials or role only (for example "
        f"\u201c{w.subject_label}\u201d, \u201cmother\u201d); name practitioners by role and team.",
        "Add rows as you need them. Do not change, add or remove columns.",
        "Send the completed return back by reply to the email that brought it, from your agency's "
        "address, with this file attached (keep the reference in the subject). Questions to the review "
        "coordinator ({{ coordinator.email }}).",
    ], numbered=True)
    guidance(doc, f"A significant event is anything that affected the {w.subject}'s safety or "
                  "wellbeing, or a point where a decision was made or could have been made.")
    heading(doc, "Timeline", new_page=True)
    grid(doc, TIMELINE_COLUMNS, [2.6, 1.8, 12.0, 4.9, 4.0], blank_rows=10)
    return save(doc, f"{w.folder}/agency-timeline-return.docx")


def summary_timeline(w: Wording):
    """The merged timeline: returns included and missing, then one row per entry."""
    doc = new_document("Summary timeline", f"{w.review} · {{{{ board.name }}}}", landscape=True)
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Type of review", review_type(w)),
        ("Period under review", "The 12 months before the incident{% if case.incident_date %} of "
                                "{{ case.incident_date }}{% endif %}, unless the terms of reference "
                                "say otherwise"),
        ("Merged on", f"{{{{ generated_on or '{TBC}' }}}}"),
    ], col_widths=(7.0, 18.3))
    guidance(doc, "Merged by date from the agency timeline returns in the case folder. It is "
                  "merged again whenever a return changes: correct an entry in the agency's return, "
                  f"not here. Entries with a note are for the {w.panel} to look at (for example, "
                  "agencies recording the same date differently).")

    doc.add_heading("Returns", 1)
    para(doc, "Included in this timeline:")
    para(doc, "{%p for r in timeline_returns %}")
    para(doc, "{{ r.agency }} ({{ r.file }})", "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if not timeline_returns %}")
    para(doc, "No return has been received yet.", "List Bullet")
    para(doc, "{%p endif %}")
    para(doc, "{%p if timeline_missing %}")
    para(doc, "{{ timeline_missing|join(', ') }}.", bold_prefix="Not yet returned: ")
    para(doc, "{%p else %}")
    para(doc, "Every agency asked has returned its timeline.")
    para(doc, "{%p endif %}")

    doc.add_heading("Timeline", 1)
    table = grid(doc, SUMMARY_COLUMNS, [2.3, 1.5, 3.6, 7.8, 3.4, 3.0, 3.7], loop=(
        "entry in timeline",
        ["{{ entry.date }}", "{{ entry.time }}", "{{ entry.agency }}", "{{ entry.what }}",
         "{{ entry.who }}", "{{ entry.source }}",
         f"{{% cellbg '{FLAG_SHADE}' if entry.flag else 'FFFFFF' %}}{{{{ entry.flag }}}}"],
    ), empty=("not timeline", "No entries yet: the timeline is filled in as agencies return theirs."))
    _shade_first(table)
    return save(doc, f"{w.folder}/summary-timeline.docx")


def _shade_first(table) -> None:
    """docxtpl's ``cellbg`` puts ``w:shd`` first in the cell's ``w:tcPr``, where the schema wants
    ``w:tcW`` (and the other width and merge settings) before it. The shaded cell therefore has no
    ``w:tcW`` of its own: its width comes from the table grid, so the rendered XML stays valid.
    Its ``w:tcPr`` keeps a ``w:vAlign`` (which the schema puts after ``w:shd``): an empty
    ``<w:tcPr/>`` would get the shading outside it."""
    for row in table.rows:
        for tc in row._tr.tc_lst:
            if "cellbg" in "".join(tc.itertext()):
                tc_pr = tc.get_or_add_tcPr()
                for child in list(tc_pr):
                    if child.tag.rsplit("}", 1)[-1] in ("tcW", "gridSpan", "hMerge", "vMerge", "tcBorders"):
                        tc_pr.remove(child)
                if tc_pr.find(qn("w:vAlign")) is None:
                    align = OxmlElement("w:vAlign")
                    align.set(qn("w:val"), "top")
                    tc_pr.append(align)
