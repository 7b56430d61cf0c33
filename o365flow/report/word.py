"""The quarterly Case Review Group report laid out in the board's Word template.

The template (``report/quarterly-report.docx``, a board's own copy first) gives the styles, the
header and footer and the opening words; its tags (``board``, ``period``, ``as_at``) are filled
in, and the sections below go where its ``[report]`` paragraph stands. Headings, tables and
captions use the template's own styles (Heading 1, "Board Table" or else "Table Grid"), so a
board restyles the report by restyling the template.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from o365flow.core.model import KIND_NAMES, Stage
from o365flow.documents.render import render_docx
from o365flow.plan.boardfigures import KINDS, BoardFigures

MARKER = "[report]"
TIMELINESS = (
    ("Chair's decision within the screening period", "decision_in_time"),
    ("Reviews completed within 6 months of the decision", "review_in_time"),
    ("Action plans signed off within 4 weeks of the final report", "signoff_in_time"),
)


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def build_report(template: bytes, figures: BoardFigures, board: dict, agencies: dict[str, str], charts: bool) -> bytes:
    """The report as ``.docx`` bytes. ``agencies``: code -> name, for the actions table."""
    context = {"board": board, "period": {"label": figures.period.label, "start": long_date(figures.period.start),
                                          "end": long_date(figures.period.end)},
               "as_at": long_date(figures.as_at)}
    filled = render_docx(template, context, title=f"Case Review Group report {figures.period.label}",
                         source="report/quarterly-report.docx")
    doc = Document(io.BytesIO(filled))
    body = _Body(doc, charts)
    _summary(body, figures)
    _referrals(body, figures)
    _open(body, figures)
    _timeliness(body, figures)
    _actions(body, figures, agencies)
    _themes(body, figures)
    _shared(body, figures)
    body.finish()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class _Body:
    """Appends paragraphs, tables and pictures where the template's marker paragraph is."""

    def __init__(self, doc, charts: bool):
        self.doc, self.charts = doc, charts
        self.marker = next((p for p in doc.paragraphs if p.text.strip() == MARKER), None)
        names = {s.name for s in doc.styles}
        self.table_style = "Board Table" if "Board Table" in names else "Table Grid" if "Table Grid" in names else None
        self.caption = "Caption" if "Caption" in names else None

    def _place(self, element) -> None:
        if self.marker is not None:
            self.marker._p.addprevious(element)

    def heading(self, text: str, level: int = 1) -> None:
        self._place(self.doc.add_heading(text, level)._p)

    def para(self, text: str, style: str | None = None) -> None:
        self._place(self.doc.add_paragraph(text, style=style)._p)

    def table(self, head: list[str] | None, rows: list[list], widths: list[float] | None = None) -> None:
        """A table in the template's table style; ``head`` None: no header row (label | value)."""
        cols = len(head) if head else len(rows[0])
        table = self.doc.add_table(rows=1 if head else 0, cols=cols)
        if self.table_style:
            table.style = self.table_style
        for cell, text in zip(table.rows[0].cells if head else (), head or ()):
            cell.text = str(text)
        for row in rows:
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row)):
                cell.text = "–" if value in (0, None, "") and i else str(value)
                if i and isinstance(value, (int, type(None))):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not head:  # label | value: no header row, labels in the first column
            look = table._tbl.tblPr.find(qn("w:tblLook"))
            if look is None:
                look = OxmlElement("w:tblLook")
                table._tbl.tblPr.append(look)
            look.attrib.clear()
            for name, value in (("val", "0480"), ("firstRow", "0"), ("lastRow", "0"), ("firstColumn", "1"),
                                ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1")):
                look.set(qn(f"w:{name}"), value)
        if widths:
            table.autofit = False
            for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
                col.set(qn("w:w"), str(int(w * 567)))  # twentieths of a point per cm
            for row in table.rows:
                for cell, w in zip(row.cells, widths):
                    cell.width = Cm(w)
        self._place(table._tbl)
        self.para("")

    def picture(self, png: bytes, caption: str) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        self._place(self.doc.paragraphs[-1]._p)
        self.para(caption, self.caption)

    def finish(self) -> None:
        if self.marker is not None:
            self.marker._p.getparent().remove(self.marker._p)


def _pct(t) -> str:
    return f"{t.percent}% ({t.within} of {t.total})" if t.total else "none in the period"


def _summary(b: _Body, f: BoardFigures) -> None:
    b.heading("Summary")
    overdue = sum(c["overdue"] for c in f.actions.values())
    open_cases = sum(sum(k.values()) for k in f.open_by_stage.values())
    b.table(None, [
        ["Referrals received", sum(f.referrals.values())],
        ["Decisions made", sum(f.decisions.values())],
        [f"Cases open on {long_date(f.as_at)}", open_cases],
        ["of which on hold", f.on_hold],
        *[[label, _pct(getattr(f, attr))] for label, attr in TIMELINESS],
        [f"Actions overdue on {long_date(f.as_at)}", overdue],
        ["Learning shared with agencies", len(f.shared)],
    ], [11, 5])


def _referrals(b: _Body, f: BoardFigures) -> None:
    b.heading("Referrals received and decisions made")
    rows = [[KIND_NAMES[k], f.referrals.get(k, 0)] for k in KINDS]
    b.table(["Kind of review requested", "Referrals"], rows + [["Total", sum(f.referrals.values())]], [11, 5])
    if b.charts and f.referrals:
        from o365flow.report.charts import bars

        b.picture(bars([k for k in KINDS], [f.referrals.get(k, 0) for k in KINDS], "Referrals received by kind"),
                  "Referrals received in the period, by the kind of review requested.")
    decisions = sorted(f.decisions.items())
    b.table(["Chair's decision", "Decisions"], [[d, n] for d, n in decisions] + [["Total", sum(f.decisions.values())]],
            [11, 5])


def _open(b: _Body, f: BoardFigures) -> None:
    b.heading("Reviews open by stage")
    b.para(f"Cases open on {long_date(f.as_at)}, by stage and kind; {f.on_hold} on hold.")
    order = [s.label for s in Stage]
    stages = sorted(f.open_by_stage.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    rows = [[stage, *[kinds.get(k, 0) for k in KINDS], sum(kinds.values())] for stage, kinds in stages]
    total = [sum(r[i] for r in rows) for i in range(1, len(KINDS) + 2)]
    b.table(["Stage", *KINDS, "Total"], rows + [["Total", *total]], [5.5, 2, 2, 2, 2, 2.5])
    if b.charts and rows:
        from o365flow.report.charts import bars

        b.picture(bars([r[0] for r in rows], [r[-1] for r in rows], "Open cases by stage", horizontal=True),
                  "Open cases by stage.")


def _timeliness(b: _Body, f: BoardFigures) -> None:
    b.heading("Timeliness")
    rows = [[label, getattr(f, a).within, getattr(f, a).total, f"{getattr(f, a).percent}%" if getattr(f, a).total else "–"]
            for label, a in TIMELINESS]
    b.table(["Measure (in the period)", "On time", "Of", "%"], rows, [9.5, 2, 2, 2.5])
    if b.charts:
        from o365flow.report.charts import timeliness

        b.picture(timeliness(["Decision", "Review", "Sign-off"], [getattr(f, a).percent for _, a in TIMELINESS],
                             "On time, per cent"), "Share of each step done on time in the period.")
    b.heading("Holds", 2)
    if f.holds:
        b.table(["Reason for the hold", "Cases"], [[r, n] for r, n in sorted(f.holds.items())], [11, 5])
    else:
        b.para("No case was on hold in the period.")


def _actions(b: _Body, f: BoardFigures, agencies: dict[str, str]) -> None:
    b.heading("Actions by agency")
    b.para(f"Actions from the action plans, by lead agency, on {long_date(f.as_at)}.")
    codes = sorted(f.actions, key=lambda c: [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", c)])
    rows = [[agencies.get(c, c), f.actions[c]["open"], f.actions[c]["complete"], f.actions[c]["overdue"]] for c in codes]
    if not rows:
        b.para("No action plan has been read into the register yet.")
        return
    total = ["Total", *[sum(r[i] for r in rows) for i in (1, 2, 3)]]
    b.table(["Lead agency", "Open", "Complete", "Overdue"], rows + [total], [8.5, 2.5, 2.5, 2.5])
    if b.charts:
        from o365flow.report.charts import stacked

        b.picture(stacked(codes, {k: [f.actions[c][k] for c in codes] for k in ("complete", "open", "overdue")},
                          "Actions by lead agency"), "Actions complete, open and overdue, by lead agency.")


def _themes(b: _Body, f: BoardFigures) -> None:
    b.heading("Themes of the period")
    b.para("Learning themes tagged on the cases referred in the period, and on the recommendations of every "
           "action plan read into the register.")
    rows = [[t, f.themes_cases.get(t, 0), f.themes_recommendations.get(t, 0)] for t in f.themes]
    b.table(["Theme", "Cases referred", "Recommendations"], rows, [8, 3.5, 4.5])
    tagged = [(t, n) for t, n in f.themes_cases.items() if n]
    if b.charts and tagged:
        from o365flow.report.charts import bars

        b.picture(bars([t for t, _ in tagged], [n for _, n in tagged], "Themes of the cases referred", horizontal=True),
                  "Cases referred in the period, by learning theme (a case may have several).")


def _shared(b: _Body, f: BoardFigures) -> None:
    b.heading("Learning shared")
    if not f.shared:
        b.para("No learning was sent to agencies in the period.")
        return
    by_case: dict[str, list] = {}
    for ref, agency, day in f.shared:
        by_case.setdefault(ref, []).append((agency, day))
    rows = [[ref, ", ".join(sorted({a for a, _ in sent})), long_date(min(d for _, d in sent))] for ref, sent in sorted(by_case.items())]
    b.para(f"The 7 minute briefing or learning summary of {len(by_case)} case(s) went to {len(f.shared)} agency "
           "dissemination list(s).")
    b.table(["Case", "Sent to", "First sent"], rows, [5, 7, 4])
