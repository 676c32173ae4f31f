"""Temporary files in the data folder, and the clean-up of those a dead process left behind.

Django spools large uploads to ``FILE_UPLOAD_TEMP_DIR`` and deletes them when the request
ends; a worker killed mid-upload (a timeout, a restart, the OOM killer) leaves its partial file
forever. The folder is ``KM_DATA_DIR/tmp`` rather than the system's ``/tmp``, so such files
stay with the instance, sit on the same disk as the uploads (a finished upload is moved into
place, not copied), and are removed here: when the web process starts and by
``manage.py clean_temp``.
"""

from __future__ import annotations

import logging
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=1)  # no upload or probe runs this long; a live one is never older


def folder() -> Path:
    """The temp folder for uploads and type probes (``dir=`` for :mod:`tempfile`)."""
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def _newest_change(path: Path) -> float:
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.rglob("*"):
            newest = max(newest, child.lstat().st_mtime)
    return newest


def remove_stale(*, older_than: timedelta = STALE_AFTER) -> list[Path]:
    """Delete what in the temp folder has not changed for ``older_than``; return what went.

    A file or folder still being written has a recent modification time, so an upload in
    progress in another worker is never touched. Errors are logged, never raised: a clean-up
    must not stop the portal from starting.
    """
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    try:
        entries = list(folder().iterdir())
    except OSError as error:
        logger.warning("temp folder %s cannot be read: %s", folder(), error)
        return removed
    for path in entries:
        try:
            if _newest_change(path) >= cutoff:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError as error:
            logger.warning("stale temp file %s not removed: %s", path, error)
    if removed:
        logger.info("removed %d stale temp file(s) from %s", len(removed), folder())
    return removed
