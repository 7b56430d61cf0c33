"""The board's settings as the core sees them: frozen, validated values. Read from the TOML file
by ``o365flow.configuration``; nothing here reads a file or the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

# The learning themes a board tags its cases and recommendations with, unless its config's
# ``[themes] list`` replaces them.
DEFAULT_THEMES = (
    "Information sharing",
    "Professional curiosity",
    "Voice of the child or adult",
    "Domestic abuse",
    "Neglect",
    "Mental health",
    "Substance misuse",
    "Transitions",
    "Escalation",
    "Assessment of risk",
    "Exploitation",
    "Self-neglect",
    "Missing episodes",
)


#: A reply's first line must start with one of these to sign off (``[mail] approval_phrases``):
#: English and Welsh, so an agency may answer in either language.
DEFAULT_APPROVAL_PHRASES = (
    "Approved", "Signed off",
    "Cymeradwywyd", "Cymeradwyo", "Rwy'n cymeradwyo", "Rwyn cymeradwyo", "Rydw i'n cymeradwyo",
    "Rydym yn cymeradwyo", "Rydyn ni'n cymeradwyo", "Wedi'i gymeradwyo", "Wedi ei gymeradwyo",
    "Wedi cymeradwyo", "Llofnodwyd", "Wedi'i lofnodi",
)


@dataclass(frozen=True)
class Agency:
    """A member agency: who must sign off action plans, and where its replies come from."""

    code: str
    name: str
    contact: str  # the sign-off contact address requests go to
    domains: tuple[str, ...] = ()  # replies from any address at these domains also count
    signoff: bool = True
    senior_contact: str = ""  # told once the agency's sign-off is escalate_after_days overdue
    dissemination: tuple[str, ...] = ()  # who receives published learning; default: contact
    language: str = ""  # en | cy | cy+en: the agency's own preference; "" = the board's [mail] language
    members: tuple[str, ...] = ()  # a signing group (the Case Review Group): its members' addresses

    def sends_from(self, address: str) -> bool:
        address = address.strip().lower()
        if address == self.contact.lower() or address in self.members:
            return True
        domain = address.rpartition("@")[2]
        return bool(domain) and domain in self.domains


@dataclass(frozen=True)
class MailSettings:
    """The ``[mail]`` table. ``outbox`` and ``inbox`` serve the outbox backend; ``smtp_*`` the
    SMTP one (replies still read from the Maildir ``inbox``); ``mailbox``, ``processed_category``,
    ``mark_read`` and ``read_since`` the Graph one, which sends as and reads the Exchange Online ``mailbox``
    using the ``[microsoft365]`` app registration."""

    backend: str = "outbox"  # outbox | smtp | graph
    sender: str = ""
    outbox: Path | None = None
    inbox: Path | None = None
    approval_phrases: tuple[str, ...] = DEFAULT_APPROVAL_PHRASES
    language: str = "en"  # en | cy | cy+en
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_username_env: str = ""
    smtp_password_env: str = ""
    mailbox: str = ""  # graph: the board's (shared) mailbox, e.g. safeguarding.board@contoso.gov.uk
    processed_category: str = "o365flow processed"  # graph: the category a processed reply gets
    mark_read: bool = False  # graph: also mark a processed reply read
    read_since: date | None = None  # graph: messages received before this day are never read
    smtp_auth: str = "password"  # smtp: "password" (from the environment) or "oauth2" (XOAUTH2, app-only token)
    smtp_ca_bundle: Path | None = None  # smtp: a private CA (PEM) to trust besides the system's
    smtp_oauth_resource: str = "https://outlook.office365.com"  # smtp oauth2: the token's audience
    sender_name: str = ""  # the display name of ``from = "Board name <address>"``; ``sender`` is the address
    # How case documents travel to people outside the panel: "docx" as saved, or "pdf" (converted
    # by SharePoint, or by LibreOffice on the local backend) so they read but do not edit them.
    attachments: str = "docx"

    @property
    def from_header(self) -> str:
        """What the From header says: ``"Board name" <address>``, or the bare address."""
        if not self.sender_name:
            return self.sender
        return '"' + self.sender_name.replace("\\", "\\\\").replace('"', '\\"') + f'" <{self.sender}>'


@dataclass(frozen=True)
class Microsoft365Settings:
    """The ``[microsoft365]`` app registration, checked once by the loader (paths already made
    absolute). Used by the SharePoint site and by the Graph mail backend."""

    tenant_id: str = ""
    client_id: str = ""
    site_url: str = ""  # https://contoso.sharepoint.com/sites/safeguarding
    certificate_path: Path | None = None  # PEM with the private key (+ certificate); preferred
    certificate_thumbprint: str | None = None  # computed from the certificate when absent
    client_secret_env: str | None = None  # the NAME of an environment variable holding the secret
    graph_url: str = "https://graph.microsoft.com"
    authority_url: str = "https://login.microsoftonline.com"
    ca_bundle: Path | None = None  # a private CA (a proxy that inspects TLS)


@dataclass(frozen=True)
class LearningEventSettings:
    """The ``[learning_events]`` table: times and place of the calendar invitation."""

    start: str = "10:00"
    end: str = "13:00"
    location: str = ""
    online_link: str = ""  # the Teams (or other) link the invitation and the plan give

    def get(self, key: str, default=None):
        """Read like the table it came from (``events.get("start", "10:00")``)."""
        value = getattr(self, key, None) if key in ("start", "end", "location", "online_link") else None
        return value if value else default


@dataclass(frozen=True)
class Config:
    path: Path  # the config file; relative paths are relative to its folder
    board_name: str
    board_code: str
    timezone: str
    backend: str  # local | sharepoint
    site_path: Path | None
    referrals_library: str
    reviews_library: str
    register_library: str
    register_path: str
    state_dir: Path
    templates_dir: Path | None
    workflows_dir: Path | None
    coordinator_name: str
    coordinator_email: str
    mail: MailSettings
    agencies: tuple[Agency, ...]
    reminder_days_before: tuple[int, ...] = (7, 0)
    reminder_days_after: tuple[int, ...] = ()  # reminders to the agency once overdue (none by default)
    escalate_after_days: int = 14  # overdue this long: the agency's senior_contact is told (0: never)
    amber_days: int = 14
    digest_time: str = "00:00"
    signoff_agencies: tuple[str, ...] = ()  # empty: every agency with signoff = true
    signoff_named: bool = False  # the agencies an action plan names as leads sign it off
    access_group: str = ""
    closure_days: tuple[date, ...] = ()
    microsoft365: Microsoft365Settings = field(default_factory=Microsoft365Settings)
    learning_events: LearningEventSettings = field(default_factory=LearningEventSettings)
    board_address: tuple[str, ...] = ()  # letterhead lines, e.g. for the Welsh Government letter
    # The group a workflow may name as the signer of its action plans (a SUSR's Case Review
    # Group): not a member agency, so never mailed invitations or learning.
    case_review_group: Agency = Agency("CRG", "Case Review Group", "")
    submission: dict = field(default_factory=dict)  # [submission]: who receives approved reports
    withhold_markings: tuple[str, ...] = ("not for onward circulation",)  # a file marked so is never shared
    themes: tuple[str, ...] = DEFAULT_THEMES  # learning themes tagged on cases and recommendations

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def agency(self, code: str) -> Agency | None:
        """A member agency by code, or the Case Review Group by its code."""
        found = next((a for a in self.agencies if a.code == code), None)
        if found is None and code == self.case_review_group.code:
            return self.case_review_group
        return found

    def language_for(self, agency_code: str = "") -> str:
        """The language a message to ``agency_code`` is written in: the agency's own preference,
        else the board's ``[mail] language`` (the coordinator and referrers get the board's)."""
        agency = self.agency(agency_code) if agency_code else None
        return (agency.language if agency and agency.language else "") or self.mail.language

    def languages(self) -> tuple[str, ...]:
        """Every language setting in use: the board's and each agency's own."""
        found = [self.mail.language] + [a.language for a in self.agencies if a.language]
        return tuple(dict.fromkeys(found))

    def agencies_to_sign_off(self, named: tuple[str, ...] = ()) -> tuple[Agency, ...]:
        """Who must sign off a case's action plan. ``named``: the agencies its action plan names
        as leads, used when ``[signoff] agencies = "named"`` (all members until it names any)."""
        if self.signoff_named and named:
            return tuple(a for a in self.agencies if a.code in named)
        if self.signoff_agencies:
            return tuple(a for a in self.agencies if a.code in self.signoff_agencies)
        return tuple(a for a in self.agencies if a.signoff)
