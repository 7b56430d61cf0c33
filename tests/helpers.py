"""Test helpers that act as a person would: edit the register in a spreadsheet, drop files in
libraries, reply to a message. They use openpyxl and the stdlib, never o365flow's own code.

A ``Board`` runs on the local site (folders under ``root/site``) or on SharePoint (the
Microsoft 365 stand-in's libraries, changed as a person in the browser would: straight in the
site's store). Everything a test does to the libraries goes through the Board, so one test body
runs on both."""

from __future__ import annotations

import email
import email.policy
import fnmatch
from datetime import date, datetime
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from o365flow.cli import cli

def board_config(folder: Path, old: str = "", new: str = ""):
    """The configuration ``o365flow init`` writes, saved in ``folder`` and loaded; ``old`` in
    its text replaced by ``new`` first, for a variant."""
    from o365flow.commands.init import CONFIG
    from o365flow.configuration.loader import load_config

    assert old in CONFIG
    path = folder / "o365flow.toml"
    path.write_text(CONFIG.replace(old, new) if old else CONFIG)
    return load_config(path)


def docx_bytes(document) -> bytes:
    """A python-docx document, saved."""
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REGISTER_LIBRARY = "Register"
REGISTER_PATH = "Practice Review Register.xlsx"
REGISTER = Path("site") / REGISTER_LIBRARY / REGISTER_PATH


class Board:
    """A board folder made by ``o365flow init``, driven through the CLI.

    ``m365`` (the stand-in) given: the board's site is SharePoint; call ``use_sharepoint()``
    once after ``init`` to switch the config and move the demo forms onto the site."""

    def __init__(self, root: Path, m365=None):
        self.root = root
        self.m365 = m365
        self.runner = CliRunner()

    @property
    def backend(self) -> str:
        return "local" if self.m365 is None else "sharepoint"

    @property
    def register(self) -> Path:
        """The register file on the local site (local backend only)."""
        return self.root / REGISTER

    def cli(self, *args: str):
        return self.runner.invoke(cli, ["--config", str(self.root / "o365flow.toml"), *args], catch_exceptions=False)

    def run(self, now: str, expect: int = 0):
        result = self.cli("run", "--now", now)
        assert result.exit_code == expect, result.output + (result.stderr if result.stderr_bytes else "")
        return result

    # -- SharePoint set-up ----------------------------------------------------------------------
    def use_sharepoint(self) -> None:
        """Point the config at the stand-in (its CA trusted) and move the local site's files
        (the demo referral forms) into the matching SharePoint libraries."""
        m = self.m365
        config = self.root / "o365flow.toml"
        text = config.read_text(encoding="utf-8").replace('backend = "local"', 'backend = "sharepoint"', 1)
        text += (
            "\n[microsoft365]\n"
            f'tenant_id = "{m.tenant_id}"\n'
            f'client_id = "{m.client_id}"\n'
            f'certificate_path = "{m.pki.client_pem.as_posix()}"\n'
            f'site_url = "{m.site_url}"\n'
            f'graph_url = "{m.base_url}"\n'
            f'authority_url = "{m.base_url}"\n'
            f'ca_bundle = "{m.pki.ca_path.as_posix()}"\n'
        )
        config.write_text(text, encoding="utf-8")
        site = self.root / "site"
        for path in sorted(site.rglob("*")):
            if path.is_file():
                library, rel = path.relative_to(site).as_posix().split("/", 1)
                self.save_file(library, rel, path.read_bytes())
                path.unlink()

    # -- libraries, as a person sees them ---------------------------------------------------------
    def _item(self, library: str, path: str):
        return self.m365.library(library).by_path(path)

    def exists(self, library: str, path: str) -> bool:
        if self.m365 is None:
            return (self.root / "site" / library / path).exists()
        with self.m365.lock:
            return self._item(library, path) is not None

    def is_folder(self, library: str, path: str) -> bool:
        if self.m365 is None:
            return (self.root / "site" / library / path).is_dir()
        with self.m365.lock:
            item = self._item(library, path)
            return item is not None and item.folder

    def files(self, library: str, folder: str = "", pattern: str = "*") -> list[str]:
        """Paths (relative to the library) of the files below ``folder`` whose name matches."""
        if self.m365 is None:
            base = self.root / "site" / library
            return sorted(
                p.relative_to(base).as_posix() for p in (base / folder).rglob(pattern) if p.is_file()
            )
        with self.m365.lock:
            drive = self.m365.library(library)
            start = drive.by_path(folder)
            found, queue = [], [start] if start is not None else []
            while queue:
                item = queue.pop()
                for child in drive.children(item):
                    if child.folder:
                        queue.append(child)
                    elif fnmatch.fnmatch(child.name, pattern):
                        found.append(drive.path_of(child))
            return sorted(found)

    def children(self, library: str, folder: str) -> list[str]:
        """Names directly inside ``folder`` (files and folders)."""
        if self.m365 is None:
            return sorted(p.name for p in (self.root / "site" / library / folder).iterdir())
        with self.m365.lock:
            drive = self.m365.library(library)
            return [c.name for c in drive.children(drive.resolve(folder))]

    def read_file(self, library: str, path: str) -> bytes:
        if self.m365 is None:
            return (self.root / "site" / library / path).read_bytes()
        with self.m365.lock:
            return self.m365.library(library).resolve(path).content

    def save_file(self, library: str, path: str, data: bytes) -> None:
        """Save a file as a person would (a new version when it is there already)."""
        if self.m365 is None:
            target = self.root / "site" / library / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            return
        with self.m365.lock:
            drive = self.m365.library(library)
            parts = [p for p in path.split("/") if p]
            parent = drive.ensure_folders(drive.root, parts[:-1])
            drive.put_content(parent, parts[-1], data, None, "replace")

    def copy(self, library: str, source: str, target: str) -> None:
        self.save_file(library, target, self.read_file(library, source))

    # -- the register, as a coordinator edits it -------------------------------------------------
    def register_bytes(self) -> bytes:
        return self.read_file(REGISTER_LIBRARY, REGISTER_PATH)

    def rows(self, sheet: str = "Cases") -> list[dict]:
        wb = openpyxl.load_workbook(BytesIO(self.register_bytes()))
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2) if row[0].value]

    def case(self, ref: str) -> dict:
        return next(r for r in self.rows() if r["Reference"] == ref)

    def edit(self, sheet: str, match: dict, values: dict) -> None:
        wb = openpyxl.load_workbook(BytesIO(self.register_bytes()))
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        hit = False
        for row in ws.iter_rows(min_row=2):
            cells = dict(zip(header, row))
            if all(cells[k].value == v for k, v in match.items()):
                for k, v in values.items():
                    cells[k].value = datetime.combine(v, datetime.min.time()) if isinstance(v, date) else v
                hit = True
        assert hit, f"no row matches {match}"
        out = BytesIO()
        wb.save(out)
        self.save_file(REGISTER_LIBRARY, REGISTER_PATH, out.getvalue())

    def set_case(self, ref: str, **values) -> None:
        self.edit("Cases", {"Reference": ref}, {k.replace("_", " "): v for k, v in values.items()})

    # -- mail ---------------------------------------------------------------------------------
    def outbox(self) -> list[EmailMessage]:
        files = sorted((self.root / "mail" / "outbox").glob("*.eml"))
        return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]

    def reply(self, to: EmailMessage, sender: str, first_line: str, when: str | None = None, name: str = "", **headers) -> Path:
        msg = EmailMessage()
        msg["From"] = f"{name} <{sender}>" if name else sender
        msg["To"] = to["From"]
        msg["Subject"] = "RE: " + str(to["Subject"])
        msg["Message-ID"] = f"<reply-{abs(hash((sender, first_line, when)))}@agency.example.org>"
        msg["In-Reply-To"] = to["Message-ID"]
        msg["References"] = to["Message-ID"]
        if when:
            msg["Date"] = when
        for k, v in headers.items():
            msg[k.replace("_", "-")] = v
        msg.set_content(f"{first_line}\n\nRegards\n\n> {to['Subject']}\n> quoted text\n")
        path = self.root / "mail" / "inbox" / "new" / f"{abs(hash(msg['Message-ID']))}.eml"
        path.write_bytes(msg.as_bytes())
        return path

    def snapshot(self) -> dict[str, tuple]:
        """Every file under the board (but the state store) and, on SharePoint, every item of
        every library with its version and content, to prove a pass wrote nothing."""
        out: dict[str, tuple] = {}
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and "state" not in p.relative_to(self.root).parts:
                out[str(p.relative_to(self.root))] = (p.stat().st_mtime_ns, p.read_bytes())
        if self.m365 is not None:
            with self.m365.lock:
                for drive in self.m365.site.drives.values():
                    for item in drive.items.values():
                        if not item.deleted:
                            out[f"sharepoint:{drive.name}/{drive.path_of(item)}"] = (
                                item.version,
                                item.modified,
                                item.content,
                                tuple(sorted(p["id"] for p in drive.permissions(item))),
                            )
        return out


def requests_for(board: Board, ref: str) -> dict[str, EmailMessage]:
    """Sign-off requests in the outbox for one case, by recipient address."""
    return {
        str(m["To"]): m
        for m in board.outbox()
        if f"[{ref}]" in str(m["Subject"]) and "requested" in str(m["Subject"]).lower() and not m["In-Reply-To"]
        and "timeline" not in str(m["Subject"]).lower()
    }


def remarked(docx: bytes) -> bytes:
    """The document with its header marking changed to OFFICIAL, as a person does in Word once
    it may be shared."""
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("word/header"):
                data = data.replace("OFFICIAL-SENSITIVE \u2013 not for onward circulation".encode(), b"OFFICIAL")
            dst.writestr(item, data)
    return out.getvalue()
