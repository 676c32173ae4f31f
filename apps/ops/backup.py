"""Taking a backup while the portal runs and people write.

The rows come from one consistent snapshot of the database: SQLite's online backup API copies
the live database into a private file in one step (readers never block the writer in WAL mode),
PostgreSQL reads inside one REPEATABLE READ transaction. The stored files are hard-linked into a
private folder *before* the snapshot, so a file that a row of the snapshot points to cannot be
deleted under the backup; files uploaded between the two steps are linked right after it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import archive

logger = logging.getLogger(__name__)
SNAPSHOT_ALIAS = "ops_snapshot"


class BackupError(Exception):
    """The backup could not be written; nothing was left behind."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime | date | dtime):
            return o.isoformat()
        return super().default(o)


class ArchiveSerializer(JsonlSerializer):
    """Rows with their own primary keys, except references to content types and permissions,
    which are written by natural key because their ids differ from one database to another."""

    def __init__(self, natural: dict[type[models.Model], dict]):
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj, field):
        table = self.natural.get(field.related_model)
        if table is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else table[value]

    def handle_m2m_field(self, obj, field):
        super().handle_m2m_field(obj, field)
        if field.name in self._current:
            table = self.natural.get(field.related_model)
            values = self._current[field.name]
            if table is not None:
                values = [table[value] for value in values]
            self._current[field.name] = sorted(values, key=json.dumps)


@dataclass
class BackupResult:
    path: Path
    size: int
    counts: dict[str, int]
    files: int
    file_bytes: int
    missing_files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pruned: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


# --- The snapshot --------------------------------------------------------------------------------
@contextmanager
def database_snapshot(workdir: Path, using: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """A database alias whose contents do not change while the block runs."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = workdir / "snapshot.sqlite3"
        target = sqlite3.connect(copy)
        try:
            # pages=-1 (the default): the whole database in one step, so one point in time.
            connection.connection.backup(target)
        finally:
            target.close()
        connections.settings[SNAPSHOT_ALIAS] = {
            **connections.settings[using],
            "NAME": str(copy),
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
        }
        try:
            yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]
    elif connection.in_atomic_block:
        # Already inside a transaction (a test): it is the snapshot.
        yield using
    else:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield using


def _natural_keys(using: str) -> tuple[dict, list, list]:
    content_types = {
        pk: [app, model]
        for pk, app, model in ContentType.objects.using(using).values_list(
            "pk", "app_label", "model"
        )
    }
    permissions = {}
    permission_rows = []
    for pk, codename, name, ct in Permission.objects.using(using).values_list(
        "pk", "codename", "name", "content_type_id"
    ):
        permissions[pk] = [codename, *content_types[ct]]
        permission_rows.append([codename, *content_types[ct], name])
    natural = {ContentType: content_types, Permission: permissions}
    return natural, sorted(content_types.values()), sorted(permission_rows)


def _write_rows(model, using: str, natural: dict, target: Path) -> tuple[int, str, int]:
    """One model's rows as JSON Lines, in primary-key order; returns (rows, sha256, bytes)."""
    m2m = [
        f.name for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    rows = model._base_manager.using(using).order_by("pk")
    if m2m:
        rows = rows.prefetch_related(*m2m)
    serializer = ArchiveSerializer(natural)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        serializer.serialize(
            rows.iterator(chunk_size=1000), stream=out, cls=FullPrecisionEncoder, sort_keys=True
        )
    with open(target, encoding="utf-8") as written:
        count = sum(1 for _line in written)
    return count, archive.sha256_of(target), target.stat().st_size


def _file_names(using: str) -> set[str]:
    """The stored file every row of the snapshot points to."""
    names: set[str] = set()
    for model in archive.archived_models():
        for model_field in model._meta.local_concrete_fields:
            if isinstance(model_field, models.FileField):
                values = (
                    model._base_manager.using(using)
                    .exclude(**{model_field.attname: ""})
                    .exclude(**{f"{model_field.attname}__isnull": True})
                    .values_list(model_field.attname, flat=True)
                )
                names.update(values.iterator())
    return names


def _link(source: Path, target: Path) -> bool:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or links not allowed: copy instead
        try:
            shutil.copy2(source, target)
        except FileNotFoundError:
            return False
    return True


# --- The archive ---------------------------------------------------------------------------------
def backup_create(*, output: Path | None = None, keep: int | None = None) -> BackupResult:
    """Write one archive of the whole instance (rows, stored files, manifest) to ``output``
    (default: a dated name in the backups folder); with ``keep``, then delete all but the
    ``keep`` newest archives of the backups folder. The archive appears only once complete."""
    started = time.monotonic()
    now = timezone.now()
    output = Path(output) if output else archive.backup_dir() / archive.default_name(now)
    output = output.expanduser().resolve()
    partial = output.with_name(output.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # The private folder sits in the data folder, on the same file system as the stored
        # files, so they can be hard-linked.
        workdir = Path(tempfile.mkdtemp(prefix=".backup-", dir=settings.DATA_DIR))
    except OSError as error:
        raise BackupError(f"The backup could not be written to {output}: {error}") from error
    try:
        staged = workdir / "media"
        linked = {
            name for name, path in archive.iter_media(media_root) if _link(path, staged / name)
        }
        manifest_files: dict[str, dict] = {}
        counts: dict[str, int] = {}
        with database_snapshot(workdir) as using:
            natural, content_types, permissions = _natural_keys(using)
            for model in archive.archived_models():
                member = archive.data_member(model)
                rows, digest, size = _write_rows(model, using, natural, workdir / member)
                counts[model._meta.label] = rows
                manifest_files[member] = {"sha256": digest, "size": size}
            referenced = _file_names(using)
            applied = MigrationRecorder(connections[using]).applied_migrations()
            vendor = connections[using].vendor
        missing = []
        for name in sorted(referenced - linked):
            if _link(media_root / name, staged / name):
                linked.add(name)
            else:
                missing.append(name)
        if missing:
            logger.warning("backup: %d stored files are missing: %s", len(missing), missing[:10])
        file_bytes = 0
        for name in sorted(linked):
            path = staged / name
            size = path.stat().st_size
            file_bytes += size
            manifest_files[f"media/{name}"] = {"sha256": archive.sha256_of(path), "size": size}
        migrations: dict[str, list[str]] = {}
        for app, name in sorted(applied):
            migrations.setdefault(app, []).append(name)
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "portal_version": archive.portal_version(),
            "django_version": django.get_version(),
            "created_at": now.isoformat(),
            "database": vendor,
            "migrations": migrations,
            "models": [model._meta.label for model in archive.archived_models()],
            "counts": counts,
            "content_types": content_types,
            "permissions": permissions,
            "media": {"files": len(linked), "bytes": file_bytes},
            "missing_files": missing,
            "files": manifest_files,
        }
        _write_tar(partial, manifest, workdir)
        os.replace(partial, output)
    except OSError as error:
        with suppress(OSError):
            partial.unlink()
        raise BackupError(f"The backup could not be written to {output}: {error}") from error
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    pruned = backup_prune(keep=keep) if keep else []
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        counts=counts,
        files=len(linked),
        file_bytes=file_bytes,
        missing_files=missing,
        seconds=time.monotonic() - started,
        pruned=pruned,
    )


def _write_tar(partial: Path, manifest: dict, workdir: Path) -> None:
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    old_umask = os.umask(0o077)  # the archive holds personal data: owner only
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as out:
            info = tarfile.TarInfo(archive.MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
            out.addfile(info, fileobj=_BytesReader(body))
            for name, want in manifest["files"].items():
                path = workdir / name
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = want["size"], int(path.stat().st_mtime), 0o600
                with open(path, "rb") as handle:
                    reader = archive.HashingReader(handle)
                    out.addfile(info, fileobj=reader)
                if reader.digest.hexdigest() != want["sha256"]:
                    raise OSError(f"{name} changed while it was being archived")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
    finally:
        os.umask(old_umask)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        block = self.data[self.offset : end]
        self.offset += len(block)
        return block


def backup_prune(*, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest archives of the backups folder; returns their names."""
    removed = []
    for old in archive.stored_backups()[max(keep, 1) :]:
        with suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.name)
    return removed
