"""Build ``o365flow/data/templates/report/quarterly-report.docx``: the Case Review Group's
quarterly report, with the house styles (Title, Heading 1/2, the "Board Table" table style),
header marking and "Page X of Y" footer. A board restyles it by saving its own copy as
``templates/report/quarterly-report.docx`` in its templates folder.

    python tools/build_report_template.py

``o365flow report`` fills in the title tags and puts the figures, tables and charts where the
paragraph reading ``[report]`` stands (anything after it stays at the end).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.templates.styles import new_document, save  # noqa: E402

MARKING = "OFFICIAL – for the Safeguarding Board and its member agencies"


def main() -> None:
    doc = new_document(
        "Case Review Group report",
        "{{ board.name }} · {{ period.label }}",
        reference="Case Review Group report",
        footer_text="{{ board.name }} · Case Review Group report · {{ period.label }}",
        marking=MARKING,
    )
    doc.add_paragraph(
        "Figures as at {{ as_at }}, from the practice review register. The report holds references, "
        "kinds of review, agency codes, dates and counts only: no one is named in it."
    )
    doc.add_paragraph("[report]")
    print(save(doc, "report/quarterly-report.docx").relative_to(ROOT))


if __name__ == "__main__":
    main()
