"""Tidying up after a pass that was killed: its temporary files, and private folders.

Files are written whole: to a temporary ``.o365flow-*.tmp`` beside the target, then renamed. A
pass killed between the two leaves the temporary file behind (nothing reads it: the local site
and the outbox skip such names). The next pass, holding the pass lock so no other pass is
writing, removes them from the local site (case folders, ``Register/``, every library), the
outbox and the state folder. On SharePoint an upload is whole or absent, so there is nothing to
tidy there.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from o365flow.core.settings import Config
from o365flow.worker.statefiles import private_folder

log = logging.getLogger("o365flow")
TEMP_GLOB = ".o365flow-*.tmp"


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
