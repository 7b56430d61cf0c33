"""Render a mail template into (subject, text, html).

One source of truth per message: ``templates/mail/<name>.txt`` holds ``Subject: ...`` on its
first line, a blank line, then the body as plain text with light markup -- paragraphs split by
blank lines, ``- `` bullet lists, ``Label: value`` lines. The HTML alternative is generated from
that same text, so the two can never say different things. Welsh versions are ``<name>.cy.txt``
(shipped for every message; a board's own folder overrides any of them). A bilingual message
(``cy+en``) is both files in one mail, Welsh first; a Welsh file may give the subject the
bilingual mail carries on a ``Bilingual-subject: ...`` line after its ``Subject:`` line, short
enough for a mail client to show whole.

Welsh templates write terms and dates through the filters of ``o365flow.data.language``
(``|cy``: the shared glossary; ``|cy_date``: "29 Medi 2026").

Templates are board-editable files, so they run in Jinja's sandbox with ``StrictUndefined``: a
misspelt variable or a reach for Python internals is a ``MailError``, never a half-filled mail.
"""

from __future__ import annotations

import functools

import html
import re
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from o365flow.data.language import language_filters, load_glossary
from o365flow.errors import ConfigError, MailError

#: The languages a message can be sent in: Welsh, English, or both with Welsh first.
LANGUAGES = ("en", "cy", "cy+en")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SUBJECT = re.compile(r"^Subject:[ \t]*(.*)$")
_BILINGUAL_SUBJECT = re.compile(r"^Bilingual-subject:[ \t]*(.*)$", re.IGNORECASE)
_TOKEN = re.compile(r"^\s*(\[[^\]]+\])\s*")
#: What a mail client shows of a subject line; the shipped bilingual subjects fit within it.
SUBJECT_LIMIT = 100
#: The line a bilingual message opens with, so an English reader knows to scroll.
BILINGUAL_NOTE = "Mae’r fersiwn Saesneg isod · The English version is below"
_LABEL = re.compile(r"^([A-Z][A-Za-z0-9 ()'\u2019/-]{0,40}):[ \t]+(\S.*)$")
_URL = re.compile(r"(?:https?://|file:///?)[^\s<>\"]+")
_TEXT_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
_BODY_STYLE = "font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;"


def _environment(template_dirs: list[Path]) -> SandboxedEnvironment:
    """The environment for ``template_dirs``, made once per process while their glossaries are
    unchanged (a pass sending a thousand messages made a thousand: 2 s of a 9 s first pass)."""
    from o365flow.data.language import GLOSSARY_FILE

    roots = tuple(Path(d).parent for d in template_dirs)
    stamps = tuple((r / GLOSSARY_FILE).stat().st_mtime_ns if (r / GLOSSARY_FILE).is_file() else 0 for r in roots)
    return _made(roots, stamps)


@functools.lru_cache(maxsize=8)
def _made(roots: tuple[Path, ...], stamps: tuple[int, ...]) -> SandboxedEnvironment:
    # Autoescape is off: the text is plain; text_to_html escapes everything it emits.
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # The glossary sits in each templates folder, one level above its mail/ folder.
    env.filters.update(language_filters(load_glossary(list(roots))))
    return env


def find_template(name: str, template_dirs: list[Path], language: str = "en") -> Path:
    """The first ``<name>.txt`` (``language='en'``) or ``<name>.cy.txt`` (``'cy'``) in
    ``template_dirs``, searched in order. ``ConfigError`` when there is none. A bilingual
    message needs both: see ``template_files``."""
    if not _NAME.match(name or ""):
        raise ConfigError(f"mail template name '{name}' must be letters, digits, '-' or '_'")
    if language not in ("en", "cy"):
        raise ConfigError(f"mail template language '{language}' must be 'en' or 'cy'; "
                          "a bilingual message is made of both files")
    file_name = f"{name}.txt" if language == "en" else f"{name}.{language}.txt"
    for folder in template_dirs:
        candidate = Path(folder) / file_name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in template_dirs) or "(no folders)"
    raise ConfigError(
        f"mail template {file_name} not found",
        hint=f"add it to one of: {searched}",
    )


def template_files(name: str, template_dirs: list[Path], language: str = "en") -> list[Path]:
    """The files a message in ``language`` is made of: one, or for ``cy+en`` the Welsh file and
    the English one. ``ConfigError`` for an unknown language or the first file missing."""
    if language not in LANGUAGES:
        raise ConfigError(f"mail language '{language}' must be one of {', '.join(LANGUAGES)}")
    return [find_template(name, template_dirs, code) for code in language.split("+")]


def _render_file(path: Path, context: dict, env: SandboxedEnvironment) -> tuple[str, str, str]:
    """(subject, bilingual subject or "", text) of one template file."""
    try:
        source = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MailError(f"mail template {path} is not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read mail template {path}: {exc.strerror}") from exc
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    match = _SUBJECT.match(lines[0])
    both = _BILINGUAL_SUBJECT.match(lines[1]) if len(lines) > 1 else None
    start = 3 if both else 2
    if not match or (len(lines) >= start and lines[start - 1].strip()):
        raise MailError(
            f"mail template {path} must start with a 'Subject: ...' line (and optionally a "
            "'Bilingual-subject: ...' line) and then a blank line"
        )
    try:
        subject = env.from_string(match.group(1)).render(context)
        bilingual = env.from_string(both.group(1)).render(context) if both else ""
        body = env.from_string("\n".join(lines[start:])).render(context)
    except TemplateError as exc:
        # Jinja's messages name the template construct (a variable, an attribute), not values.
        raise MailError(f"mail template {path}: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        raise MailError(f"mail template {path} failed to render ({type(exc).__name__})") from exc
    subject = " ".join(subject.split())  # one line, whatever the context held
    bilingual = " ".join(bilingual.split())
    if not subject:
        raise MailError(f"mail template {path} renders an empty subject")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"
    return subject, bilingual, body


def bilingual_subject(welsh: str, english: str, given: str = "") -> str:
    """The subject of a ``cy+en`` message: the Welsh file's ``Bilingual-subject`` when it has
    one, else "[REF] Welsh / English" with the leading "[REF]" the two share said once."""
    if given:
        return given
    cy, en = _TOKEN.match(welsh), _TOKEN.match(english)
    if cy and en and cy.group(1) == en.group(1):
        return f"{cy.group(1)} {welsh[cy.end():]} / {english[en.end():]}"
    return f"{welsh} / {english}"


def _inline(text: str) -> str:
    """Escaped text with its web and file links made clickable."""
    out, last = [], 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?)'")
        out.append(html.escape(text[last : m.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        last = m.start() + len(url)
    out.append(html.escape(text[last:]))
    return "".join(out)


def _line(text: str) -> str:
    m = _LABEL.match(text)
    if m:
        return f"<strong>{html.escape(m.group(1))}:</strong> {_inline(m.group(2))}"
    return _inline(text)


def text_to_html(text: str) -> str:
    """HTML for the template markup: ``<p>`` per paragraph (lines kept with ``<br>``), ``<ul>``
    for ``- `` lines, ``<strong>`` labels for ``Label: value`` lines. Everything is escaped."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        para: list[str] = []
        items: list[str] = []
        for line in block.split("\n"):
            if line.startswith("- "):
                if para:
                    out.append("<p>" + "<br>\n".join(para) + "</p>")
                    para = []
                items.append(f"<li>{_line(line[2:].strip())}</li>")
            else:
                if items:
                    out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
                    items = []
                para.append(_line(line.strip()))
        if para:
            out.append("<p>" + "<br>\n".join(para) + "</p>")
        if items:
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
    return "\n".join(out)


def _document(subject: str, parts: list[tuple[str, str]], lang: str) -> str:
    body = "\n<hr>\n".join(
        f'<div lang="{code}">\n{text_to_html(text)}\n</div>' for code, text in parts
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n"
        f'<body style="{_BODY_STYLE}">\n{body}\n</body>\n</html>\n'
    )


def render_mail(
    name: str, context: dict, template_dirs: list[Path], language: str = "en"
) -> tuple[str, str, str]:
    """(subject, text, html) of mail template ``name`` rendered with ``context``.

    ``template_dirs`` are searched in order (the board's own folder first, then the shipped
    one). ``language``: ``'en'`` uses ``<name>.txt``, ``'cy'`` uses ``<name>.cy.txt``,
    ``'cy+en'`` joins both in one message, Welsh first, under a bilingual subject (see
    ``bilingual_subject``). Raises ``ConfigError`` for a missing template or unknown language,
    ``MailError`` when the template cannot be rendered (syntax, a variable the context lacks,
    a sandbox violation)."""
    files = template_files(name, template_dirs, language)
    env = _environment(template_dirs)
    codes = language.split("+")
    rendered = [(code, *_render_file(path, context, env)) for code, path in zip(codes, files)]
    if len(rendered) == 1:
        (code, subject, _, body), = rendered
        own = _own_html(name, template_dirs, context) if code == "en" else None
        return subject, body, own or _document(subject, [(code, body)], code)
    (_, cy_subject, given, cy_body), (_, en_subject, _, en_body) = rendered
    subject = bilingual_subject(cy_subject, en_subject, given)
    text = BILINGUAL_NOTE + "\n\n" + _TEXT_SEPARATOR.join(b.rstrip("\n") for b in (cy_body, en_body)) + "\n"
    parts = [("cy", BILINGUAL_NOTE + "\n\n" + cy_body), ("en", en_body)]
    return subject, text, _document(subject, parts, "cy")


# A learning event's calendar entry: its title and note in each language, Welsh first.
_EVENT_WORDS = {
    "en": ("Learning event", "Practitioners' learning event for {ref}. Details are with the business unit."),
    "cy": ("Digwyddiad dysgu", "Digwyddiad dysgu i ymarferwyr ar gyfer {ref}. Mae’r manylion gan yr uned fusnes."),
}


def calendar_words(language: str, summary: str, ref: str) -> tuple[str, str]:
    """(summary, description) of a learning event invitation in ``language``: the planned
    summary ("Learning event – REF") with its words in Welsh, or both, and the note to match."""
    codes = language.split("+") if language in LANGUAGES else ["en"]
    title = " / ".join(_EVENT_WORDS[c][0] for c in codes)
    return summary.replace("Learning event", title, 1), "\n".join(_EVENT_WORDS[c][1].format(ref=ref) for c in codes)


def _own_html(name: str, template_dirs: list[Path], context: dict) -> str | None:
    """A message's own HTML (``<name>.html`` beside its ``.txt``: the digest's table), rendered
    in the sandbox with everything escaped; None when there is none."""
    for folder in template_dirs:
        path = Path(folder) / f"{name}.html"
        if path.is_file():
            env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True)
            try:
                return env.from_string(path.read_text(encoding="utf-8-sig")).render(context)
            except TemplateError as exc:
                raise MailError(f"mail template {path}: {type(exc).__name__}: {exc}") from exc
            except Exception as exc:
                raise MailError(f"mail template {path} failed to render ({type(exc).__name__})") from exc
    return None
