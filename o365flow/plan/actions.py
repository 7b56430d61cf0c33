"""What a pass can do, as data. ``plan()`` returns these; the worker applies them in order.

Each action has a ``key`` (its idempotency key in the state store, or "" when applying it twice is
harmless) and ``summary()``, one line with no personal data, for ``plan`` and the pass report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from o365flow.core.filelabel import file_id
from o365flow.core.model import CaseRecord


@dataclass(frozen=True)
class Action:
    reason: str = ""  # which rule or event: written to the audit trail

    @property
    def key(self) -> str:
        return ""

    @property
    def reference(self) -> str:
        return getattr(self, "ref", "")

    def summary(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class RegisterCase(Action):
    case: CaseRecord = None
    etag: str = ""
    suggested: str = ""
    warnings: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # for the coordinator to act on (e.g. a CPR after 1 October 2024)

    @property
    def ref(self) -> str:
        return self.case.reference

    def summary(self) -> str:
        label = self.suggested if self.suggested.isupper() else self.suggested.lower()
        hint = f", suggested: {label}" if self.suggested else ""
        return f"register referral form {file_id(self.case.source)} as {self.ref}{hint}"


@dataclass(frozen=True)
class RejectForm(Action):
    path: str = ""
    etag: str = ""
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        return f"referral form {file_id(self.path)} not registered: {'; '.join(self.problems)}"


@dataclass(frozen=True)
class CreateFolder(Action):
    ref: str = ""
    folder: str = ""
    subfolders: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"folder/{self.ref}"

    def summary(self) -> str:
        return f"create folder {self.folder}/ with {len(self.subfolders)} subfolders"


@dataclass(frozen=True)
class RenderDocument(Action):
    ref: str = ""
    template: str = ""
    path: str = ""  # in the Reviews library
    context: dict = field(default_factory=dict, hash=False, compare=False)
    version: str = ""  # set for a document made again whenever its inputs change (replaces the file)

    @property
    def key(self) -> str:
        return self.version or f"doc/{self.ref}/{self.template}"

    def summary(self) -> str:
        return f"generate {self.path} from {self.template}"


@dataclass(frozen=True)
class RestrictAccess(Action):
    ref: str = ""
    folder: str = ""
    principals: tuple[str, ...] = ()
    fingerprint: str = ""

    @property
    def key(self) -> str:
        return f"access/{self.ref}/{self.fingerprint}"

    def summary(self) -> str:
        return f"restrict {self.folder}/ to the business unit and {len(self.principals) - 1} panel member(s)"


@dataclass(frozen=True)
class RecordFinalReport(Action):
    ref: str = ""
    day: date = None

    def summary(self) -> str:
        return f"{self.ref}: final report found, dated {self.day.isoformat()}"


@dataclass(frozen=True)
class SendMail(Action):
    """A message from a template. ``purpose``: request, reminder, escalation, dissemination,
    invitation or digest."""

    mail_key: str = ""
    purpose: str = ""
    ref: str = ""
    agency: str = ""
    to: tuple[str, ...] = ()
    template: str = ""
    context: dict = field(default_factory=dict, hash=False, compare=False)
    message_id: str = ""
    in_reply_to: str = ""
    day: date = None  # the day it counts for (request sent, reminder point, digest day)
    digested: tuple[int, ...] = ()  # attention items a digest carries
    attach: tuple[str, ...] = ()  # files in the Reviews library, attached at apply time
    calendar: dict = field(default_factory=dict, hash=False, compare=False)  # an .ics invitation's details
    audience: str = ""  # who it goes to, for the summary, when not an agency or the coordinator

    @property
    def key(self) -> str:
        return self.mail_key

    def summary(self) -> str:
        who = f" to {self.audience}" if self.audience else f" to {self.agency}" if self.agency else " to the coordinator"
        about = f" for {self.ref}" if self.ref else ""
        return f"mail {self.purpose}{about}{who}"


@dataclass(frozen=True)
class SendCaseFiles(SendMail):
    """A message to someone outside the panel that carries a case's documents as attachments:
    agencies cannot open the restricted case folder, so what they must read travels with the mail.

    Each entry of ``attach_from`` is a file in the Reviews library, or a folder whose newest Word
    or PDF document (not a "(blank)" or "(draft)" one while another is there) is attached. Every
    Word attachment passes the same name check as a report before publication; when one names
    someone, nothing is sent and the coordinator is told where (never the name)."""

    attach_from: tuple[str, ...] = ()
    required: bool = True  # False: send even when a folder has nothing to attach
    withhold_markings: tuple[str, ...] = ()  # learning to share: a file carrying one of these is held

    def summary(self) -> str:
        return super().summary() + f" with {len(self.attach_from)} document(s) attached"


@dataclass(frozen=True)
class SaveReply(Action):
    """A document an agency sent back by reply (a timeline return), saved into the case folder;
    a later one from the same agency replaces it."""

    message_key: str = ""
    ref: str = ""
    agency: str = ""
    path: str = ""  # in the Reviews library
    data: bytes = field(default=b"", repr=False, hash=False, compare=False)

    def summary(self) -> str:
        return f"{self.ref}: save the return {self.agency} sent by email as {self.path.rsplit('/', 1)[-1]}"


@dataclass(frozen=True)
class PreparePack(Action):
    """The Wales Safeguarding Repository pack: the newest document of each source folder copied
    into ``folder`` (name-checked first), a metadata file and a checklist. No upload."""

    ref: str = ""
    folder: str = ""  # in the Reviews library
    sources: tuple[tuple[str, str], ...] = ()  # (what, folder)
    metadata: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> str:
        return f"pack/{self.ref}"

    def summary(self) -> str:
        return f"{self.ref}: prepare the Wales Safeguarding Repository pack in {self.folder.split('/', 1)[-1]}/"


@dataclass(frozen=True)
class RecordProgress(Action):
    """A lead agency's reply about an action: progress, or the action complete."""

    message_key: str = ""
    ref: str = ""
    agency: str = ""
    item: str = ""
    day: date = None
    status: str = "progress"  # or "complete"
    text: str = ""  # name-free (initials blacked out), at most 300 characters

    @property
    def key(self) -> str:
        return f"progress/{self.ref}/{self.item}/{self.day.isoformat()}/{self.status}#{self.text}"

    def summary(self) -> str:
        return f"{self.ref}: {self.status} on action {self.item} recorded from {self.agency}'s reply"


@dataclass(frozen=True)
class RecordSignoff(Action):
    ref: str = ""
    agency: str = ""
    day: date = None
    by: str = ""
    how: str = "Email reply"
    message_key: str = ""

    def summary(self) -> str:
        return f"{self.ref}: sign-off by {self.agency} recorded, dated {self.day.isoformat()}"


@dataclass(frozen=True)
class SetAside(Action):
    """A message that is not a sign-off: passed to the coordinator (or just marked read)."""

    message_key: str = ""
    ref: str = ""
    note: str = ""  # for the digest; "" when nobody needs telling (an automatic reply)

    def summary(self) -> str:
        return f"message not recorded: {self.note or self.reason}"


@dataclass(frozen=True)
class WriteRegister(Action):
    cases: tuple[dict, ...] = ()
    signoffs: tuple[dict, ...] = ()
    changed: tuple[str, ...] = ()  # references whose rows change
    restored: tuple[str, ...] = ()  # "REF column" a person edited, put back
    reinstated: tuple[str, ...] = ()  # rows a person deleted, put back with their last values
    actions: dict = field(default_factory=dict, hash=False, compare=False)  # REF -> rows for 'Actions'
    actions_fps: dict = field(default_factory=dict, hash=False, compare=False)  # REF -> fingerprint written

    def summary(self) -> str:
        extra = f", action plan of {len(self.actions)} case(s)" if self.actions else ""
        return f"update the register ({len(self.changed)} row(s) change{extra})"


@dataclass(frozen=True)
class ClearForPublication(Action):
    """The final report passed the anonymisation check: its Published date now counts."""

    ref: str = ""
    files: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"anon/{self.ref}"

    def summary(self) -> str:
        return f"final report of {self.ref} checked for names before publication: none found"


@dataclass(frozen=True)
class Notice:
    """Something the coordinator must know this pass (not an action: nothing to apply)."""

    text: str
    failed: bool = True  # counts as a failed item (exit 1) rather than a warning
