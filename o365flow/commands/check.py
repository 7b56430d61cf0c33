"""``check``: configuration, workflows, templates -- and with ``--online`` every backend."""

from __future__ import annotations

import json

from o365flow.commands.console import Console
from o365flow.core.settings import Config
from o365flow.errors import ConfigError, O365flowError, one_line

DOCUMENT_CONTEXT = {"board", "coordinator", "case", "agencies", "signoff_agencies", "generated_on", "wording",
                    "learning_event"}
MAIL_TEMPLATES = (
    "signoff-request",
    "signoff-reminder",
    "signoff-escalation",
    "learning-share",
    "learning-event-invitation",
    "digest",
    "referrer-acknowledgement",
    "referrer-decision",
    "timeline-request",
    "timeline-reminder",
    "submission",
    "action-reminder",
)


def check_command(console: Console, online: bool) -> int:
    """Every check's outcome: ``ok`` lines on stdout, warnings and problems on stderr; 1 if any
    problem. A config that cannot be loaded is a problem listed like the others."""
    ok: list[str] = []
    warnings: list[str] = []
    try:
        config = console.config()
    except ConfigError as exc:
        problems = [exc.message, *exc.problems]
        if exc.hint:
            problems[0] += f" ({exc.hint})"
    else:
        problems, ok = run_checks(config, online)
        from o365flow.commands.placement import placement_warnings

        warnings = placement_warnings(config) + _pdf_warnings(config)
    if console.as_json:
        console.out(json.dumps({"ok": ok, "warnings": warnings, "problems": problems}, indent=2))
    else:
        for line in ok:
            console.say(f"ok       {one_line(line)}")
    for w in warnings:
        console.report("warning", w, "check.warning")
    for p in problems:
        if console.log_format == "json":
            console.report("problem", p, "check.problem")
        else:
            console.out(f"problem  {one_line(p)}", err=True)
    if problems:
        if console.log_format != "json":
            console.out(f"{len(problems)} problem(s) found.", err=True)
        return 1
    console.say("No problems found.")
    return 0


def _pdf_warnings(config: Config) -> list[str]:
    """``attachments = "pdf"`` on the local site needs LibreOffice here (SharePoint converts
    by itself)."""
    from o365flow.documents.pdf import office

    if config.mail.attachments != "pdf" or config.backend != "local" or office():
        return []
    return ['[mail] attachments = "pdf", but LibreOffice is not installed on this server, so documents for '
            "agencies cannot be converted and their messages will be held; install LibreOffice "
            '(e.g. apt-get install libreoffice-writer-nogui) or set attachments = "docx"']


def run_checks(config: Config, online: bool = False) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    ok: list[str] = [f"configuration {config.path}"]
    try:
        from o365flow.worker.services import open_services

        svc = open_services(config)
    except ConfigError as exc:
        return [exc.message, *exc.problems], []
    ok.append(f"{len(svc.workflows)} workflow(s): {', '.join(sorted(svc.workflows))}")
    problems += _templates(svc, ok)
    site = config.site_path
    if config.backend == "local" and site is not None:  # a local site always has one (the loader says so)
        for lib in (config.referrals_library, config.reviews_library, config.register_library):
            if not (site / lib).is_dir():
                problems.append(f"library folder {site / lib} is missing; create it or run 'o365flow init'")
    if online:
        problems += _online(svc, ok)
    # Compared once the site can be read (the register is read over the network on SharePoint).
    if not problems and (config.backend == "local" or online):
        from o365flow.worker.rebuild import state_problems

        try:
            found = state_problems(svc)
        except O365flowError as exc:
            found = [f"the state store could not be compared with the register: {exc}"]
        problems += found
        if not found:
            ok.append(f"state store {config.state_dir} matches the register")
    return problems, ok


def _templates(svc, ok: list[str]) -> list[str]:
    from o365flow.documents.render import template_variables
    from o365flow.plan.context import TIMELINE_KEYS

    problems = []
    for wf in svc.workflows.values():
        specs = [(doc, DOCUMENT_CONTEXT) for doc in wf.documents]
        if wf.summary_timeline:  # rendered from the merged timeline returns, with their entries
            specs.append((wf.summary_timeline, DOCUMENT_CONTEXT | TIMELINE_KEYS))
        for doc, supplied in specs:
            try:
                path = svc.find_template(doc.template)
                missing = template_variables(path.read_bytes()) - supplied
            except O365flowError as exc:
                problems.append(f"workflow '{wf.id}': {exc}")
                continue
            if missing:
                problems.append(
                    f"template {path}: uses {', '.join(sorted(missing))}, which o365flow does not supply "
                    f"(available: {', '.join(sorted(supplied))})"
                )
            else:
                ok.append(f"template {doc.template} ({wf.id})")
    problems += _languages(svc, ok)
    return problems


#: The documents that go to agencies (or the Welsh Government): a Welsh or bilingual board
#: needs them in Welsh. Other documents stay with the panel and may be English only.
AGENCY_DOCUMENTS = ("agency-timeline-return.docx", "welsh-government-notification.docx",
                    "seven-minute-briefing.docx")


def _languages(svc, ok: list[str]) -> list[str]:
    """Every mail template in every language the configuration uses (the board's and each
    agency's own), the Welsh glossary, the Welsh reply phrase, and the agency-facing documents
    in Welsh; each missing file named."""
    from o365flow.data.language import load_glossary
    from o365flow.documents.render import template_candidates, template_variables
    from o365flow.mail.render import template_files

    from o365flow.plan.context import TIMELINE_KEYS

    problems: list[str] = []
    config = svc.config
    languages = config.languages()
    for language in languages:
        users = "the board" if language == config.mail.language else "agencies " + ", ".join(
            a.code for a in config.agencies if a.language == language)
        for name in MAIL_TEMPLATES:
            try:
                template_files(name, svc.mail_template_dirs(), language)
            except O365flowError as exc:
                problems.append(f"{exc} (language '{language}', used by {users})")
                continue
            problems += _welsh_beside_english(svc, name, language)
            ok.append(f"mail template {name} ({language})")
    if not any("cy" in lang for lang in languages):
        return problems
    try:
        glossary = load_glossary(svc.template_dirs())
        ok.append(f"Welsh glossary ({len(glossary.terms)} terms)")
    except O365flowError as exc:
        return problems + [str(exc)]
    phrases = config.mail.approval_phrases
    told = glossary.welsh(phrases[0])
    if told.lower() not in {p.lower() for p in phrases}:
        problems.append(
            f"Welsh messages ask agencies to start a reply with '{told}' (the glossary's Welsh for "
            f"'{phrases[0]}'), which is not in [mail] approval_phrases; add it there")
    if "cy" not in config.mail.language:
        return problems
    for wf in svc.workflows.values():
        for doc in wf.documents:
            if doc.template.rsplit("/", 1)[-1] not in AGENCY_DOCUMENTS:
                continue
            wanted = template_candidates(doc.template, config.mail.language)[0]
            try:
                path = svc.find_template(wanted)
                missing = template_variables(path.read_bytes(), source=str(path)) - DOCUMENT_CONTEXT - TIMELINE_KEYS
            except O365flowError as exc:
                problems.append(f"workflow '{wf.id}': Welsh version of {doc.template}: {exc}")
                continue
            if missing:
                problems.append(f"template {path}: uses {', '.join(sorted(missing))}, which o365flow does not supply")
            else:
                ok.append(f"template {wanted} ({wf.id})")
    return problems


def _welsh_beside_english(svc, name: str, language: str) -> list[str]:
    """A board that rewrites a message in English must rewrite it in Welsh too: otherwise the
    shipped Welsh text would go out beside (or instead of) the board's own words."""
    if "cy" not in language or not svc.config.templates_dir:
        return []
    own = svc.config.templates_dir / "mail"
    if (own / f"{name}.txt").is_file() and not (own / f"{name}.cy.txt").is_file():
        return [f"mail template {own / (name + '.cy.txt')} is missing: the board has its own "
                f"{name}.txt, and its Welsh messages would still say the shipped Welsh text; "
                f"add {name}.cy.txt beside it (copy the shipped one and change it to match)"]
    return []


def _online(svc, ok: list[str]) -> list[str]:
    """Prove access to the site (each library, the register, a write, on SharePoint a folder
    restriction) and the mailbox; each problem names the permission that is missing."""
    from o365flow.storage.online_check import check_site

    problems = check_site(svc.config, svc.storage, ok)
    try:
        if svc.inbox is not None:  # a server mailbox is opened without downloading any message
            ok.append(svc.inbox.probe())
    except O365flowError as exc:
        problems.append(f"mailbox: {exc}")
    return problems
