"""Tidying up after a pass that was killed: its temporary files, and private folders.

Files are written whole: to a temporary ``.o365flow-*.tmp`` beside the target, then renamed. A
pass killed between the two leaves the temporary file behind (nothing reads it: the local site
and the outbox skip such names). The next pass, holding the pass lock so no other pass is
writing, removes them from the local site (case folders, ``Register/``, every library), the
outbox and the state folder. On SharePoint an upload is whole or absent, so there is nothing to
tidy there.

Walking the whole site costs about 0.3 s of CPU at 1,000 cases, so it is done only when it can
find something: a pass removes ``state/pass.finished`` as it starts and writes it again as it
ends, and only a pass that does not find it (the last one was killed, failed, or was run by a
version that kept no such file) walks the site.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from o365flow.core.settings import Config
from o365flow.worker.statefiles import private_file, private_folder

log = logging.getLogger("o365flow")
TEMP_GLOB = ".o365flow-*.tmp"
FINISHED = "pass.finished"


def start_pass(config: Config) -> list[str]:
    """Tidy after the last pass if it did not finish, then mark this one as under way."""
    marker = Path(config.state_dir) / FINISHED
    removed = [] if marker.exists() else remove_temporary_files(config)
    marker.unlink(missing_ok=True)
    return removed


def finish_pass(config: Config) -> None:
    """Mark the pass finished: the next pass need not look for temporary files."""
    marker = Path(config.state_dir) / FINISHED
    marker.write_bytes(b"")
    private_file(marker)


def folders_to_tidy(config: Config) -> list[Path]:
    folders = [config.state_dir]
    if config.backend == "local" and config.site_path:
        folders.append(config.site_path)
    if config.mail.outbox:
        folders.append(config.mail.outbox)
    return [Path(f) for f in folders if f and Path(f).is_dir()]


def remove_temporary_files(config: Config) -> list[str]:
    """Remove the temporary files a killed pass left; returns their paths (no content is read)."""
    removed = []
    for folder in folders_to_tidy(config):
        for path in sorted(folder.rglob(TEMP_GLOB)):
            try:
                path.unlink()
                removed.append(str(path))
            except OSError as exc:
                log.warning("could not remove the temporary file %s: %s", path, exc.strerror)
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted pass", len(removed))
    return removed


def keep_mail_private(config: Config) -> None:
    """The outbox holds the messages the board sent: readable by the worker's account only."""
    # Only a folder that is there: an outbox that cannot be used is the mailer's to report, as
    # a failed item, not a reason to stop the pass before it starts.
    if config.mail.outbox and os.name == "posix" and Path(config.mail.outbox).is_dir():
        private_folder(Path(config.mail.outbox))
