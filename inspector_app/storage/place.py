"""Where the store may live: never on a network drive (WAL needs the readers and writer on one host).

Linux: the mount table (/proc/mounts) names the filesystem of the folder's mount point; cifs, smb,
nfs and other network types are refused. Windows: a UNC path (`\\\\server\\share`) or a drive whose
type is DRIVE_REMOTE (a mapped SMB share, GetDriveTypeW). macOS and others: the statfs type name is
not available without ctypes structs, so only UNC-like paths are refused there.
"""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

from inspector_app.errors import AppError
from inspector_app.i18n import _

MOUNTS_FILE = Path("/proc/mounts")
NETWORK_FILESYSTEMS = frozenset(
    {
        "cifs",
        "smb",
        "smbfs",
        "smb2",
        "smb3",
        "nfs",
        "nfs4",
        "afs",
        "ncpfs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "glusterfs",
        "ceph",
        "fuse.rclone",
        "lustre",
        "gpfs",
        "fuse.glusterfs",
    }
)
DRIVE_REMOTE = 4


class UnsafeFolderError(AppError):
    """The data folder is on a network drive; the database would be damaged there."""

    exit_code = 78  # EX_CONFIG: a setting (the folder) must change


def _mount_of(path: Path, mounts_text: str) -> tuple[str, str] | None:
    """(mount point, filesystem type) of the longest mount point containing `path`."""
    best: tuple[str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = str(path) == point or str(path).startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, parts[2])
    return best


def network_filesystem(path: Path) -> str | None:
    """The network filesystem `path` lies on ('cifs', 'UNC', 'netwerkschijf'), or None when local."""
    text = str(path)
    if text.startswith(("\\\\", "//")) or PureWindowsPath(text).drive.startswith("\\\\"):
        return "UNC"
    if sys.platform == "win32":
        return _windows_remote(path)
    try:
        mounts = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = _mount_of(_existing(path), mounts)
    if found is not None and found[1].lower() in NETWORK_FILESYSTEMS:
        return found[1]
    return None


def _existing(path: Path) -> Path:
    """`path` resolved, or its nearest existing parent (the folder may not exist yet)."""
    current = path.absolute()
    while not current.exists() and current.parent != current:
        current = current.parent
    return current.resolve()


def _drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _windows_remote(path: Path) -> str | None:
    drive = PureWindowsPath(str(path)).drive
    if not drive:
        return None
    return "netwerkschijf" if _drive_type(drive + "\\") == DRIVE_REMOTE else None


def refuse_network_folder(folder: Path) -> None:
    kind = network_filesystem(folder)
    if kind is None:
        return
    raise UnsafeFolderError(
        _(
            "De gegevensmap {folder} staat op een netwerkschijf ({kind}). Daar kan de database beschadigd "
            "raken: de WAL-modus werkt alleen als alle programma's op één computer draaien, en een "
            "netwerkverbinding die wegvalt verliest opgeslagen antwoorden. Kies een map op de eigen schijf "
            "van deze computer (Bestand > Instellingen > Andere gegevensmap, of --data-dir); er is niets gewijzigd.",
            folder=folder,
            kind=kind,
        )
    )
