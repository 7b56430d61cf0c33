"""Where the state store lives: ``check`` warns when it is on a network share or in a synced
folder. SQLite's locking is unsafe on network file systems (NFS, SMB/CIFS) and a sync client
(OneDrive, Dropbox) can copy a database file half-written or make "conflicted copies" of it, so
the store may be corrupted or two passes may both think they hold the lock."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath

from o365flow.core.settings import Config
from o365flow.errors import quoted

#: File systems on which SQLite's locks cannot be trusted (as /proc/mounts names them).
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "ceph", "glusterfs",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.glusterfs", "davfs", "fuse.davfs2", "lustre", "gpfs",
}
#: Folder names that sync clients own.
_SYNCED = re.compile(r"^(onedrive( - .+)?|dropbox( \(.+\))?|google ?drive|my drive|icloud ?drive|icloud~.*|box|box sync|nextcloud|owncloud|sharepoint)$", re.I)


def _mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) from /proc/mounts text (octal escapes undone)."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), parts[1])
            out.append((point, parts[2]))
    return out


def mount_type(path: Path, mounts_text: str) -> str | None:
    """The file system type of the mount holding ``path`` (the longest matching mount point)."""
    best, kind = "", None
    resolved = str(path)
    for point, fstype in _mounts(mounts_text):
        prefix = point.rstrip("/") + "/"
        if (resolved == point or resolved.startswith(prefix) or point == "/") and len(point) >= len(best):
            best, kind = point, fstype
    return kind


def _windows_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    return bool(drive) and ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE


def state_store_warning(path: Path, mounts_text: str | None = None) -> str | None:
    """Why ``path`` (the state folder) is a risky place for SQLite, or None."""
    text = str(path)
    where = f"state.path {quoted(text)}"
    fix = "move state.path to a local disk of the server (e.g. /var/lib/o365flow or C:\\ProgramData\\o365flow)"
    if text.startswith(("\\\\", "//")):
        return f"{where} is a network share (UNC path): SQLite's locking is unsafe there; {fix}"
    synced = next((part for part in PurePath(text).parts if _SYNCED.match(part)), None)
    if synced:
        return f"{where} is inside the synced folder {quoted(synced)}: a sync client can copy or split the database; {fix}"
    if mounts_text is None and sys.platform.startswith("linux"):
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            mounts_text = None
    if mounts_text:
        fstype = mount_type(path, mounts_text)
        if fstype and (fstype in NETWORK_FS or fstype.startswith(("nfs", "smb", "cifs"))):
            return f"{where} is on a network file system ({fstype}): SQLite's locking is unsafe there; {fix}"
    if sys.platform == "win32" and _windows_remote(path):  # pragma: no cover - Windows only
        return f"{where} is on a network drive: SQLite's locking is unsafe there; {fix}"
    return None


def placement_warnings(config: Config) -> list[str]:
    """``check``'s warnings about where things are kept (a warning alone does not fail it)."""
    state = Path(os.path.realpath(config.state_dir))
    warning = state_store_warning(state)
    return [warning] if warning else []
