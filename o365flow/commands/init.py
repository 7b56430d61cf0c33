"""``init DIR [--demo]``: a board in a folder. Never overwrites an existing file.

Without ``--demo`` the config (``BOARD_CONFIG``) has a ``FILL IN: ...`` placeholder wherever only
the board can say what goes (its name and code, the coordinator, the mail address, the site, the
agencies); the loader names each one still there (``configuration.placeholders``), so ``check``
and ``run`` refuse the config until it is finished. ``--demo`` writes ``CONFIG``: a sample board
that passes ``check`` at once.
"""

from __future__ import annotations

import json
from pathlib import Path

from o365flow.commands.console import Console
from o365flow.configuration.placeholders import MARK

CONFIG = '''# o365flow configuration for one Safeguarding Board.
# Paths are relative to this file. Secrets never go here: they come from environment variables
# or a certificate file (see the README).

[board]
name = "Dyffryn Regional Safeguarding Board"
code = "DRSB"                      # the first part of every reference: DRSB-CPR-2026-001
timezone = "Europe/London"
address = ["Dyffryn House", "High Street", "Dyffryn", "DY1 1AA"]   # letterhead of letters it drafts

[site]
backend = "local"                  # "local" (folders on disk) or "sharepoint"
path = "site"                      # local only: each top-level folder is a library
referrals = "Referrals"            # a referral form (.docx) saved here starts a case
reviews = "Reviews"                # one folder per case
register = "Register/Practice Review Register.xlsx"

[state]
path = "state"                     # o365flow's own records; keep it as private as the site

[templates]
folder = "templates"               # your own Word and mail templates, used before the shipped ones

[workflows]
folder = "workflows"               # your own workflow files, used instead of shipped ones of the same name

[coordinator]
name = "Review coordinator"
email = "review.coordinator@board.example.org"

[mail]
backend = "outbox"                 # "outbox" (.eml files), "smtp" or "graph" (the board mailbox in Exchange Online)
from = "safeguarding.board@board.example.org"
outbox = "mail/outbox"             # outgoing messages, one .eml file each
inbox = "mail/inbox"               # replies, read from this Maildir (new/ and cur/)
# approval_phrases = ["Approved", "Signed off"]   # a sign-off reply starts with one; the default
                                   # is these and Welsh ones ("Cymeradwywyd", "Rwy'n cymeradwyo"...)
language = "en"                    # "en", "cy" or "cy+en" (bilingual, Welsh first); an agency may
                                   # set its own: language = "cy" in its [[agencies]] table

[reminders]
days_before = [7, 0]               # remind agencies 7 days before and on the due date
days_after = []                    # and, if you wish, this many days after it, e.g. [3, 10]
escalate_after_days = 14           # this many days overdue: the agency's senior_contact is told (0: never)
amber_days = 14                    # RAG is Amber within this many days of a deadline
digest_time = "00:00"              # the coordinator's daily digest goes with the first pass after this

[learning_events]                  # the calendar invitation sent when 'Learning event date' is set
start = "10:00"
end = "13:00"
location = "Board room, Dyffryn House"
online_link = "https://teams.microsoft.com/l/meetup-join/dyffryn-learning-event"   # for those joining online ("" for none)

[case_review_group]                 # signs off a SUSR's action plan (workflows/susr.toml [signoff])
name = "Case Review Group"
code = "CRG"                        # its row on the Sign-offs sheet
members = []                        # addresses whose reply signs off; none: type the date in the register

[submission]                        # who receives the report and action plan once the Board approves them
welsh_ministers = ""                # e.g. "safeguarding.reviews@gov.wales"
nisb = ""                           # the National Independent Safeguarding Board
inspectorates = []                  # e.g. ["reviews@careinspectorate.wales"]

[signoff]
agencies = "all"                   # "all", "named" (those the action plan names as lead agencies), or codes, e.g. ["DCC", "POLICE"]

[access]
group = "safeguarding-business-unit@board.example.org"   # always has access to case folders

# The learning themes tagged on cases (the register's Themes column) and recommendations (the
# action plan's Theme column). Without this table the default list is used: information sharing,
# professional curiosity, voice of the child or adult, domestic abuse, neglect, mental health,
# substance misuse, transitions, escalation, assessment of risk, exploitation, self-neglect and
# missing episodes. Your own list replaces it (a theme cannot hold ';' or ','):
# [themes]
# list = ["Information sharing", "Professional curiosity", "Voice of the child or adult",
#         "Domestic abuse", "Neglect", "Mental health", "Transitions", "Escalation"]

[[agencies]]
code = "DCC"
name = "Dyffryn County Council Social Services"
contact = "safeguarding.reviews@council.example.org"
domains = ["council.example.org"]
senior_contact = "head.of.safeguarding@council.example.org"   # escalation (optional)
dissemination = ["practice.learning@council.example.org"]     # learning is shared here (default: contact)

[[agencies]]
code = "POLICE"
name = "Dyffryn Police"
contact = "public.protection@police.example.org"
domains = ["police.example.org"]

[[agencies]]
code = "UHB"
name = "Dyffryn University Health Board"
contact = "safeguarding.team@health.example.org"
domains = ["health.example.org"]

[[agencies]]
code = "PROBATION"
name = "Probation Service in Wales"
contact = "wales.safeguarding@probation.example.org"
domains = ["probation.example.org"]

[[agencies]]
code = "WAST"
name = "Welsh Ambulance Services NHS Trust"
contact = "safeguarding@ambulance.example.org"
domains = ["ambulance.example.org"]

[[agencies]]
code = "EDU"
name = "Dyffryn Education Service"
contact = "education.safeguarding@schools.example.org"
domains = ["schools.example.org"]
'''

BOARD_CONFIG = f'''# o365flow configuration for one Safeguarding Board.
# Paths are relative to this file. Secrets never go here: they come from environment variables
# or a certificate file (see the README and docs/it-guide.md).
#
# Replace every "{MARK} ..." value below; 'o365flow check' names each one still to do.

[board]
name = "{MARK} the board's name, e.g. Dyffryn Regional Safeguarding Board"
code = "{MARK} 2-12 capitals, the first part of every reference, e.g. DRSB"
timezone = "Europe/London"
address = ["{MARK} the first line of the board's letterhead address"]   # one string per line

[site]
backend = "local"                  # "local" (folders on disk, below) or "sharepoint" (see [microsoft365])
path = "site"                      # local only: each top-level folder is a library
referrals = "Referrals"            # a referral form (.docx) saved here starts a case
reviews = "Reviews"                # one folder per case
register = "Register/Practice Review Register.xlsx"

[state]
path = "state"                     # o365flow's own records: a local disk, never a share or a synced folder

[templates]
folder = "templates"               # your own Word and mail templates, used before the shipped ones

[workflows]
folder = "workflows"               # your own workflow files, used instead of shipped ones of the same name

[coordinator]
name = "{MARK} the review coordinator's name or role"
email = "{MARK} the coordinator's e-mail address (gets the daily digest)"

[mail]
backend = "outbox"                 # "outbox" (.eml files), "graph" (Microsoft 365 boards) or "smtp"
from = "{MARK} the board's mail address, e.g. Board name <safeguarding.board@board.example.org>"
outbox = "mail/outbox"             # outgoing messages, one .eml file each
inbox = "mail/inbox"               # replies, read from this Maildir (new/ and cur/)
# approval_phrases = ["Approved", "Signed off"]   # a sign-off reply starts with one; the default
                                   # is these and Welsh ones ("Cymeradwywyd", "Rwy'n cymeradwyo"...)
language = "en"                    # "en", "cy" or "cy+en" (bilingual, Welsh first); an agency may
                                   # set its own: language = "cy" in its [[agencies]] table

[reminders]
days_before = [7, 0]               # remind agencies 7 days before and on the due date
days_after = []                    # and, if you wish, this many days after it, e.g. [3, 10]
escalate_after_days = 14           # this many days overdue: the agency's senior_contact is told (0: never)
amber_days = 14                    # RAG is Amber within this many days of a deadline
digest_time = "00:00"              # the coordinator's daily digest goes with the first pass after this

[learning_events]                  # the calendar invitation sent when 'Learning event date' is set
start = "10:00"
end = "13:00"
location = "{MARK} where learning events are held (or 'Microsoft Teams')"

[signoff]
agencies = "all"                   # "all", "named" (those the action plan names as lead agencies), or codes

[access]
group = "{MARK} the business unit's group address (always has access to case folders)"

# One [[agencies]] table per member agency; copy the block for each.
[[agencies]]
code = "{MARK} a short code in capitals, e.g. POLICE"
name = "{MARK} the agency's name"
contact = "{MARK} where sign-off requests go, e.g. public.protection@police.example.org"
domains = ["{MARK} the mail domain replies come from, e.g. police.example.org"]

# With SharePoint Online ([site] backend = "sharepoint") or Microsoft 365 mail ([mail] backend =
# "graph"), uncomment and fill in the app registration (docs/it-guide.md, sections 1-8):
# [microsoft365]
# tenant_id = "the Directory (tenant) ID"
# client_id = "the Application (client) ID"
# site_url = "https://contoso.sharepoint.com/sites/safeguarding"
# certificate_path = "/etc/o365flow/o365flow.pem"
'''

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


def init_command(out: Console, directory: Path, demo: bool) -> int:
    """Scaffold the board and say what was made, what was kept, and what to do next."""
    made, skipped = init_board(directory, demo)
    if out.as_json:
        out.out(json.dumps({"created": made, "kept": skipped}, indent=2))
        return 0
    for path in made:
        out.say(f"created  {path}")
    for path in skipped:
        out.say(f"kept     {path} (already there)")
    if demo:
        out.say(f"\nNext: cd {directory} && o365flow check && o365flow run")
    else:
        out.say(f"\nNext: fill in {directory / 'o365flow.toml'} (every 'FILL IN: ...' value), then o365flow check")
    return 0
