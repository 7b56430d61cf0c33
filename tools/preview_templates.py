"""Render every shipped Word template for a realistic case and turn each page into an image,
to look at before a template is shipped.

    python tools/preview_templates.py [OUT [MATCH]]   (default /tmp/template-images; MATCH
                                                       keeps the templates whose path has it)

For each workflow, every document it generates at the decision (and, for a review, the summary
timeline) is rendered with the context that workflow supplies, converted to PDF by LibreOffice
headless and to PNG pages by ``pdftoppm -r 60``. OUT/<workflow>/ holds the .docx, .pdf and
.png files; the script prints one line per document with its page count, and fails if a
rendered document still contains a template tag.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from o365flow.documents.render import render_docx
from o365flow.configuration.workflows import load_workflows
from tools.templates.sample import sample_context

TEMPLATES = ROOT / "o365flow" / "data" / "templates"
ADDRESS = ["Business Unit, County Hall", "Stryd Fawr", "Dyffryn", "LL99 9ZZ"]


def documents(workflows) -> list[tuple[str, str, str]]:
    """(workflow id, template path, output name) for every document to preview."""
    out = []
    for wf in sorted(workflows.values(), key=lambda w: w.id):
        for doc in wf.documents:
            out.append((wf.id, doc.template, Path(doc.template).stem))
        if wf.shape == "review" and (TEMPLATES / wf.id / "summary-timeline.docx").is_file():
            out.append((wf.id, f"{wf.id}/summary-timeline.docx", "summary-timeline"))
    return out


def leftover_tags(data: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return [n for n in archive.namelist() if n.endswith(".xml")
                and any(t in archive.read(n).decode("utf-8") for t in ("{{", "{%"))]


def to_images(docx: Path) -> int:
    """PDF beside the .docx, then one PNG per page; returns the page count."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = docx.with_suffix(".pdf")
    for old in docx.parent.glob(f"{docx.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(docx.parent / docx.stem)], check=True)
    return len(list(docx.parent.glob(f"{docx.stem}-*.png")))


def main(out: Path, match: str = "") -> int:
    from tools.templates.sample import demo_config

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        config = demo_config(Path(tmp))
        workflows = load_workflows()
        for wid, template, name in documents(workflows):
            if match not in template:
                continue
            context = sample_context(config, workflows[wid])
            data = render_docx((TEMPLATES / template).read_bytes(), context, title=name,
                               subject=context["case"]["reference"], source=template)
            target = out / wid / f"{name}.docx"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            tags = leftover_tags(data)
            failures += bool(tags)
            print(f"{wid}/{name}: {to_images(target)} page(s){'  TAGS LEFT in ' + ', '.join(tags) if tags else ''}")
        # The letter once more as a board with a configured address would send it.
        context = sample_context(config, workflows["cpr"])
        context["board"] = {**context["board"], "address": ADDRESS}
        target = out / "cpr" / "welsh-government-notification-with-address.docx"
        target.write_bytes(render_docx((TEMPLATES / "cpr/welsh-government-notification.docx").read_bytes(), context))
        print(f"cpr/{target.stem}: {to_images(target)} page(s)")
        # The referral form has no tags: people fill it in as shipped.
        target = out / "referral-form.docx"
        target.write_bytes((TEMPLATES / "referral-form.docx").read_bytes())
        print(f"{target.stem}: {to_images(target)} page(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    args = sys.argv[1:] + [""] * 2
    sys.exit(main(Path(args[0] or "/tmp/template-images"), args[1]))
