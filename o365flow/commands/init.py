"""``init DIR [--demo]``: a board in a folder. Never overwrites an existing file.

Without ``--demo`` the config (``BOARD_CONFIG``) has a ``FILL IN: ...`` placeholder wherever only
the board can say what goes, which ``check`` names until it is filled in; ``--demo`` writes
``CONFIG``, a sample board that passes ``check`` at once, and four sample referral forms. Both
configs are one set of sections (``commands.boardconfig``).
"""

from __future__ import annotations

import json
from pathlib import Path

from o365flow.commands.boardconfig import BOARD_CONFIG, CONFIG
from o365flow.commands.console import Console

LOCAL_README = {
    "templates/README.txt": (
        "Your own templates. A file here replaces the shipped template with the same path,\n"
        "e.g. cpr/terms-of-reference.docx or mail/signoff-request.txt.\n"
    ),
    "workflows/README.txt": (
        "Your own workflow files. A file here replaces the shipped workflow with the same name\n"
        "(cpr.toml, apr.toml, susr.toml, forum.toml). Copy one from o365flow's data/workflows to start.\n"
    ),
    "templates/glossary.cy.toml": (
        "# The board's own Welsh terms, read over the shipped glossary (o365flow/data/templates/\n"
        "# glossary.cy.toml): its Welsh name and its agencies' Welsh names, used by the Welsh messages\n"
        "# and documents. Have them checked by the board's translation service.\n"
        "[terms]\n"
        "\"Dyffryn Regional Safeguarding Board\" = \"Bwrdd Diogelu Rhanbarthol Dyffryn\"\n"
        "\"Dyffryn County Council Social Services\" = \"Gwasanaethau Cymdeithasol Cyngor Sir Dyffryn\"\n"
        "\"Dyffryn Police\" = \"Heddlu Dyffryn\"\n"
        "\"Dyffryn University Health Board\" = \"Bwrdd Iechyd Prifysgol Dyffryn\"\n"
        "\"Dyffryn Education Service\" = \"Gwasanaeth Addysg Dyffryn\"\n"
    ),
}

DEMO_REFERRALS = [
    ("Referral 2026-01 (child, council).docx", {
        "kind": "Child Practice Review", "subject_initials": "A.B.", "incident_date": "14/01/2026",
        "circumstances": "Infant admitted to hospital with injuries not consistent with the account given.",
        "protected_6_months": "No", "referring_agency": "Dyffryn County Council Social Services",
        "referrer_name": "Safeguarding manager", "referrer_email": "safeguarding.reviews@council.example.org"}),
    ("Referral 2026-02 (adult, police).docx", {
        "kind": "APR", "subject_initials": "C.D.", "incident_date": "3 February 2026",
        "circumstances": "Adult at risk died at home; concerns about neglect by a paid carer.",
        "protected_6_months": "Yes", "referring_agency": "Dyffryn Police",
        "referrer_name": "Detective sergeant", "referrer_email": "public.protection@police.example.org"}),
    ("Referral 2026-03 (forum, health).docx", {
        "kind": "Forum", "subject_initials": "E.F.", "incident_date": "2026-02-10",
        "circumstances": "Young person's case became stuck between services; agencies ask for a case learning forum.",
        "protected_6_months": "No", "referring_agency": "Dyffryn University Health Board",
        "referrer_name": "Named nurse", "referrer_email": "safeguarding.team@health.example.org"}),
    ("Referral 2026-04 (SUSR, ambulance).docx", {
        "kind": "SUSR", "subject_initials": "G.H.", "incident_date": "20/02/2026",
        "circumstances": "Death following domestic abuse; more than one review type could apply.",
        "protected_6_months": "No", "referring_agency": "Welsh Ambulance Services NHS Trust",
        "referrer_name": "Safeguarding lead", "referrer_email": "safeguarding@ambulance.example.org"}),
]


def _write(path: Path, data: bytes | str, made: list[str], skipped: list[str]) -> None:
    if path.exists():
        skipped.append(str(path))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    made.append(str(path))


def init_board(folder: Path, demo: bool = False) -> tuple[list[str], list[str]]:
    """Create the board's folder: the config (placeholders, or the sample board with ``demo``),
    the local site's libraries, the state and mail folders, and with ``demo`` four sample
    referral forms. Returns (made, skipped) file lists."""
    folder = Path(folder)
    made: list[str] = []
    skipped: list[str] = []
    _write(folder / "o365flow.toml", CONFIG if demo else BOARD_CONFIG, made, skipped)
    for sub in ("site/Referrals", "site/Reviews", "site/Register", "state", "mail/outbox",
                "mail/inbox/new", "mail/inbox/cur", "mail/inbox/tmp", "templates", "workflows"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for rel, text in LOCAL_README.items():
        _write(folder / rel, text, made, skipped)
    if demo:
        from o365flow.data import shipped
        from o365flow.documents.referral import fill_referral_form

        template = (shipped("templates") / "referral-form.docx").read_bytes()
        for name, values in DEMO_REFERRALS:
            _write(folder / "site" / "Referrals" / name, fill_referral_form(template, values), made, skipped)
    return made, skipped


def init_command(console: Console, directory: Path, demo: bool) -> int:
    """Scaffold the board and say what was made, what was kept, and what to do next."""
    made, skipped = init_board(directory, demo)
    if console.as_json:
        console.out(json.dumps({"created": made, "kept": skipped}, indent=2))
        return 0
    for path in made:
        console.say(f"created  {path}")
    for path in skipped:
        console.say(f"kept     {path} (already there)")
    if demo:
        console.say(f"\nNext: cd {directory} && o365flow check && o365flow run")
    else:
        console.say(f"\nNext: fill in {directory / 'o365flow.toml'} (every 'FILL IN: ...' value), then o365flow check")
    return 0
