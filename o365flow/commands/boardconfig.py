"""The config ``init`` writes: one set of sections, filled in two ways.

``CONFIG`` is the sample board ``init --demo`` writes; it passes ``check`` at once.
``BOARD_CONFIG`` is what ``init`` writes for a real board: a ``FILL IN: ...`` placeholder
wherever only the board can say what goes (its name and code, the coordinator, the mail
address, the site, the agencies); the loader names each one still there
(``configuration.placeholders``), so ``check`` and ``run`` refuse it until it is finished.
Everything else, the comments that explain each key included, is the same in both.
"""

from __future__ import annotations

from o365flow.configuration.placeholders import MARK

#: The sections, with ``{name}`` where the sample board and a real board differ.
SECTIONS = '''# o365flow configuration for one Safeguarding Board.
# Paths are relative to this file. Secrets never go here: they come from environment variables
# or a certificate file (see the README and docs/it-guide.md).
{to_do}
[board]
name = "{board_name}"
code = "{board_code}"{code_note}
timezone = "Europe/London"
address = [{address}]   # the letterhead of letters it drafts, one string a line

[site]
backend = "local"                  # "local" (folders on disk, below) or "sharepoint" (see [microsoft365])
path = "site"                      # local only: each top-level folder is a library
referrals = "Referrals"            # a referral form (.docx) saved here starts a case
reviews = "Reviews"                # one folder per case
register = "Register/Practice Review Register.xlsx"

[state]
path = "state"                     # o365flow's own records: as private as the site, on a local disk
                                   # (never a share or a synced folder)

[templates]
folder = "templates"               # your own Word and mail templates, used before the shipped ones

[workflows]
folder = "workflows"               # your own workflow files, used instead of shipped ones of the same name

[coordinator]
name = "{coordinator_name}"
email = "{coordinator_email}"

[mail]
backend = "outbox"                 # "outbox" (.eml files), "graph" (the board mailbox in Exchange Online) or "smtp"
from = "{mail_from}"
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
location = "{location}"
online_link = "{online_link}"   # for those joining online ("" for none)

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
group = "{access_group}"{access_note}

# The learning themes tagged on cases (the register's Themes column) and recommendations (the
# action plan's Theme column). Without this table the default list is used: information sharing,
# professional curiosity, voice of the child or adult, domestic abuse, neglect, mental health,
# substance misuse, transitions, escalation, assessment of risk, exploitation, self-neglect and
# missing episodes. Your own list replaces it (a theme cannot hold ';' or ','):
# [themes]
# list = ["Information sharing", "Professional curiosity", "Voice of the child or adult",
#         "Domestic abuse", "Neglect", "Mental health", "Transitions", "Escalation"]

# The member agencies: one table each; copy a table to add one.
{agencies}
# With SharePoint Online ([site] backend = "sharepoint") or Microsoft 365 mail ([mail] backend =
# "graph"), uncomment and fill in the app registration (docs/it-guide.md, sections 1-8):
# [microsoft365]
# tenant_id = "the Directory (tenant) ID"
# client_id = "the Application (client) ID"
# site_url = "https://contoso.sharepoint.com/sites/safeguarding"
# certificate_path = "/etc/o365flow/o365flow.pem"
'''

SAMPLE_AGENCIES = '''[[agencies]]
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

CONFIG = SECTIONS.format(
    to_do="",
    board_name="Dyffryn Regional Safeguarding Board",
    board_code="DRSB",
    code_note="                      # the first part of every reference: DRSB-CPR-2026-001",
    address='"Dyffryn House", "High Street", "Dyffryn", "DY1 1AA"',
    coordinator_name="Review coordinator",
    coordinator_email="review.coordinator@board.example.org",
    mail_from="safeguarding.board@board.example.org",
    location="Board room, Dyffryn House",
    online_link="https://teams.microsoft.com/l/meetup-join/dyffryn-learning-event",
    access_group="safeguarding-business-unit@board.example.org",
    access_note="   # always has access to case folders",
    agencies=SAMPLE_AGENCIES,
)

BOARD_CONFIG = SECTIONS.format(
    to_do=f'#\n# Replace every "{MARK} ..." value below; \'o365flow check\' names each one still to do.\n',
    board_name=f"{MARK} the board's name, e.g. Dyffryn Regional Safeguarding Board",
    board_code=f"{MARK} 2-12 capitals, the first part of every reference, e.g. DRSB",
    code_note="",
    address=f'"{MARK} the first line of the board\'s letterhead address"',
    coordinator_name=f"{MARK} the review coordinator's name or role",
    coordinator_email=f"{MARK} the coordinator's e-mail address (gets the daily digest)",
    mail_from=f"{MARK} the board's mail address, e.g. Board name <safeguarding.board@board.example.org>",
    location=f"{MARK} where learning events are held (or 'Microsoft Teams')",
    online_link="",
    access_group=f"{MARK} the business unit's group address (always has access to case folders)",
    access_note="",
    agencies=f'''[[agencies]]
code = "{MARK} a short code in capitals, e.g. POLICE"
name = "{MARK} the agency's name"
contact = "{MARK} where sign-off requests go, e.g. public.protection@police.example.org"
domains = ["{MARK} the mail domain replies come from, e.g. police.example.org"]
''',
)
