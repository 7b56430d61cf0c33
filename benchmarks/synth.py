"""A synthetic board for benchmarks: N cases spread over every stage, 12 member agencies.

Built through the project's own state store and register writer (no 5,000 documents rendered):
the state is what a board looks like after months of passes -- every folder, document, request
and reminder already recorded -- so a pass over it should find nothing to do.
"""

from __future__ import annotations

import functools
import random
from datetime import date, timedelta
from pathlib import Path

from o365flow.configuration.loader import load_config
from o365flow.core.model import CaseRecord, Referral
from o365flow.plan.mail import message_id
from o365flow.register import update_register
from o365flow.commands.init import CONFIG, init_board
from o365flow.worker.state import State
from o365flow.storage.local import LocalStorage

EXTRA_AGENCIES = "".join(
    f'\n[[agencies]]\ncode = "AG{i}"\nname = "Member agency {i}"\ncontact = "signoff@agency{i}.example.org"\n'
    for i in range(7, 13)
)
KINDS = ("CPR", "APR", "SUSR", "MAPF")
SCENARIOS = ("awaiting", "in_review", "on_hold", "signoff", "signed_off", "published", "closed", "no_review")


def build(root: Path, cases: int = 1000, seed: int = 7, folders: bool = True) -> Path:
    """A board of ``cases`` cases. ``folders``: every decided case also gets its case folder as a
    real board has it -- the workflow's subfolders and generated documents, six agencies'
    timeline returns, an action plan and, past the final report, the report itself."""
    rnd = random.Random(seed)
    init_board(root)
    (root / "o365flow.toml").write_text(CONFIG + EXTRA_AGENCIES)
    config = load_config(root / "o365flow.toml")
    storage = LocalStorage(config.site_path)
    # A real referral form: registered forms are not read again, but the name check of an
    # attachment reads the subject's name from the case's form.
    form = sample_form()
    rows, sign_rows = [], []
    seqs: dict[tuple[str, int], int] = {}
    with State(config.state_dir) as state:
        # A benchmark fixture, built once: no need to wait for the disk after every record.
        state.db.execute("PRAGMA synchronous=OFF")
        for i in range(cases):
            kind = KINDS[i % 4]
            received = date(2025, 1, 6) + timedelta(days=rnd.randrange(0, 600))
            seq = seqs[(kind, received.year)] = seqs.get((kind, received.year), 0) + 1
            ref = f"{config.board_code}-{kind}-{received.year}-{seq:03d}"
            name = f"referral-{i:05d}.docx"
            entry = storage.write(config.referrals_library, name, form)
            case = CaseRecord(ref, kind, received.year, seq, name, received, Referral(kind, "X.Y.", "Dyffryn Police"))
            # Every kind through every stage (i // 4: the kinds take turns, so i % 8 alone would
            # give each kind only two of the stages).
            scenario = SCENARIOS[(i // len(KINDS)) % len(SCENARIOS)] if kind != "MAPF" else rnd.choice(("awaiting", "forum", "closed"))
            row = {"Reference": ref}
            decided = received + timedelta(days=14)
            with state.tx() as db:
                state.add_case(case, entry.etag, _dt(received), db)
            if scenario != "awaiting":
                row.update({"Decision": _decision(kind, scenario),
                            "Decision date": decided, "Welsh Government notified": decided + timedelta(days=3)})
                for key in (f"folder/{ref}",):
                    state.mark_done(key, _dt(decided))
                _mark_generated(state, config, ref, kind, decided)
            if folders and scenario not in ("awaiting", "no_review"):
                _case_folder(storage, config, ref, kind, scenario)
            if scenario == "on_hold":
                row["On hold from"] = decided + timedelta(days=40)
            if scenario == "forum":
                row["Learning event date"] = decided + timedelta(days=60)
            if scenario in ("signoff", "signed_off", "published", "closed") and kind != "MAPF":
                final = decided + timedelta(days=150)
                row["Final report date"] = final
                # A SUSR's action plan is signed off by the Case Review Group, not by each agency.
                for agency in () if kind == "SUSR" else config.agencies_to_sign_off():
                    key = f"request/{ref}/{agency.code}"
                    mid = message_id(config, key, ref)
                    state.mail_prepared(key, mid, ref, agency.code, "request", _dt(final))
                    with state.tx() as db:
                        state.mail_sent(key, _dt(final), db)
                        state.signoff_requested(ref, agency.code, final, mid, db)
                        if scenario != "signoff":
                            state.signed_off(ref, agency.code, final + timedelta(days=20), "Sign-off contact", "Email reply", db)
                    # reminders already sent where due
                    for n in config.reminder_days_before:
                        point = final + timedelta(days=28 - n)
                        state.mark_done(f"reminder/{ref}/{agency.code}/{point.isoformat()}", _dt(point))
                    with state.tx() as db:
                        state.reminded(ref, agency.code, final + timedelta(days=28), db)
            if scenario == "published":
                row["Published date"] = decided + timedelta(days=240)
                row["Anonymisation cleared"] = decided + timedelta(days=238)  # checked by hand
            if scenario == "closed":
                row["Closed date"] = decided + timedelta(days=300)
            rows.append(row)
        data = update_register(None, rows, sign_rows)
        storage.write(config.register_library, config.register_path, data)
        state.mark_done("digest/2026-11-27", _dt(date(2026, 11, 27)))
    return root / "o365flow.toml"


def sample_form() -> bytes:
    """One of the demo board's referral forms (a SUSR referral)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        init_board(Path(tmp), demo=True)
        return next((Path(tmp) / "site" / "Referrals").glob("*SUSR*.docx")).read_bytes()


def _decision(kind: str, scenario: str) -> str:
    """What the Chair decided: a forum for MAPF, SUSR for a SUSR (it has no concise/extended split)."""
    if kind == "MAPF":
        return "Forum"
    if scenario == "no_review":
        return "No review"
    return "SUSR" if kind == "SUSR" else "Concise review"


_TEMPLATES: dict[str, bytes] = {}


def _template(relative: str) -> bytes:
    """A shipped Word template's bytes: a real document of the size a generated one has."""
    if relative not in _TEMPLATES:
        from o365flow.data import shipped

        _TEMPLATES[relative] = (shipped("templates") / relative).read_bytes()
    return _TEMPLATES[relative]


AGENCY_CODES = ("DCC", "POLICE", "UHB", "PROBATION", "WAST", "EDU")


@functools.cache
def _workflows():
    from o365flow.configuration.workflows import load_workflows

    return load_workflows()


def _case_folder(storage, config, ref: str, kind: str, scenario: str) -> None:
    flows = _workflows()
    wf = flows["forum" if kind == "MAPF" else kind.lower()]
    library = config.reviews_library
    storage.make_folder(library, ref)
    for sub in wf.folders:
        storage.make_folder(library, f"{ref}/{sub}")
    for doc in wf.documents:
        storage.write(library, f"{ref}/{doc.folder}/{doc.name.format(reference=ref)}", _template(doc.template))
    if wf.timelines_folder and scenario != "in_review":
        blank = _template(f"{wf.id}/agency-timeline-return.docx")
        for code in AGENCY_CODES:
            storage.write(library, f"{ref}/{wf.timelines_folder}/{ref} Agency timeline return {code}.docx", blank)
    if scenario in ("signoff", "signed_off", "published", "closed") and wf.final_report_folder:
        storage.write(library, f"{ref}/{wf.final_report_folder}/{ref} Final report.docx",
                      _template(f"{wf.id}/practice-review-report.docx"))


def _mark_generated(state, config, ref, kind, decided):
    for wf in _workflows().values():
        for doc in wf.documents:
            state.mark_done(f"doc/{ref}/{doc.template}", _dt(decided))
    from o365flow.plan.context import principals_for

    _, fingerprint = principals_for(config, {})
    state.mark_done(f"access/{ref}/{fingerprint}", _dt(decided))


def _dt(day: date):
    from datetime import datetime, timezone

    return datetime.combine(day, datetime.min.time(), timezone.utc)
