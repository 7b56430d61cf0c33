"""How the Dashboard looks: fonts, fills, widths, warning colours, the chart and a one-page
landscape print. What it says is decided in ``dashboard``."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.register.rewrite.layout import HEADER_FONT, WORKER_FILL
from o365flow.register.rewrite.rules import AMBER, RED
from o365flow.register.values import write_value

LAST_COL = "I"
CHART_ANCHOR = "K5"
CHART_LAST_COL = "R"  # the chart's width in default columns, for the print area
WIDTHS = {
    "A": 30,
    "B": 8,
    "C": 8,
    "D": 8,
    "E": 8,
    "F": 13,
    "G": 9,
    "H": 9,
    "I": 11,
    "J": 3,
}

NAVY = "1F3864"
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BORDER = Border(
    left=THIN, right=THIN, top=Side(style="medium", color="7F7F7F"), bottom=THIN
)
COUNT_FORMAT = (
    '0;-0;"–"'  # a zero shows as a dash, so the figures that matter stand out
)
CENTRE = Alignment(horizontal="center", vertical="center")

STYLES: dict[str, dict] = {
    "title": {"font": Font(name="Calibri", size=16, bold=True, color=NAVY)},
    "today": {
        "font": Font(name="Calibri", size=11, bold=True, color="404040"),
        "number_format": '"Figures for "dddd d mmmm yyyy',
        "alignment": Alignment(horizontal="left"),
    },
    "note": {
        "font": Font(name="Calibri", size=9, italic=True, color="595959"),
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
    "section": {
        "font": Font(name="Calibri", size=12, bold=True, color=NAVY),
        "border": Border(bottom=Side(style="medium", color=NAVY)),
    },
    "head": {
        "font": HEADER_FONT,
        "fill": WORKER_FILL,
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": BOX,
    },
    "label": {"alignment": Alignment(vertical="center")},
    "name": {
        "font": Font(name="Calibri", size=11, color="404040"),
        "alignment": Alignment(vertical="center", shrink_to_fit=True),
        "border": BOX,
    },
    "count": {"alignment": CENTRE, "number_format": COUNT_FORMAT, "border": BOX},
    "count_total": {
        "font": Font(name="Calibri", size=11, bold=True),
        "alignment": CENTRE,
        "number_format": COUNT_FORMAT,
        "border": BOX,
    },
    "total_label": {
        "font": Font(name="Calibri", size=11, bold=True),
        "border": TOTAL_BORDER,
    },
    "total": {
        "font": Font(name="Calibri", size=11, bold=True),
        "alignment": CENTRE,
        "number_format": COUNT_FORMAT,
        "border": TOTAL_BORDER,
    },
    "kpi": {
        "font": Font(name="Calibri", size=12, bold=True),
        "alignment": CENTRE,
        "number_format": "0",
        "border": BOX,
    },
    "percent": {
        "font": Font(name="Calibri", size=11, bold=True),
        "alignment": CENTRE,
        "number_format": "0%",
        "border": BOX,
    },
}
WARN = {"red": RED, "amber": AMBER}


class Formula(str):
    """A formula of the Dashboard's own; any other text is written as text, whatever it starts
    with (an agency code typed on the Sign-offs sheet may begin with "="). ``array`` is the
    range an array formula fills, or None."""

    array: str | None = None


# A cell inside an array formula's range (other than its first): its value is the array's.
IN_ARRAY = object()


@dataclass
class Content:
    """What the Dashboard holds: each cell's value and style, merged ranges, and the rows the
    chart and the colour rules need."""

    cells: dict[str, tuple[object, str]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    grid: tuple[int, int] = (0, 0)  # header row, totals row of the stage grid
    warn: dict[str, str] = field(default_factory=dict)  # cell range -> "red" / "amber"
    end: int = 0  # last row used

    def put(self, cell: str, value: object, style: str) -> None:
        self.cells[cell] = (value, style)

    def formula(
        self, cell: str, formula: str, style: str, array: str | None = None
    ) -> None:
        value = Formula(formula)
        value.array = array
        self.cells[cell] = (value, style)


def write_dashboard(ws: Worksheet, content: Content) -> None:
    """Fill the empty sheet ``ws`` with ``content``, styled, charted and set up to print."""
    for coord, (value, style) in content.cells.items():
        cell = ws[coord]
        if isinstance(value, Formula):
            cell.value = (
                ArrayFormula(value.array, str(value)) if value.array else str(value)
            )
        elif value is not None and value is not IN_ARRAY:
            write_value(cell, value)
        for attribute, setting in STYLES[style].items():
            setattr(cell, attribute, setting)
    for area in content.merged:
        ws.merge_cells(area)
    for row, height in content.heights.items():
        ws.row_dimensions[row].height = height
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    for area, colour in content.warn.items():
        fill, font = WARN[colour]
        ws.conditional_formatting.add(
            area,
            CellIsRule(operator="greaterThan", formula=["0"], fill=fill, font=font),
        )
    ws.add_chart(_chart(ws, *content.grid), CHART_ANCHOR)
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = NAVY
    ws.print_area = f"A1:{CHART_LAST_COL}{max(content.end, 30)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1


def _chart(ws: Worksheet, head: int, total: int) -> BarChart:
    """Open cases by stage, one bar per stage split by kind."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "Open cases by stage"
    chart.style = 10
    data = Reference(ws, min_col=2, max_col=5, min_row=head, max_row=total - 1)
    stages = Reference(ws, min_col=1, min_row=head + 1, max_row=total - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(stages)
    # Stages read top to bottom in the order a case goes through them.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    chart.y_axis.number_format = "0"
    chart.y_axis.title = "Cases"
    chart.legend.position = "b"
    chart.width, chart.height = 13, 9.5  # centimetres
    return chart
