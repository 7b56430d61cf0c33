"""The Dashboard's figures as spreadsheet formulas over the Cases, Sign-offs and Actions sheets.

Every figure is a live formula (COUNTIFS / SUMPRODUCT with TODAY()), so it stays right on days
no pass runs. A sheet with an Excel table is referred to by structured reference
(``Cases[Stage]``): the reference follows the table as rows are added and columns move, and
Excel and LibreOffice both calculate it. A sheet without a table (a register typed by hand)
falls back to plain ranges found from its header row when the formulas are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter, quote_sheetname

from o365flow.core.model import Stage
from o365flow.register.headers import header_key
from o365flow.register.layout import DONE_WORDS
from o365flow.register.rewrite.sheetwriter import SheetWriter

ON_HOLD = " (on hold)"
# The stages an open case can be at, in the order a case goes through them.
OPEN_STAGES = tuple(s.label for s in Stage if s is not Stage.CLOSED)
# Stages at which a sign-off no longer counts as outstanding.
FINISHED_STAGES = (
    Stage.CLOSED.label,
    Stage.PUBLISHED.label,
    Stage.PUBLISHED.label + ON_HOLD,
)
# A plain range reaches this far below its header at least (a register without tables).
MIN_ROWS = 1000


@dataclass(frozen=True)
class Source:
    """Where one sheet's columns are, as formulas refer to them."""

    sheet: str
    table: str | None  # the table's name, when the sheet has one
    names: dict[str, str]  # header key -> the column's name in the table
    columns: dict[str, int]  # header key -> column number (for plain ranges)
    first: int  # first body row
    last: int  # last row a plain range reaches

    @classmethod
    def of(cls, writer: SheetWriter) -> Source:
        """The columns of the sheet ``writer`` holds, as they are now."""
        header, table = writer.header, writer.table
        names: dict[str, str] = {}
        if table is not None:
            if table.tableColumns:
                names = {header_key(c.name): c.name for c in table.tableColumns}
            else:  # a table made in this pass: openpyxl names its columns from the header cells
                cells = writer.ws[header.row]
                names = {
                    header_key(c.value): str(c.value)
                    for c in cells
                    if c.value is not None
                }
        rows = writer.next_row - header.row
        last = max(MIN_ROWS, -(-2 * rows // MIN_ROWS) * MIN_ROWS) + header.row
        return cls(
            writer.ws.title,
            table.displayName if table is not None else None,
            names,
            dict(header.columns),
            header.row + 1,
            last,
        )

    def col(self, header: str) -> str:
        """A reference to the body of column ``header``."""
        key = header_key(header)
        if self.table and key in self.names:
            return f"{self.table}[{_escape(self.names[key])}]"
        letter = get_column_letter(self.columns[key])
        return f"{quote_sheetname(self.sheet)}!${letter}${self.first}:${letter}${self.last}"


def text(value: str) -> str:
    """A string literal for a formula."""
    return '"' + value.replace('"', '""') + '"'


def _escape(name: str) -> str:
    # Inside a structured reference these four characters are escaped with an apostrophe.
    for ch in "'[]#":
        name = name.replace(ch, "'" + ch)
    return name


class Figures:
    """The formula for each figure on the Dashboard."""

    def __init__(
        self, cases: Source, signoffs: Source, actions: Source, amber_days: int
    ):
        self.c, self.s, self.a = cases, signoffs, actions
        self.amber = int(amber_days)

    def _at(self, stage: str, *criteria: str) -> str:
        """Open cases at ``stage`` (on hold or not) meeting further COUNTIFS criteria."""
        more = "".join("," + c for c in criteria)
        stage_col = self.c.col("Stage")
        return "+".join(
            f"COUNTIFS({stage_col},{text(label)}{more})"
            for label in (stage, stage + ON_HOLD)
        )

    def by_kind(self, stage: str, kind: str) -> str:
        return "=" + self._at(stage, f"{self.c.col('Kind')},{text(kind)}")

    def at_stage(self, stage: str) -> str:
        return "=" + self._at(stage)

    def on_hold(self, stage: str) -> str:
        return f"=COUNTIFS({self.c.col('Stage')},{text(stage + ON_HOLD)})"

    def overdue(self, stage: str) -> str:
        """Cases at ``stage``, not on hold, whose RAG is Red (next deadline passed): counted from
        the RAG the worker wrote, so the Dashboard agrees with the colours on the Cases sheet."""
        return f'=COUNTIFS({self.c.col("Stage")},{text(stage)},{self.c.col("RAG")},"Red")'

    def due_soon(self, stage: str) -> str:
        """Cases at ``stage``, not on hold, whose RAG is Amber (due within the amber window)."""
        return f'=COUNTIFS({self.c.col("Stage")},{text(stage)},{self.c.col("RAG")},"Amber")'

    def signoffs_by_agency(self, codes: str, overdue: bool = False) -> str:
        """An array formula: for each agency code in the cells ``codes`` (a column), its
        sign-off rows with a blank Signed off whose case is on the Cases sheet and neither
        closed nor published (and, with ``overdue``, whose Due date has passed).

        Matching each sign-off row to its case is the costly part, so it is done once for all
        agencies (MMULT of agency-by-row matches with the rows that count), not once per agency.
        """
        s, c = self.s, self.c
        unfinished = ",".join(
            f"{c.col('Stage')},{text('<>' + label)}" for label in FINISHED_STAGES
        )
        counts = (
            f"(COUNTIFS({c.col('Reference')},{s.col('Reference')},{unfinished})>0)"
            f'*({s.col("Signed off")}="")'
        )
        if overdue:
            due = s.col("Due")
            counts += f"*ISNUMBER({due})*({due}<TODAY())"
        return f"=MMULT(({codes}=TRANSPOSE({s.col('Agency')}))*1,{counts})"

    def agency_name(self, agency: str) -> str:
        s = self.s
        # &"" so a blank name shows blank rather than 0.
        name = f'INDEX({s.col("Agency name")},MATCH({text(agency)},{s.col("Agency")},0))&""'
        return f'=IFERROR({name},"")'

    def _this_year(self, col: str) -> list[str]:
        return [
            f"({col}>=DATE(YEAR(TODAY()),1,1))",
            f"({col}<DATE(YEAR(TODAY())+1,1,1))",
        ]

    def final_reports_this_year(self) -> str:
        frd = self.c.col("Final report date")
        return (
            f'=COUNTIFS({frd},">="&DATE(YEAR(TODAY()),1,1),'
            f'{frd},"<"&DATE(YEAR(TODAY())+1,1,1))'
        )

    def on_time_this_year(self) -> str:
        """Final report dated this year and on or before the case's Review due."""
        frd, due = self.c.col("Final report date"), self.c.col("Review due")
        parts = [
            f"ISNUMBER({frd})",
            f"ISNUMBER({due})",
            *self._this_year(frd),
            f"({frd}<={due})",
        ]
        return "=SUMPRODUCT(" + "*".join(parts) + ")"

    def actions_overdue(self) -> str:
        """Actions whose target date has passed and whose Progress does not say done."""
        target, progress = self.a.col("Target date"), self.a.col("Progress")
        parts = [f"ISNUMBER({target})", f"({target}<TODAY())"]
        parts += [f"(TRIM({progress})<>{text(word)})" for word in DONE_WORDS]
        return "=SUMPRODUCT(" + "*".join(parts) + ")"
