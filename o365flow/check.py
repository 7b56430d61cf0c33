"""``check``: configuration, workflows, templates -- and with ``--online`` every backend."""

from __future__ import annotations

from .config import Config
from .errors import ConfigError, O365flowError

DOCUMENT_CONTEXT = {"board", "coordinator", "case", "agencies", "signoff_agencies", "generated_on"}
MAIL_TEMPLATES = ("signoff-request", "signoff-reminder", "signoff-escalation", "digest")


def run_checks(config: Config, online: bool = False) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    ok: list[str] = [f"configuration {config.path}"]
    try:
        from .services import open_services

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
    return problems, ok


def _templates(svc, ok: list[str]) -> list[str]:
    from .documents.render import template_variables
    from .mail.render import find_template

    problems = []
    for wf in svc.workflows.values():
        for doc in wf.documents:
            try:
                path = svc.find_template(doc.template)
                missing = template_variables(path.read_bytes()) - DOCUMENT_CONTEXT
            except O365flowError as exc:
                problems.append(f"workflow '{wf.id}': {exc}")
                continue
            if missing:
                problems.append(
                    f"template {path}: uses {', '.join(sorted(missing))}, which o365flow does not supply "
                    f"(available: {', '.join(sorted(DOCUMENT_CONTEXT))})"
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
    cfg, storage, problems = svc.config, svc.storage, []
    for lib in (cfg.referrals_library, cfg.reviews_library, cfg.register_library):
        try:
            storage.list(lib)
            ok.append(f"library '{lib}' readable")
        except O365flowError as exc:
            problems.append(f"library '{lib}': {exc}")
    probe = ".o365flow-check.txt"
    try:
        storage.write(cfg.reviews_library, probe, b"o365flow access check\n")
        storage.delete(cfg.reviews_library, probe)
        ok.append(f"library '{cfg.reviews_library}' writable")
    except O365flowError as exc:
        problems.append(f"library '{cfg.reviews_library}' is not writable: {exc}")
    try:
        if storage.stat(cfg.register_library, cfg.register_path):
            storage.read(cfg.register_library, cfg.register_path)
            ok.append("register readable")
        else:
            ok.append("register not there yet (the first pass creates it)")
    except O365flowError as exc:
        problems.append(f"register: {exc}")
    try:
        _, bad = svc.inbox.fetch()
        ok.append("mailbox readable" + (f" ({len(bad)} unreadable message(s))" if bad else ""))
    except O365flowError as exc:
        problems.append(f"mailbox: {exc}")
    return problems
