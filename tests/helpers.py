"""Test helpers that act as a person would: edit the register in a spreadsheet, drop files in
libraries, reply to a message. They use openpyxl and the stdlib, never o365flow's own code."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from o365flow.cli import cli

REGISTER = Path("site/Register/Practice Review Register.xlsx")


class Board:
    """A board folder made by ``o365flow init``, driven through the CLI."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    @property
    def register(self) -> Path:
        return self.root / REGISTER

    def cli(self, *args: str):
        return self.runner.invoke(cli, ["--config", str(self.root / "o365flow.toml"), *args], catch_exceptions=False)

    def run(self, now: str, expect: int = 0):
        result = self.cli("run", "--now", now)
        assert result.exit_code == expect, result.output + (result.stderr if result.stderr_bytes else "")
        return result

    # -- the register, as a coordinator edits it -------------------------------------------------
    def rows(self, sheet: str = "Cases") -> list[dict]:
        wb = openpyxl.load_workbook(self.register)
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2) if row[0].value]

    def case(self, ref: str) -> dict:
        return next(r for r in self.rows() if r["Reference"] == ref)

    def edit(self, sheet: str, match: dict, values: dict) -> None:
        wb = openpyxl.load_workbook(self.register)
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
        wb.save(self.register)

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

    def snapshot(self) -> dict[str, tuple[int, bytes]]:
        """Every file under the board (but the state store) with its content, to prove a pass wrote nothing."""
        out = {}
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and "state" not in p.relative_to(self.root).parts:
                out[str(p.relative_to(self.root))] = (p.stat().st_mtime_ns, p.read_bytes())
        return out


def requests_for(board: Board, ref: str) -> dict[str, EmailMessage]:
    """Sign-off requests in the outbox for one case, by recipient address."""
    return {
        str(m["To"]): m
        for m in board.outbox()
        if f"[{ref}]" in str(m["Subject"]) and "requested" in str(m["Subject"]).lower() and not m["In-Reply-To"]
    }
