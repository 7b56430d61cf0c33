"""Apply: put together the Wales Safeguarding Repository pack in the case folder.

The newest document of each source folder (the published report, the 7 minute briefing, the
action plan) is copied into the pack folder after the same name check a report passes before
publication, with ``metadata.json`` and a checklist. Nothing is uploaded: the repository has no
upload interface, so the coordinator uploads the pack. Made once; a person may edit it after.
"""

from __future__ import annotations

import json
from datetime import datetime

from o365flow.errors import InputError
from o365flow.plan.actions import PreparePack
from o365flow.worker.apply_mail import resolve
from o365flow.worker.state import State

CHECKLIST = """Wales Safeguarding Repository: checklist for {reference}

This pack was put together by o365flow on {day}. It is NOT uploaded: upload it yourself, then type
the date in the register's Notes for {reference}.

In this folder
{files}
- metadata.json: reference, kind of review, dates and agencies

Before you upload
[ ] The published report is the anonymised version the Board approved, and it was checked for
    names (the register's 'Anonymisation cleared' or the Audit sheet says so).
[ ] The 7 minute briefing is the final version, with no protective marking that stops it being
    shared.
[ ] The action plan is the version the agencies (or the Case Review Group) signed off.
[ ] metadata.json: add the learning themes ("themes") the repository asks for, and check the
    agencies listed are those involved.
[ ] Welsh language versions, where the Board published them, are added to this folder.
[ ] After uploading, note the date in the register (Notes) for {reference}.
"""


def prepare_pack(svc, state: State, a: PreparePack, now: datetime):
    from o365flow.worker.namecheck import find_in

    library = svc.config.reviews_library
    found, missing = resolve(svc, tuple(folder for _, folder in a.sources))
    if missing:
        raise InputError(
            f"{a.ref}: the repository pack waits for a document in {', '.join(repr(m) for m in missing)}",
            "save it there and the next pass makes the pack",
        )
    case = state.board().cases.get(a.ref)
    words = [e for e in found if e.name.lower().endswith(".docx")]
    if words and case is not None:
        hits, notes = find_in(svc, case, words)
        lines = [line for e in words for line in hits[e.path]] + notes
        if lines:
            raise InputError(f"{a.ref}: the repository pack is held: a document may identify someone ({'; '.join(lines[:3])})",
                             "put it right and the next pass makes the pack")
    svc.storage.make_folder(library, a.folder)
    for entry in found:
        svc.storage.write(library, f"{a.folder}/{entry.name}", svc.storage.read(library, entry.path), create_only=False)
    meta = json.dumps({**a.metadata, "prepared": now.date().isoformat()}, indent=2, ensure_ascii=False)
    svc.storage.write(library, f"{a.folder}/metadata.json", meta.encode("utf-8"), create_only=False)
    listing = "\n".join(f"- {entry.name}: the {what}" for (what, _), entry in zip(a.sources, found))
    text = CHECKLIST.format(reference=a.ref, day=now.date().strftime("%d/%m/%Y"), files=listing)
    svc.storage.write(library, f"{a.folder}/Checklist.txt", text.replace("\n", "\r\n").encode("utf-8"), create_only=False)
    with state.tx() as db:
        state.mark_done(a.key, now, a.folder, db)
        state.audit(now, a.ref, "repository pack prepared", f"{a.reason}: {a.folder}", db)


PACK_HANDLERS = {PreparePack: prepare_pack}
