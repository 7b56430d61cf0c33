"""The state store (SQLite in the board's state folder): what the worker has done and knows.

Cases and their references, referral forms seen, sign-off requests and replies, idempotency keys of
completed actions, the audit trail, items waiting for the digest, and small cached values
(register snapshot, delta cursors). Every change is committed as it completes, so a pass killed at
any point resumes where it stopped.

It is a cache and a ledger, not the record: the register, the case folders and the sent mail are,
and a lost or restored store is rebuilt from them (``worker.rebuild``). It holds only what the
worker needs: of a referral, the kind, the subject's initials, the referring agency, the incident
date, the "protected in the previous 6 months" answer and the referrer's name (which the annual
report's name check looks for) -- never the circumstances or the referrer's email address, which
stay in the form. The folder is made private to the worker's account (0700) and the file 0600.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from o365flow.errors import BackendError
from o365flow.worker.statefiles import decode, encode, private_file, private_folder  # noqa: F401 (re-exported)
from o365flow.core.model import CaseRecord, Referral, SignoffRecord
from o365flow.plan.facts import Attention, Board, FormState

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    reference TEXT PRIMARY KEY, kind TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL,
    source TEXT NOT NULL, referral_received TEXT NOT NULL, referral TEXT NOT NULL,
    final_report_seen TEXT, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS forms (
    path TEXT PRIMARY KEY, etag TEXT NOT NULL, reference TEXT, problems TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, at TEXT NOT NULL, detail TEXT);
CREATE TABLE IF NOT EXISTS mail (
    key TEXT PRIMARY KEY, message_id TEXT NOT NULL, reference TEXT, agency TEXT, purpose TEXT,
    status TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signoffs (
    reference TEXT NOT NULL, agency TEXT NOT NULL, requested TEXT, last_reminder TEXT,
    signed_off TEXT, signed_off_by TEXT, how TEXT, request_id TEXT,
    PRIMARY KEY (reference, agency));
CREATE TABLE IF NOT EXISTS processed (key TEXT PRIMARY KEY, at TEXT NOT NULL, outcome TEXT);
CREATE TABLE IF NOT EXISTS attention (
    id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, section TEXT NOT NULL,
    text TEXT NOT NULL, digested TEXT);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, reference TEXT, action TEXT NOT NULL,
    reason TEXT, mail TEXT);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


# What of a referral the worker keeps: the rest stays in the form, in the Referrals library.
# The referrer's name stays: the annual report's name check looks for it (commands/report.py).
KEPT_REFERRAL_FIELDS = ("kind", "subject_initials", "referring_agency", "incident_date", "protected_6_months",
                        "referrer_name")
# Older stores kept the whole form; the next pass opening one removes what is not needed.
SCRUB = """UPDATE cases SET referral = json_remove(referral, '$.circumstances', '$.referrer_email')
WHERE json_extract(referral, '$.circumstances') IS NOT NULL OR json_extract(referral, '$.referrer_email') IS NOT NULL"""


def _upgrade(db: sqlite3.Connection) -> None:
    """Columns added since a store was made: the audit's mail key (the message a row sent)."""
    if "mail" not in {row[1] for row in db.execute("PRAGMA table_info(audit)")}:
        db.execute("ALTER TABLE audit ADD COLUMN mail TEXT")


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class State:
    """One board's state database. Use as a context manager.

    ``readonly``: opened for reading only (``plan``, ``status``): nothing on disk is created or
    changed, not even a journal; a board with no state store yet reads as an empty one."""

    def __init__(self, folder: Path, readonly: bool = False):
        self.folder = Path(folder)
        self.readonly = readonly
        self.memory = False
        path = self.folder / "state.sqlite"
        try:
            if readonly and not path.exists():
                self.db = sqlite3.connect(":memory:", isolation_level=None)
                self.db.executescript(SCHEMA)
            elif readonly:
                self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30, isolation_level=None)
            else:
                private_folder(self.folder)
                old_mask = os.umask(0o077)  # the journal sqlite makes beside it is private too
                try:
                    self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
                    # A rollback journal rather than WAL: a read-only reader (the dry run) then
                    # leaves no -wal/-shm files behind, and passes are short and one at a time.
                    self.db.execute("PRAGMA journal_mode=DELETE")
                    self.db.executescript(SCHEMA)
                    _upgrade(self.db)
                    self.db.execute(SCRUB)
                finally:
                    os.umask(old_mask)
                private_file(path)
        except (OSError, sqlite3.Error) as exc:
            raise BackendError(f"cannot open the state store in {self.folder}: {exc}") from exc

    def in_memory_copy(self) -> "State":
        """A copy of this store in memory, to change without touching the disk (the dry run
        rebuilds a lost store there to show what the pass would do after rebuilding it)."""
        copy = object.__new__(State)
        copy.folder, copy.readonly, copy.memory = self.folder, False, True
        copy.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.backup(copy.db)
        _upgrade(copy.db)
        return copy

    def set_aside(self, now: datetime) -> str:
        """Keep this store under another name and start an empty one (a store that belongs to
        another board). Returns the name it was kept under."""
        name = f"state.sqlite.set-aside-{now:%Y%m%d-%H%M%S}"
        self._board = None  # the new store's counter starts again
        self.db.close()
        if self.memory:
            self.db = sqlite3.connect(":memory:", isolation_level=None)
            self.db.executescript(SCHEMA)
            return name
        os.replace(self.folder / "state.sqlite", self.folder / name)
        self.__init__(self.folder)
        return name

    def is_empty(self) -> bool:
        """Nothing recorded yet (a new board, or a store that was lost)."""
        return not any(self.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in ("cases", "done", "mail", "signoffs"))

    def __enter__(self) -> "State":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def tx(self):
        """A transaction: several records that must land together."""
        return _Tx(self.db)

    # -- reading -------------------------------------------------------------------------------
    def board(self) -> Board:
        """Everything the plan needs from the store. Loading it costs about 0.1 s at 1,000 cases,
        so the last one is kept and given again while the store is unchanged: the connection's
        ``total_changes`` moves with every row this process writes, and no other process writes
        while the pass lock is held. The Board is read-only to everyone who gets it."""
        stamp = self.db.total_changes
        cached = getattr(self, "_board", None)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        board = self._load_board()
        self._board = (stamp, board)
        return board

    def _load_board(self) -> Board:
        db = self.db
        cases = {}
        for row in db.execute("SELECT reference, kind, year, seq, source, referral_received, referral, final_report_seen FROM cases"):
            raw = json.loads(row[6])
            raw["incident_date"] = _d(raw.get("incident_date"))
            cases[row[0]] = CaseRecord(
                reference=row[0], kind=row[1], year=row[2], seq=row[3], source=row[4],
                referral_received=date.fromisoformat(row[5]), referral=Referral(**raw),
                final_report_seen=_d(row[7]),
            )
        forms = {
            p: FormState(e, r or "", tuple(json.loads(pr)))
            for p, e, r, pr in db.execute("SELECT path, etag, reference, problems FROM forms")
        }
        signoffs = {
            (r[0], r[1]): SignoffRecord(r[0], r[1], _d(r[2]), _d(r[3]), _d(r[4]), r[5] or "", r[6] or "", r[7] or "")
            for r in db.execute("SELECT reference, agency, requested, last_reminder, signed_off, signed_off_by, how, request_id FROM signoffs")
        }
        done = frozenset(k for (k,) in db.execute("SELECT key FROM done"))
        done |= {k for (k,) in db.execute("SELECT key FROM mail WHERE status = 'sent'")}
        ids = {
            m: (r, a)
            for m, r, a in db.execute("SELECT message_id, reference, agency FROM mail WHERE purpose IN ('request', 'reminder', 'escalation')")
        }
        attention = tuple(
            Attention(i, date.fromisoformat(d), s, t)
            for i, d, s, t in db.execute("SELECT id, day, section, text FROM attention WHERE digested IS NULL ORDER BY id")
        )
        last = decode(json.loads(self.get("register.last_written") or "{}"))
        issued = frozenset(json.loads(self.get("references.issued") or "[]"))
        return Board(cases, forms, signoffs, frozenset(done), ids, attention, last, issued)

    def processed_keys(self) -> set[str]:
        return {k for (k,) in self.db.execute("SELECT key FROM processed")}

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def audit_log(self, reference: str | None = None) -> list[tuple]:
        q = "SELECT at, reference, action, reason FROM audit"
        args = ()
        if reference:
            q, args = q + " WHERE reference = ?", (reference,)
        return list(self.db.execute(q + " ORDER BY id", args))

    def audit_since(self, last_id: int) -> list[tuple]:
        """Audit entries after ``last_id``: (id, at, reference, action, reason, mail key or
        None), oldest first."""
        # The register's own updates are left out: the Audit sheet is in the register, and its
        # version history already shows them (listing them would make every pass write again).
        return list(
            self.db.execute(
                "SELECT id, at, reference, action, reason, mail FROM audit WHERE id > ? AND action != 'register updated'"
                " ORDER BY id",
                (last_id,),
            )
        )

    # -- writing -------------------------------------------------------------------------------
    def put(self, key: str, value: str, db=None) -> None:
        (db or self.db).execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    def audit(self, at: datetime, reference: str | None, action: str, reason: str, db=None, mail: str = "") -> None:
        """One audit entry; ``mail``: the key of the message it records as sent (the register's
        Audit sheet keeps it, so a lost store is rebuilt knowing the message went)."""
        (db or self.db).execute(
            "INSERT INTO audit (at, reference, action, reason, mail) VALUES (?, ?, ?, ?, ?)",
            (at.isoformat(timespec="seconds"), reference or None, action, reason, mail or None),
        )

    def attend(self, day: date, section: str, text: str, db=None) -> None:
        (db or self.db).execute("INSERT INTO attention (day, section, text) VALUES (?, ?, ?)", (day.isoformat(), section, text))

    def mark_done(self, key: str, at: datetime, detail: str = "", db=None) -> None:
        (db or self.db).execute(
            "INSERT OR REPLACE INTO done (key, at, detail) VALUES (?, ?, ?)", (key, at.isoformat(timespec="seconds"), detail)
        )

    def add_case(self, case: CaseRecord, etag: str, at: datetime, db) -> None:
        referral = {k: v for k, v in asdict(case.referral).items() if k in KEPT_REFERRAL_FIELDS}
        referral["incident_date"] = _iso(case.referral.incident_date)
        db.execute(
            "INSERT INTO cases (reference, kind, year, seq, source, referral_received, referral, registered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (case.reference, case.kind, case.year, case.seq, case.source, case.referral_received.isoformat(),
             json.dumps(referral), at.isoformat(timespec="seconds")),
        )
        if case.source:  # a case rebuilt from the register whose form was not found has none
            db.execute("INSERT OR REPLACE INTO forms (path, etag, reference, problems) VALUES (?, ?, ?, '[]')", (case.source, etag, case.reference))

    def hold_form(self, path: str, etag: str, problem: str, db) -> None:
        """A form that is neither registered nor to be registered until a person says so."""
        db.execute("INSERT OR REPLACE INTO forms (path, etag, reference, problems) VALUES (?, ?, NULL, ?)", (path, etag, json.dumps([problem])))

    def restore_signoff(self, reference: str, agency: str, requested: date | None, last_reminder: date | None,
                        request_id: str, db) -> None:
        """Dates the register shows for a sign-off the store had lost (never an earlier one)."""
        db.execute(
            "INSERT INTO signoffs (reference, agency, requested, last_reminder, request_id) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (reference, agency) DO UPDATE SET requested = COALESCE(signoffs.requested, excluded.requested),"
            " last_reminder = MAX(COALESCE(signoffs.last_reminder, ''), COALESCE(excluded.last_reminder, '')),"
            " request_id = COALESCE(signoffs.request_id, excluded.request_id)",
            (reference, agency, _iso(requested), _iso(last_reminder), request_id),
        )
        db.execute("UPDATE signoffs SET last_reminder = NULL WHERE last_reminder = ''")

    def mail_known_sent(self, key: str, message_id: str, reference: str, agency: str, purpose: str, at: datetime, db) -> None:
        """A message the site shows was sent (its sign-off row, its file in the outbox)."""
        db.execute(
            "INSERT INTO mail (key, message_id, reference, agency, purpose, status, at) VALUES (?, ?, ?, ?, ?, 'sent', ?)"
            " ON CONFLICT (key) DO UPDATE SET status = 'sent'",
            (key, message_id, reference or None, agency or None, purpose, at.isoformat(timespec="seconds")),
        )

    def reject_form(self, path: str, etag: str, problems: tuple[str, ...]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO forms (path, etag, reference, problems) VALUES (?, ?, NULL, ?)",
            (path, etag, json.dumps(list(problems))),
        )

    def forget_form(self, path: str) -> None:
        self.db.execute("DELETE FROM forms WHERE path = ? AND reference IS NULL", (path,))

    def set_final_report(self, reference: str, day: date, db=None) -> None:
        (db or self.db).execute("UPDATE cases SET final_report_seen = ? WHERE reference = ?", (day.isoformat(), reference))

    def mail_prepared(self, key: str, message_id: str, reference: str, agency: str, purpose: str, at: datetime) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO mail (key, message_id, reference, agency, purpose, status, at) VALUES (?, ?, ?, ?, ?, 'prepared', ?)",
            (key, message_id, reference or None, agency or None, purpose, at.isoformat(timespec="seconds")),
        )

    def mail_sent(self, key: str, at: datetime, db) -> None:
        db.execute("UPDATE mail SET status = 'sent', at = ? WHERE key = ?", (at.isoformat(timespec="seconds"), key))

    def signoff_requested(self, reference: str, agency: str, day: date, message_id: str, db) -> None:
        db.execute(
            "INSERT INTO signoffs (reference, agency, requested, request_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (reference, agency) DO UPDATE SET requested = excluded.requested, request_id = excluded.request_id",
            (reference, agency, day.isoformat(), message_id),
        )

    def reminded(self, reference: str, agency: str, day: date, db) -> None:
        db.execute("UPDATE signoffs SET last_reminder = ? WHERE reference = ? AND agency = ?", (day.isoformat(), reference, agency))

    def signed_off(self, reference: str, agency: str, day: date, by: str, how: str, db) -> None:
        db.execute(
            "INSERT INTO signoffs (reference, agency, signed_off, signed_off_by, how) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (reference, agency) DO UPDATE SET signed_off = excluded.signed_off,"
            " signed_off_by = excluded.signed_off_by, how = excluded.how",
            (reference, agency, day.isoformat(), by, how),
        )

    def processed(self, key: str, at: datetime, outcome: str, db) -> None:
        db.execute("INSERT OR REPLACE INTO processed (key, at, outcome) VALUES (?, ?, ?)", (key, at.isoformat(timespec="seconds"), outcome))

    def digested(self, day: date, db) -> None:
        db.execute("UPDATE attention SET digested = ? WHERE digested IS NULL", (day.isoformat(),))


class _Tx:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
