"""The backup archive: what it holds, how it is named, and how it is read back safely.

An archive is one ``.tar.gz``: ``manifest.json`` first (so it can be read without unpacking the
rest), then one JSON Lines file per model under ``data/`` and every stored file under ``media/``.
The rows are Django's serialised form with their primary keys, so an archive made on SQLite loads
into PostgreSQL and back; content types and permissions, whose ids differ between databases,
are written by their natural keys. The manifest lists the SHA-256 of every member: a restore
checks them all before it changes anything.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
import tomllib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.serializers import sort_dependencies
from django.db import models
from django.utils import timezone

FORMAT = "kmportal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".tar.gz"
# Rebuilt by ``migrate`` (content types, permissions), worthless after a restore (sessions), or
# rebuilt from the rows (the search index's queue).
SKIPPED_MODELS = frozenset(
    {
        "contenttypes.ContentType",
        "auth.Permission",
        "sessions.Session",
        "search.IndexTask",
        # Worked out again from the index by the worker (``make_related`` does it at once).
        "search.RelatedList",
        # A tally that tells running processes their kept library pages are out of date.
        "library.Removals",
        # What the background worker did: state of this instance, not the office's records.
        "ops.RunningJob",
        "ops.FailedJob",
        "ops.ScheduleRun",
    }
)
# Members live under data/ or media/; no control characters, backslashes or parent folders.
_SAFE_NAME = re.compile(r"^(data|media)/[^\x00-\x1f\\]+$")
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be used: damaged, foreign, or made by a newer portal."""


@cache
def portal_version() -> str:
    """The portal's version, from ``pyproject.toml``."""
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def version_tuple(version: str) -> tuple[int, ...]:
    """A version such as ``1.4.2rc1`` as numbers that compare (``(1, 4, 2)``)."""
    parts = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        parts.append(int(digits.group()) if digits else 0)
    return tuple(parts)


def backup_dir() -> Path:
    """The folder backups are written to and listed from."""
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.DATA_DIR) / "backups"))


def default_name(now: datetime) -> str:
    """A backup's file name, from the moment it is made."""
    return f"kmportal-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def archived_models(registry: Apps = apps) -> list[type[models.Model]]:
    """Every model whose rows go into an archive, parents before the models that point to them
    (the order a restore loads them in); ``registry`` gives the historical models of a
    migration state instead of this code's."""
    by_app: dict = {}
    for model in registry.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in SKIPPED_MODELS:
            continue
        by_app.setdefault(meta.app_config, []).append(model)
    return sort_dependencies(list(by_app.items()), allow_cycles=True)


def data_member(model: type[models.Model]) -> str:
    """The archive member holding ``model``'s rows."""
    return f"data/{model._meta.label}.jsonl"


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class HashingReader:
    """A file read by ``tarfile`` while its SHA-256 is computed on the same bytes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.digest.update(block)
        return block


# --- Reading -----------------------------------------------------------------------------------
@dataclass
class Member:
    name: str
    sha256: str
    size: int


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except FileNotFoundError:
        raise ArchiveError(f"No such archive: {path}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise ArchiveError(f"{path} is not a KM Portal backup or is damaged ({error}).") from None


def read_manifest(path: Path) -> dict:
    """The archive's manifest, read from its first member; ``ArchiveError`` if there is none."""
    try:
        with _open(Path(path)) as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise ArchiveError(f"{path} has no manifest: it is not a KM Portal backup.")
            manifest = json.load(archive.extractfile(first))
    except ArchiveError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as error:
        raise ArchiveError(f"{path} is damaged: its manifest cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a KM Portal backup.")
    for key in ("format_version", "portal_version", "migrations", "models", "counts", "files"):
        if key not in manifest:
            raise ArchiveError(f"{path} is damaged: its manifest has no {key!r}.")
    return manifest


def check_compatible(manifest: dict, known_migrations: set[tuple[str, str]]) -> None:
    """Refuse an archive this portal cannot read: a newer format, a newer portal, or database
    changes (migrations) this portal does not have."""
    ours = portal_version()
    theirs = str(manifest["portal_version"])
    newer = (
        f"This backup was made by a newer KM Portal ({theirs}) than this one ({ours}): "
        "upgrade this portal to that version or later, then restore."
    )
    if int(manifest["format_version"]) > FORMAT_VERSION:
        raise ArchiveError(newer)
    if version_tuple(theirs) > version_tuple(ours):
        raise ArchiveError(newer)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known_migrations
    )
    if unknown:
        raise ArchiveError(newer + f" Unknown database changes: {', '.join(unknown[:5])}.")


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(_SAFE_NAME.match(name)) and ".." not in path.parts and not path.is_absolute()


def extract_verified(path: Path, manifest: dict, into: Path) -> None:
    """Unpack every data and media member into ``into``, checking each one's SHA-256 and size
    against the manifest; ``ArchiveError`` on any difference, unknown or missing member."""
    expected: dict[str, dict] = manifest["files"]
    seen: set[str] = set()
    try:
        with _open(Path(path)) as archive:
            for info in archive:
                if info.name == MANIFEST:
                    continue
                if not info.isfile() or not _safe(info.name) or info.name not in expected:
                    raise ArchiveError(f"The archive is damaged: unexpected member {info.name!r}.")
                if info.name in seen:
                    raise ArchiveError(f"The archive is damaged: {info.name!r} appears twice.")
                seen.add(info.name)
                target = into / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                source = archive.extractfile(info)
                with open(target, "wb") as out:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
                want = expected[info.name]
                if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
                    raise ArchiveError(
                        f"The archive is damaged: {info.name} does not match its checksum."
                    )
    except ArchiveError:
        raise
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise ArchiveError(f"The archive is damaged and cannot be read ({error}).") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise ArchiveError(
            f"The archive is damaged: {len(missing)} members are missing ({missing[0]} …)."
        )


# --- The backups folder ---------------------------------------------------------------------------
@dataclass
class StoredBackup:
    name: str
    path: Path
    size: int
    modified: datetime


def stored_backups() -> list[StoredBackup]:
    """The archives in the backups folder, newest first."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.name.endswith(SUFFIX) and path.is_file() and _SAFE_FILE.match(path.name):
            stat = path.stat()
            modified = datetime.fromtimestamp(stat.st_mtime, tz=timezone.get_current_timezone())
            found.append(StoredBackup(path.name, path, stat.st_size, modified))
    return sorted(found, key=lambda backup: (backup.modified, backup.name), reverse=True)


_SAFE_FILE = re.compile(r"^[A-Za-z0-9._\-]+\.tar\.gz$")


def iter_media(root: Path) -> Iterator[tuple[str, Path]]:
    """``(relative posix name, path)`` of every regular file under ``root``."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path
