"""Free disk space: writes are refused before the data folder's disk fills up.

When the disk is full, SQLite cannot write a session, uploads stop half-way, the search index
and the log break. ``KM_MIN_FREE_MB`` keeps a reserve: a request that writes (and an upload
that would eat into the reserve) is refused with a Thai page before anything is written, and
whatever still runs out of room mid-way is recognised (:func:`is_disk_full`) and answered with
the same page instead of a server error.
"""

from __future__ import annotations

import errno
import shutil

from django.conf import settings

DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full


class StorageFullError(OSError):
    """Refused: the write would leave less free space than ``KM_MIN_FREE_MB``."""

    def __init__(self, free: int, needed: int):
        super().__init__(errno.ENOSPC, f"{free} bytes free, {needed} needed plus the reserve")
        self.free, self.needed = free, needed


def watched_folders() -> list:
    """Where the portal writes: the data folder, uploads and temp files (maybe other disks)."""
    return [settings.DATA_DIR, settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR]


def free_bytes() -> int:
    """Free space on the fullest disk the portal writes to."""
    free = []
    for folder in watched_folders():
        try:
            free.append(shutil.disk_usage(folder).free)
        except OSError:
            continue
    return min(free) if free else 0


def has_room(needed: int = 0) -> bool:
    return free_bytes() - max(needed, 0) >= settings.KM_MIN_FREE_BYTES


def check_room(needed: int = 0) -> None:
    """Raise :class:`StorageFullError` unless ``needed`` bytes fit and the reserve stays free."""
    free = free_bytes()
    if free - max(needed, 0) < settings.KM_MIN_FREE_BYTES:
        raise StorageFullError(free, needed)


def is_disk_full(error: BaseException | None) -> bool:
    """Whether an error, or one it was raised from, means the disk (or the database's) is full."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS:
            return True
        if getattr(error, "sqlstate", None) == DISK_FULL_SQLSTATE:
            return True
        if getattr(error, "pgcode", None) == DISK_FULL_SQLSTATE:
            return True
        if "database or disk is full" in str(error):  # SQLite's SQLITE_FULL
            return True
        error = error.__cause__ or error.__context__
    return False
