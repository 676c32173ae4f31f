"""Restoring an archive into an empty instance, on SQLite or PostgreSQL.

Every member's checksum is verified before anything changes. The database is brought to the
archive's migration state, the rows are loaded in one transaction (foreign keys are checked at
commit, so the order does not matter), sequences are reset, the stored files are moved into
place, the remaining migrations run, and the search index is rebuilt and checked.

The rows are read into the models as they were in the archive's migration state (the historical
models the migrations describe), not into this code's: an archive made before a model moved to
another app or to another table (``plans.Meeting`` in ``plans_meeting``, now
``meetings.Meeting`` in ``meetings_meeting``) loads where that state keeps it, and the newer
migrations then move it, as they moved the rows of every office that upgraded in place.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps.registry import Apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.jsonl import Deserializer as JsonlDeserializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from apps.search import upkeep
from apps.search.models import IndexTask

from . import archive

logger = logging.getLogger(__name__)
BATCH = 1000


class RestoreRefusedError(Exception):
    """The target is not empty, or the archive cannot be used; nothing was changed."""


@dataclass
class RestoreResult:
    counts: dict[str, int]
    files: int
    index_clean: bool
    index_summary: str
    notes: list[str] = field(default_factory=list)


def known_migrations(using: str = DEFAULT_DB_ALIAS) -> set[tuple[str, str]]:
    """The (app, name) of every migration this code has on disk."""
    return set(MigrationLoader(connections[using], ignore_no_migrations=True).disk_migrations)


def what_is_there(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What already lives in the target: tables with rows and stored files (empty = [])."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    found = []
    for model in archive.archived_models():
        if model._meta.db_table in tables and model._base_manager.using(using).exists():
            found.append(f"{model._meta.label}: {model._base_manager.using(using).count()} rows")
    files = sum(1 for _ in archive.iter_media(Path(settings.MEDIA_ROOT)))
    if files:
        found.append(f"{files} stored files in {settings.MEDIA_ROOT}")
    return found


def restore_archive(
    *,
    path: Path,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    say: Callable[[str], None] = logger.info,
) -> RestoreResult:
    """Restore ``path`` into this instance. Refuses a non-empty target unless ``force`` (which
    replaces what is there), an archive that fails a checksum, and one from a newer portal."""
    path = Path(path)
    manifest = archive.read_manifest(path)
    archive.check_compatible(manifest, known_migrations(using))
    present = what_is_there(using)
    if present and not force:
        raise RestoreRefusedError(
            "The target is not empty (" + "; ".join(present[:5]) + "). Restore into an empty "
            "data folder and database, or pass --force to replace everything in it."
        )
    data_dir = Path(settings.DATA_DIR)
    workdir = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        say("Checking every checksum …")
        archive.extract_verified(path, manifest, workdir)
        say("Bringing the database to the archive's migration state …")
        historical = _migrate_to(manifest["migrations"], using=using)
        say("Loading the rows …")
        counts = _load_rows(manifest, workdir, historical, using=using, replace=bool(present))
        say("Putting the stored files in place …")
        files = _move_media(workdir / "media", Path(settings.MEDIA_ROOT), replace=bool(present))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    say("Applying this portal's newer database changes …")
    call_command("migrate", interactive=False, verbosity=0, database=using)
    say("Rebuilding the search index …")
    clean, summary = _rebuild_index()
    notes = [f"{len(manifest['missing_files'])} files were already missing when the backup ran"]
    return RestoreResult(
        counts=counts,
        files=files,
        index_clean=clean,
        index_summary=summary,
        notes=notes if manifest["missing_files"] else [],
    )


def _migrate_to(state: dict[str, list[str]], *, using: str) -> Apps:
    """Apply (or unapply) migrations until each app is where it was when the archive was made;
    an app the archive does not know is left unmigrated until its data is in. Returns the
    models of that state, which the archive's rows fit."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    targets = []
    for app in sorted(executor.loader.migrated_apps):
        applied = [(app, name) for name in state.get(app, []) if (app, name) in graph.nodes]
        if applied:
            targets.append(max(applied, key=lambda node: len(graph.forwards_plan(node))))
        else:
            targets.append((app, None))
    plan = executor.migration_plan(targets)
    if plan:
        executor.migrate(targets, plan=plan)
    reached = [node for node in targets if node[1] is not None]
    return executor.loader.project_state(reached, at_end=True).apps


# What a row written by natural key points at: {model label: {natural key: primary key}}.
NaturalKeys = dict[str, dict[tuple, int]]


def _ensure_natural_keys(manifest: dict, historical: Apps, using: str) -> NaturalKeys:
    """Content types and permissions the rows refer to by natural key must exist; returns the
    primary key of each, for the rows that name them."""
    content_type_model = historical.get_model("contenttypes", "ContentType")
    permission_model = historical.get_model("auth", "Permission")
    content_types, permissions = {}, {}
    for app_label, model in manifest.get("content_types", []):
        content_types[(app_label, model)], _ = content_type_model._base_manager.using(
            using
        ).get_or_create(app_label=app_label, model=model)
    for codename, app_label, model, name in manifest.get("permissions", []):
        content_type = content_types.get((app_label, model))
        if content_type is None:
            content_types[(app_label, model)] = content_type = (
                content_type_model._base_manager.using(using).get_or_create(
                    app_label=app_label, model=model
                )[0]
            )
        permission, _ = permission_model._base_manager.using(using).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name[:255]}
        )
        permissions[(codename, app_label, model)] = permission.pk
    ContentType.objects.clear_cache()
    return {
        content_type_model._meta.label_lower: {key: ct.pk for key, ct in content_types.items()},
        permission_model._meta.label_lower: permissions,
    }


class ArchiveDeserializer(JsonlDeserializer):
    """Django's JSON Lines deserializer reading rows into the models of ``registry`` (a
    migration state's historical models) rather than this code's; references written by
    natural key (content types, permissions) are looked up in ``natural``."""

    def __init__(self, stream, *, registry: Apps, natural: NaturalKeys, **options) -> None:
        super().__init__(stream, **options)
        self.registry = registry
        self.natural = natural

    def _get_model_from_node(self, model_identifier: str):
        try:
            return self.registry.get_model(model_identifier)
        except (LookupError, TypeError, ValueError):
            raise DeserializationError(f"Invalid model identifier: {model_identifier}") from None

    def _by_natural_key(self, model, key: list):
        try:
            return self.natural[model._meta.label_lower][tuple(key)]
        except (KeyError, TypeError):
            raise DeserializationError(
                f"{model._meta.label} {key} is not in the archive's manifest."
            ) from None

    def _handle_fk_field_node(self, field, field_value):
        if isinstance(field_value, list):
            return self._by_natural_key(field.related_model, field_value)
        return super()._handle_fk_field_node(field, field_value)

    def _handle_m2m_field_node(self, field, field_value):
        if isinstance(field_value, list):
            field_value = [
                self._by_natural_key(field.related_model, value)
                if isinstance(value, list)
                else value
                for value in field_value
            ]
        return super()._handle_m2m_field_node(field, field_value)


def _load_rows(
    manifest: dict, workdir: Path, historical: Apps, *, using: str, replace: bool
) -> dict[str, int]:
    """Load every model's rows into ``historical`` (the archive's migration state)."""
    connection = connections[using]
    models = []
    for label in manifest["models"]:
        try:
            models.append(historical.get_model(label))
        except LookupError:
            raise archive.ArchiveError(
                f"The archive lists {label}, a model its own database state does not have."
            ) from None
    counts: dict[str, int] = {}
    try:
        with disable_auditlog(), transaction.atomic(using=using):
            if replace:
                _empty_tables(historical, using)
            natural = _ensure_natural_keys(manifest, historical, using)
            for model in models:
                counts[model._meta.label] = _load_model(model, workdir, natural, using)
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            expected = {label: int(n) for label, n in manifest["counts"].items()}
            if counts != expected:
                wrong = sorted(k for k in expected if counts.get(k) != expected[k])
                raise archive.ArchiveError(f"Row counts differ from the manifest: {wrong}.")
    except (DatabaseError, DeserializationError) as error:
        raise archive.ArchiveError(f"The rows could not be loaded: {error}") from error
    return counts


def _empty_tables(historical: Apps, using: str) -> None:
    connection = connections[using]
    models = archive.archived_models(historical)
    tables = [model._meta.db_table for model in models]
    for model in models:
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                tables.append(m2m.remote_field.through._meta.db_table)
    tables += ["search_indextask", "django_session"]
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), [t for t in tables if t in existing], allow_cascade=True
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _load_model(model, workdir: Path, natural: NaturalKeys, using: str) -> int:
    member = workdir / archive.data_member(model)
    fields = list(model._meta.local_concrete_fields)
    pending, through_rows, count = [], {}, 0
    with open(member, encoding="utf-8") as stream:
        rows = ArchiveDeserializer(stream, registry=model._meta.apps, natural=natural, using=using)
        for item in rows:
            if type(item.object) is not model:
                raise archive.ArchiveError(f"{member.name} holds a {item.object._meta.label}.")
            pending.append(item.object)
            for name, values in (item.m2m_data or {}).items():
                m2m = model._meta.get_field(name)
                through = m2m.remote_field.through
                source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
                rows = through_rows.setdefault(through, [])
                rows.extend(
                    through(**{f"{source}_id": item.object.pk, f"{target}_id": value})
                    for value in values
                )
            count += 1
            if len(pending) >= BATCH:
                _insert(model, fields, pending, using)
                pending = []
    if pending:
        _insert(model, fields, pending, using)
    for through, rows in through_rows.items():
        through._base_manager.using(using).bulk_create(rows, batch_size=BATCH)
    return count


def _insert(model, fields, objects, using: str) -> None:
    """Insert rows exactly as archived. ``bulk_create`` would stamp ``auto_now`` fields with
    the time of the restore; a raw insert (what ``loaddata`` does, one row at a time) keeps
    every value and sends no signals, so neither the audit log nor the index queue grows."""
    connection = connections[using]
    size = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    queryset = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        queryset._insert(objects[start : start + size], fields=fields, using=using, raw=True)


def _move_media(staged: Path, media_root: Path, *, replace: bool) -> int:
    if replace and media_root.exists():
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    moved = 0
    for name, path in archive.iter_media(staged):
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        with suppress(OSError):
            os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o640)
        moved += 1
    return moved


def _rebuild_index() -> tuple[bool, str]:
    """Rebuild the index from the restored rows and check it; returns (clean, summary)."""
    IndexTask.objects.all().delete()
    # The index is built and checked in the portal's language, as the pages write it.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("rebuild_index", restart=True, clear=True, verbosity=0, stdout=_Null())
        report = upkeep.check()
    summary = (
        f"missing {len(report.missing)}, stale {len(report.stale)}, "
        f"orphaned {len(report.orphaned)}, queued {report.pending}"
    )
    return report.healthy, summary


class _Null:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
