"""Which index the database last fed: a small state file beside the index folder.

Kept apart from ``indexing`` (which calls ``adopt_index`` when the engine makes a new index) and
``upkeep`` (which reads and records it around rebuilds and checks), so neither imports the other
back.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

__all__ = ["adopt_index", "filled_index_id", "record_index", "state_path"]


def state_path() -> Path:
    folder = Path(settings.SEARCH_INDEX_DIR)
    return folder.with_name(f"{folder.name}.state")


def filled_index_id() -> str | None:
    """The identity of the index last filled from the database (None: none recorded yet)."""
    try:
        return json.loads(state_path().read_text())["index_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_index(index_id: str) -> None:
    """The index ``index_id`` is now in step with the database."""
    path = state_path()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"index_id": index_id}))
        os.replace(temporary, path)
    except OSError:
        logger.warning("could not record the search index's state in %s", path, exc_info=True)


def adopt_index(index_id: str) -> None:
    """A new index was made: it is the one in step only if none was ever recorded (a new
    installation); an index made again after one was filled starts incomplete."""
    if filled_index_id() is None:
        record_index(index_id)
