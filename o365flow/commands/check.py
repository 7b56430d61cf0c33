"""``check``: configuration, workflows, templates -- and with ``--online`` every backend."""

from __future__ import annotations

from o365flow.core.settings import Config
from o365flow.errors import ConfigError, O365flowError

DOCUMENT_CONTEXT = {"board", "coordinator", "case", "agencies", "signoff_agencies", "generated_on", "wording"}
MAIL_TEMPLATES = (
    "signoff-request",
    "signoff-reminder",
    "signoff-escalation",
    "learning-share",
    "learning-event-invitation",
    "digest",
)


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
    if config.backend == "local":
        for lib in (config.referrals_library, config.reviews_library, config.register_library):
            if not (config.site_path / lib).is_dir():
                problems.append(f"library folder {config.site_path / lib} is missing; create it or run 'o365flow init'")
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
    from o365flow.mail.render import find_template

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
    for name in MAIL_TEMPLATES:
        try:
            find_template(name, svc.mail_template_dirs(), svc.config.mail.language)
            ok.append(f"mail template {name}")
        except O365flowError as exc:
            problems.append(str(exc))
    return problems


def _online(svc, ok: list[str]) -> list[str]:
    """Prove access to the site (each library, the register, a write, on SharePoint a folder
    restriction) and the mailbox; each problem names the permission that is missing."""
    from o365flow.storage.online_check import check_site

    problems = check_site(svc.config, svc.storage, ok)
    try:
        probe = getattr(svc.inbox, "probe", None)
        if probe is not None:  # a server mailbox: open it without downloading any message
            ok.append(probe())
        else:
            _, bad = svc.inbox.fetch()
            ok.append("mailbox readable" + (f" ({len(bad)} unreadable message(s))" if bad else ""))
    except O365flowError as exc:
        problems.append(f"mailbox: {exc}")
    return problems
