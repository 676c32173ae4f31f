"""The storage of uploaded files: never a partial file, never a write into the reserve."""

from __future__ import annotations

import contextlib
import os

from django.core.files.storage import FileSystemStorage

from . import diskspace


class DataFolderStorage(FileSystemStorage):
    """``FileSystemStorage`` that checks for room first and removes what a failed write left.

    Django's own storage leaves the file it was writing when the write fails (a full disk, a
    worker killed by a timeout raises in the middle): an orphan of zero or a few bytes that no
    record points to. Here the file is removed before the error goes on.
    """

    def _save(self, name, content):
        diskspace.check_room(getattr(content, "size", None) or 0)
        full_path = self.path(name)
        existed = os.path.lexists(full_path)  # Storage.save() picked a free name; be sure
        try:
            return super()._save(name, content)
        except BaseException:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(full_path)
            raise
