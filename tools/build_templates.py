"""Build the Word template set in ``o365flow/data/templates/`` from code, so it is reproducible and reviewable.

    python tools/build_templates.py

Writes every ``.docx`` in place (byte-identical on every run): ``o365flow/data/templates/{cpr,apr,susr}/``
(the review documents, with each workflow's wording), ``o365flow/data/templates/forum/`` and the referral form,
then the Welsh (``.cy.docx``) and bilingual (``.cy+en.docx``) versions of the documents agencies see.
The builders live in ``tools/o365flow/data/templates/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.templates import build_all
from tools.templates.welsh import build_welsh


def main() -> None:
    # English first: the bilingual documents carry the English ones as built.
    for written in build_all() + build_welsh():
        print(written.relative_to(ROOT))


if __name__ == "__main__":
    main()
