"""``check`` warns when the state store is where SQLite's locking cannot be trusted."""

from __future__ import annotations

from pathlib import Path

from o365flow.commands.placement import mount_type, state_store_warning

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
fileserver:/export/boards /srv/boards nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas cifs rw,vers=3.0 0 0
/dev/sdb1 /srv/boards/local ext4 rw 0 0
/dev/sdc1 /mnt/with\\040space ext4 rw 0 0
"""


def test_the_longest_mount_point_wins():
    assert mount_type(Path("/srv/boards/gwent/state"), MOUNTS) == "nfs4"
    assert mount_type(Path("/srv/boards/local/state"), MOUNTS) == "ext4"
    assert mount_type(Path("/srv/boardsX/state"), MOUNTS) == "ext4"  # a prefix of a name is not a mount
    assert mount_type(Path("/mnt/with space/state"), MOUNTS) == "ext4"


def test_network_file_systems_are_named():
    warning = state_store_warning(Path("/mnt/nas/board/state"), MOUNTS)
    assert warning and "cifs" in warning and "state.path" in warning and "local disk" in warning
    assert "nfs4" in state_store_warning(Path("/srv/boards/gwent/state"), MOUNTS)
    assert state_store_warning(Path("/var/lib/o365flow/state"), MOUNTS) is None


def test_unc_paths_and_synced_folders_are_named():
    assert "UNC" in state_store_warning(Path("//fileserver/boards/state"), MOUNTS)
    synced = state_store_warning(Path("/home/coordinator/OneDrive - Gwent Council/board/state"), MOUNTS)
    assert synced and "synced folder 'OneDrive - Gwent Council'" in synced
    assert "Dropbox" in state_store_warning(Path("/home/coordinator/Dropbox/board/state"), MOUNTS)
    assert state_store_warning(Path("/home/coordinator/boards/onedrive-notes/state"), MOUNTS) is None


def test_check_shows_the_warning_and_still_passes(board):
    synced = board.root / "OneDrive" / "state"
    synced.mkdir(parents=True)
    config = board.root / "o365flow.toml"
    config.write_text(config.read_text().replace('path = "state"', f'path = "{synced}"', 1))
    result = board.cli("check")
    assert result.exit_code == 0 and "warning: state.path" in result.stderr and "OneDrive" in result.stderr
