"""One pass at a time, on Windows and Linux alike, without ``fcntl``.

The lock is an exclusive SQLite transaction on ``state/pass.lock``: SQLite takes the operating
system's file lock (LockFileEx on Windows, POSIX locks elsewhere) and the operating system drops it
when the process ends, however it ends -- so a pass killed mid-way never blocks the next one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from o365flow.errors import LockHeld


class PassLock:
    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / "pass.lock"
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> "PassLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            db.close()
            raise LockHeld(
                "another o365flow pass is running for this board",
                hint="this run stops; the next scheduled run will go ahead",
            ) from None
        self.db = db
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()
            self.db = None
