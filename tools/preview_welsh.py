"""Render the Welsh and bilingual templates for a realistic case and turn each page into an
image, to look at before they are shipped (see ``preview_templates.py`` for the English set).

    python tools/preview_welsh.py [OUT]     (default /tmp/welsh-images)

Prints one line per document with its page count; fails if a rendered document still holds a
template tag.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from o365flow.configuration.workflows import load_workflows
from o365flow.documents.render import render_docx
from tools.preview_templates import ADDRESS, TEMPLATES, leftover_tags, to_images
from tools.templates.sample import demo_config, sample_context

NAMES = ("agency-timeline-return", "welsh-government-notification", "seven-minute-briefing")


def main(out: Path) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        config = demo_config(Path(tmp))
        workflows = load_workflows()
        for wid in ("cpr", "apr", "susr"):
            context = sample_context(config, workflows[wid])
            context["board"] = {**context["board"], "address": ADDRESS}
            for name in NAMES:
                for language in ("cy", "cy+en"):
                    template = TEMPLATES / wid / f"{name}.{language}.docx"
                    data = render_docx(template.read_bytes(), context, title=name,
                                       subject=context["case"]["reference"], source=str(template))
                    target = out / wid / f"{name}.{language.replace('+', '-')}.docx"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    tags = leftover_tags(data)
                    failures += bool(tags)
                    print(f"{wid}/{target.stem}: {to_images(target)} page(s)"
                          f"{'  TAGS LEFT in ' + ', '.join(tags) if tags else ''}")
        for language in ("cy", "cy+en"):
            target = out / f"referral-form.{language.replace('+', '-')}.docx"
            target.write_bytes((TEMPLATES / f"referral-form.{language}.docx").read_bytes())
            print(f"{target.stem}: {to_images(target)} page(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/welsh-images")))
