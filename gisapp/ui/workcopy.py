"""Files on a network drive are copied to a local working copy before they are opened.

SQLite (GeoPackage) and shapefile locking over office shares freezes or corrupts
work, so the app never edits a file on a share in place.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
from pathlib import Path

log = logging.getLogger(__name__)

NETWORK_FILESYSTEMS = {
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "afs",
    "9p",
    "fuse.sshfs",
    "sshfs",
    "davfs",
    "fuse.davfs2",
}
SIDECARS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd")


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    drive = path.drive
    if not drive:
        return False
    import ctypes

    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(f"{drive}\\") == DRIVE_REMOTE


def _posix_filesystem(path: Path) -> str:
    """The type of the file system that holds ``path`` (from /proc/mounts)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    best, fstype = "", ""
    text = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = text == point or text.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, fstype = point, parts[2]
    return fstype


def is_network_path(path, extra_roots=()) -> bool:
    """Whether a file lies on a network share (or under a folder the user named as one)."""
    path = Path(path).absolute()
    for root in extra_roots:
        if root and (path == Path(root) or Path(root) in path.parents):
            return True
    if sys.platform == "win32":
        return _windows_remote(path)
    return _posix_filesystem(path) in NETWORK_FILESYSTEMS


def companions(path: Path) -> list[Path]:
    """The file and the files that belong with it (a shapefile's .dbf, .prj …)."""
    files = [path]
    if path.suffix.lower() == ".shp":
        for suffix in SIDECARS:
            for candidate in (
                path.with_suffix(suffix),
                path.with_suffix(suffix.upper()),
            ):
                if candidate.exists() and candidate not in files:
                    files.append(candidate)
    return files


def local_copy(path, work_dir) -> Path:
    """Copy a file and its companions into ``work_dir``; return the copy of the file.

    The copy goes into a folder named after the original's full path, so files of
    the same name from different shares do not overwrite each other.
    """
    path = Path(path)
    digest = hashlib.sha1(str(path.absolute()).encode("utf-8")).hexdigest()[:10]
    target_dir = Path(work_dir) / digest
    target_dir.mkdir(parents=True, exist_ok=True)
    for item in companions(path):
        target = target_dir / item.name
        tmp = target.with_name(target.name + ".part")
        shutil.copy2(item, tmp)
        os.replace(tmp, target)
    log.info("copied %s to the working copy %s", path, target_dir)
    return target_dir / path.name
