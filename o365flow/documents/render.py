"""Rendering Word templates (docxtpl tags) in a sandbox.

Templates are edited by board staff, so they are treated as untrusted: they run in Jinja2's
immutable sandbox, where reaching Python internals (``''.__class__``, ``cycler.__init__``)
raises instead of printing, and an undefined name is an error rather than a silent blank in a
statutory document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from o365flow.data.language import language_filters, load_glossary
from o365flow.errors import DocumentError
from o365flow.documents.ooxml import open_docx, stable_zip

AUTHOR = "o365flow"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# The core properties docxtpl renders as templates.
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, but an unsafe attribute raises at once: the stock sandbox returns
    an undefined value, which a template can still print (as a blank) or test."""

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")


def _environment(glossary=None) -> _Sandbox:
    # autoescape: docxtpl renders into XML, so values must be XML-escaped ('&', '<').
    env = _Sandbox(autoescape=True, undefined=StrictUndefined)
    # |cy and |cy_date, which the Welsh templates use (the board's glossary when given).
    env.filters.update(language_filters(glossary if glossary is not None else load_glossary()))
    return env


def template_candidates(relative: str, language: str = "en") -> list[str]:
    """The template paths to try, best first, for a board writing in ``language``:
    ``cy`` -> ``name.cy.docx`` then ``name.docx``; ``cy+en`` -> ``name.cy+en.docx`` (Welsh
    first, then English, in one document), then ``name.docx``. A document with no Welsh
    version is made in English."""
    stem, dot, ext = relative.rpartition(".")
    if not dot or language == "en":
        return [relative]
    return [f"{stem}.{language}.{ext}", relative]


def _template(template: bytes, name: str) -> DocxTemplate:
    open_docx(template, name)  # a readable .docx, or a DocumentError saying so
    return DocxTemplate(io.BytesIO(template))


def render_docx(
    template: bytes, context: dict, *, title: str = "", subject: str = "", source: str = "template",
    glossary=None,
) -> bytes:
    """Render a docxtpl ``template`` with ``context`` in a sandboxed Jinja2 environment.

    Sets the core properties title, subject (the case reference), author and last-modified-by
    (always "o365flow", never the host's user name); created/modified are left as they are.
    Raises ``DocumentError`` naming the problem (syntax error with where it is, a sandbox
    violation, an undefined name) — never with a context value in the message. ``source``
    (the template's file name) starts every error message. ``glossary``: the Welsh terms the
    ``|cy`` filter uses (``o365flow.data.language.load_glossary``; the shipped ones by default).
    """
    document = _template(template, source)
    try:
        document.render(context, jinja_env=_environment(glossary), autoescape=True)
        properties = document.docx.core_properties
        properties.title = title
        properties.subject = subject
        properties.author = AUTHOR
        properties.last_modified_by = AUTHOR
        buffer = io.BytesIO()
        document.save(buffer)
    except SecurityError as exc:
        raise DocumentError(f"{source}{_where(document)}: not allowed in a template: "
                            f"{_scrub(str(exc), context)}; use only the documented context "
                            "variables") from None
    except TemplateSyntaxError as exc:
        raise DocumentError(f"{source}{_where(document)}: {exc.message} {_near(exc)}; "
                            "correct the tag in Word and save the template again") from None
    except TemplateError as exc:
        raise DocumentError(f"{source}{_where(document)}: {_scrub(str(exc.message), context)}; "
                            "use only the documented context variables") from None
    except Exception as exc:  # noqa: BLE001
        # Other errors come from expressions applied to case data (int('AB') ...): their
        # message may echo that data, so only the kind of error is named.
        raise DocumentError(f"{source}{_where(document)}: an expression failed "
                            f"({type(exc).__name__}); simplify the tag in Word") from None
    return stable_zip(buffer.getvalue())


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(_strings(item) for item in value))
    return set()


def _scrub(message: str, context: dict) -> str:
    """The message with any context value blanked: a lookup keyed by case data
    (``lookup[case.subject_initials]``) would otherwise echo it."""
    for value in sorted(_strings(context), key=len, reverse=True):
        if len(value.strip()) >= 2 and value in message:
            message = message.replace(value, "…")
    return message


def _where(document: DocxTemplate) -> str:
    part = getattr(document, "current_rendering_part", None)
    name = str(getattr(part, "partname", "") or "")
    return f" ({name.rsplit('/', 1)[-1]})" if name else ""


def _near(exc: TemplateSyntaxError) -> str:
    """Where the error is, as the text of the paragraph around it (docxtpl starts a new line at
    each paragraph, so the line is the paragraph; its tags are stripped)."""
    lines = [re.sub(r"<[^>]+>", "", line).strip() for line in getattr(exc, "docx_context", [])]
    lines = [line for line in lines if line]
    if not lines:
        return f"at line {exc.lineno}"
    text = " / ".join(lines)[:80]
    return f"at line {exc.lineno}, near “{text}”"


def template_variables(template: bytes, *, source: str = "template") -> set[str]:
    """The top-level names a template needs from its context: those it uses but does not define
    itself, in the body, headers, footers, footnotes and templated core properties. Names Jinja
    provides (``range``, ``cycler``...) are not counted. Raises ``DocumentError`` on a template
    that does not parse, naming ``source``."""
    document = _template(template, source)
    environment = _environment()
    try:
        names = set(document.get_undeclared_template_variables(jinja_env=environment))
        docx = document.get_docx()
        for part in docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                xml = document.xml_to_string(parse_xml(part.blob))
                names |= meta.find_undeclared_variables(environment.parse(document.patch_xml(xml)))
        for prop in _RENDERED_PROPERTIES:
            value = getattr(docx.core_properties, prop) or ""
            if "{" in value:
                names |= meta.find_undeclared_variables(environment.parse(value))
    except TemplateSyntaxError as exc:
        raise DocumentError(f"{source}: {exc.message} at line {exc.lineno}; "
                            "correct the tag in Word and save the template again") from None
    return names - set(environment.globals)
