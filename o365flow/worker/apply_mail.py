"""Apply the mail that carries a case's documents to people outside the panel.

Agencies (and the Case Review Group, the Welsh Ministers, the referrer) cannot open the
restricted case folder, so what they must read is attached. Before anything leaves, each Word
attachment goes through the same name check as a final report before publication; one that
names the subject or anyone on the case's "names not to publish" list holds the message (it is
planned again on the next pass) and the coordinator is told once a day where, never the name.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from o365flow.errors import InputError
from o365flow.plan.actions import RecordProgress, SaveReply, SendCaseFiles
from o365flow.worker.state import State

DOCUMENTS = (".docx", ".pdf")
HELD = "held/"


def pick(entries) -> list:
    """The newest Word or PDF document in a folder; a "(blank)" or "(draft)" one only when
    nothing else is there (the action plan may still be the generated draft a person filled in)."""
    docs = [e for e in entries if not e.is_folder and e.name.lower().endswith(DOCUMENTS) and not e.name.startswith("~$")]
    final = [e for e in docs if "(blank)" not in e.name.lower() and "(draft)" not in e.name.lower()]
    chosen = final or docs
    return [max(chosen, key=lambda e: (e.modified, e.name))] if chosen else []


def resolve(svc, paths: tuple[str, ...]) -> tuple[list, list[str]]:
    """The entries to attach, and what is missing (a folder with no document)."""
    library, found, missing = svc.config.reviews_library, [], []
    for path in paths:
        if path.lower().endswith(DOCUMENTS):
            entry = svc.storage.stat(library, path)
            (found.append(entry) if entry else missing.append(path))
            continue
        chosen = pick(svc.storage.list(library, path))
        (found.extend(chosen) if chosen else missing.append(path))
    return found, missing


def send_case_files(svc, state: State, a: SendCaseFiles, now: datetime):
    from o365flow.worker.apply import _send_mail
    from o365flow.worker.namecheck import find_in

    found, missing = resolve(svc, a.attach_from)
    if missing and a.required:
        return _hold(state, a, now, f"nothing to attach in {', '.join(repr(m) for m in missing)}; save the document there")
    words = [e for e in found if e.name.lower().endswith(".docx")]
    marked = [line for e in words for line in _markings(svc, e, a.withhold_markings)]
    if marked:
        return _hold(state, a, now, f"{'; '.join(marked[:3])}: it is not shared while so marked; change the marking "
                     "once it is approved for sharing")
    case = state.board().cases.get(a.ref)
    if words and case is not None:
        hits, notes = find_in(svc, case, words)
        lines = [line for e in words for line in hits[e.path]]
        if lines or notes:
            shown = "; ".join((lines + notes)[:3])
            return _hold(state, a, now, f"an attachment may identify someone ({shown}); put it right and it goes on the next pass")
    elif words and case is None:
        raise InputError(f"{a.ref}: no such case to check attachments for", "check the state folder")
    outcome = _send_mail(svc, state, replace(a, attach=tuple(e.path for e in found)), now)
    prefix = f"{HELD}{a.mail_key}#"
    with state.tx() as db:  # sent at last: the earlier hold is history (the audit keeps it)
        db.execute("DELETE FROM done WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
    return outcome


def _markings(svc, entry, markings: tuple[str, ...]) -> list[str]:
    """Where a Word file carries a protective marking that stops it being shared (name-free)."""
    if not markings:
        return []
    import io
    import re
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(svc.storage.read(svc.config.reviews_library, entry.path))) as z:
            parts = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()
                     if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)}
    except (zipfile.BadZipFile, KeyError):
        return [f"'{entry.name}' could not be read for its protective marking"]
    found = []
    for name, xml in sorted(parts.items()):
        text = " ".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).lower().split())
        where = re.sub(r"word/|\d*\.xml", "", name).replace("document", "body")
        found += [f"'{entry.name}' is marked \u201c{m}\u201d in its {where}" for m in markings if m in text]
    return found


def _hold(state: State, a: SendCaseFiles, now: datetime, why: str) -> str:
    """Nothing sent; the message is planned again next pass. The reason is kept in the state
    store under ``held/<mail key>#<reason>`` (name-free), so every pass, and so the digest, says
    why until it is put right; the pass counts it as a failed item."""
    key = f"{HELD}{a.mail_key}#{why}"
    with state.tx() as db:
        prefix = f"{HELD}{a.mail_key}#"
        db.execute("DELETE FROM done WHERE substr(key, 1, ?) = ? AND key != ?", (len(prefix), prefix, key))
        if db.execute("SELECT 1 FROM done WHERE key = ?", (key,)).fetchone() is None:
            # The line for this pass's digest, planned before the hold was known (``held_today``).
            state.mark_done(key, now, "\t".join((a.ref, a.purpose, a.agency or a.audience or "its recipients", why)), db)
            state.audit(now, a.ref, f"{a.purpose} held", why, db)
    raise InputError(f"held: {why}", "the coordinator is told in the digest until it is put right")



def held_today(state: State, now: datetime) -> list[tuple[str, str, str, str]]:
    """What this pass held, as (reference, purpose, to whom, why), name-free: its digest was
    planned before it knew."""
    at = now.isoformat(timespec="seconds")
    rows = state.db.execute("SELECT detail FROM done WHERE substr(key, 1, ?) = ? AND at = ? ORDER BY key",
                            (len(HELD), HELD, at))
    return [tuple(d.split("\t", 3)) for (d,) in rows if d and d.count("\t") == 3]


def save_reply(svc, state: State, a: SaveReply, now: datetime):
    """Save the document into the case folder (replacing the agency's earlier one), then mark
    the message handled: killed in between, the rerun saves the same bytes again."""
    from o365flow.worker.apply import _mark_processed

    svc.storage.write(svc.config.reviews_library, a.path, a.data, create_only=False)
    with state.tx() as db:
        state.processed(a.message_key, now, "document saved", db)
        state.audit(now, a.ref, f"return from {a.agency} saved", f"{a.reason}: {a.path}", db)
    _mark_processed(svc, a.message_key)


def record_progress(svc, state: State, a: RecordProgress, now: datetime):
    from o365flow.worker.apply import _mark_processed

    with state.tx() as db:
        state.mark_done(a.key, now, "", db)
        state.processed(a.message_key, now, f"action {a.status}", db)
        state.audit(now, a.ref, f"action {a.item}: {a.status} recorded from {a.agency}", a.reason, db)
    _mark_processed(svc, a.message_key)


MAIL_HANDLERS = {SendCaseFiles: send_case_files, SaveReply: save_reply, RecordProgress: record_progress}
