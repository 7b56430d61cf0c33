"""Render a mail template into (subject, text, html).

One source of truth per message: ``templates/mail/<name>.txt`` holds ``Subject: ...`` on its
first line, a blank line, then the body as plain text with light markup -- paragraphs split by
blank lines, ``- `` bullet lists, ``Label: value`` lines. The HTML alternative is generated from
that same text, so the two can never say different things. A board may add Welsh versions as
``<name>.cy.txt`` in its own template folder.

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

from o365flow.errors import ConfigError, MailError

#: The languages a message can be sent in: Welsh, English, or both with Welsh first.
LANGUAGES = ("en", "cy", "cy+en")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SUBJECT = re.compile(r"^Subject:[ \t]*(.*)$")
_LABEL = re.compile(r"^([A-Z][A-Za-z0-9 ()'\u2019/-]{0,40}):[ \t]+(\S.*)$")
_URL = re.compile(r"(?:https?://|file:///?)[^\s<>\"]+")
_TEXT_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
_BODY_STYLE = "font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;"


@functools.lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    # Autoescape is off: the text is plain; text_to_html escapes everything it emits.
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def find_template(name: str, template_dirs: list[Path], language: str = "en") -> Path:
    """The first ``<name>.txt`` (``language='en'``) or ``<name>.cy.txt`` (``'cy'``) in
    ``template_dirs``, searched in order. ``ConfigError`` when there is none."""
    if not _NAME.match(name or ""):
        raise ConfigError(f"mail template name '{name}' must be letters, digits, '-' or '_'")
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


def _render_file(path: Path, context: dict) -> tuple[str, str]:
    """(subject, text) of one template file."""
    try:
        source = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MailError(f"mail template {path} is not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read mail template {path}: {exc.strerror}") from exc
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    match = _SUBJECT.match(lines[0])
    if not match or (len(lines) > 1 and lines[1].strip()):
        raise MailError(
            f"mail template {path} must start with a 'Subject: ...' line and then a blank line"
        )
    env = _environment()
    try:
        subject = env.from_string(match.group(1)).render(context)
        body = env.from_string("\n".join(lines[2:])).render(context)
    except TemplateError as exc:
        # Jinja's messages name the template construct (a variable, an attribute), not values.
        raise MailError(f"mail template {path}: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        raise MailError(f"mail template {path} failed to render ({type(exc).__name__})") from exc
    subject = " ".join(subject.split())  # one line, whatever the context held
    if not subject:
        raise MailError(f"mail template {path} renders an empty subject")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"
    return subject, body


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
    ``'cy+en'`` joins both, Welsh first, with the subject ``'Welsh / English'``.
    Raises ``ConfigError`` for a missing template or unknown language, ``MailError`` when the
    template cannot be rendered (syntax, a variable the context lacks, a sandbox violation)."""
    if language not in LANGUAGES:
        raise ConfigError(f"mail language '{language}' must be one of {', '.join(LANGUAGES)}")
    codes = language.split("+")
    rendered = [
        (code, *_render_file(find_template(name, template_dirs, code), context)) for code in codes
    ]
    subject = " / ".join(subj for _, subj, _ in rendered)
    text = _TEXT_SEPARATOR.join(body.rstrip("\n") for _, _, body in rendered) + "\n"
    page = _document(subject, [(code, body) for code, _, body in rendered], codes[0])
    own = _own_html(name, template_dirs, context) if language == "en" else None
    return subject, text, own or page


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
