"""Values worked out from the database, kept in this process while the tables they read are
unchanged (issue 20).

A page such as the office dashboard runs fifty aggregate queries whose answers change a few times
an hour. ``KeptValues.get(key, make)`` runs ``make()`` once, notes every table its SQL names
(Django quotes every table it reads), and keeps the value with a *fingerprint* of those tables:
for each, its row count, its highest primary key and, where the model has one, its latest
``auto_now`` change. A later request reads the fingerprint again (one query of index look-ups)
and uses the kept value only if nothing moved. So:

- a record added, removed, or edited through its model (``save()`` sets ``updated_at``) shows at
  once, from whichever process wrote it;
- a change that no fingerprint sees (a day counter incremented in place, a table without an
  ``auto_now`` field edited in place, a change outside the database) shows after at most
  ``max_age`` seconds, and the page says when its figures were worked out;
- the fingerprint is read *before* ``make()``, so a write while the value is being worked out
  makes the next request work it out again rather than keep a value older than its fingerprint.
  The tables are learnt from the first run of each family of keys; until then nothing is kept.

The key must hold everything else the value depends on: whose view it is (the viewer, or their
visibility rule), the language if it holds translated text, the day if it depends on today.
Entries are few and bounded (``max_entries``, least recently used first out).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection


@dataclass
class _Entry:
    value: Any
    fingerprint: tuple
    made_at: float  # time.monotonic()
    made_wall: float  # time.time(), for the page's "as of"


@cache
def _columns() -> dict[str, tuple[str, str | None]]:
    """Each model table: (its primary key column, its ``auto_now`` column or None)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        changed = next(
            (f.column for f in meta.concrete_fields if getattr(f, "auto_now", False)), None
        )
        found[meta.db_table] = (meta.pk.column, changed)
    return found


#: Every store, so that the tests can start each test with nothing kept (``clear_all``).
_STORES: weakref.WeakSet[KeptValues] = weakref.WeakSet()


def clear_all() -> None:
    for store in list(_STORES):
        store.clear()


class KeptValues:
    """A small per-process store of values kept while the tables they read are unchanged."""

    def __init__(
        self,
        *,
        max_entries: int = 64,
        max_age: float = 60.0,
        always: Iterable[str] = (),
        also: Callable[[], Hashable] | None = None,
    ):
        """``always``: tables whose changes always count (such as who may see what, which a
        permission check may have read before ``make()``); ``also``: the state of something
        outside the database the values depend on (compared like the fingerprint)."""
        self.max_entries = max_entries
        self.max_age = max_age
        self.always = frozenset(always)
        self.also = also
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._tables: dict[Hashable, frozenset[str]] = {}
        self._lock = threading.Lock()
        _STORES.add(self)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._tables.clear()

    def get(self, key: tuple, make: Callable[[], Any]) -> tuple[Any, float]:
        """``make()``'s value for ``key`` and the wall-clock time it was worked out."""
        family = key[0]
        tables = self._tables.get(family)
        before = self.fingerprint(tables) if tables is not None else None
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                fresh = time.monotonic() - entry.made_at < self.max_age
                if fresh and before is not None and entry.fingerprint == before:
                    self._entries.move_to_end(key)
                    return entry.value, entry.made_wall
                del self._entries[key]
        read: set[str] = set()
        with connection.execute_wrapper(_TableRecorder(read)):
            value = make()
        made_wall = time.time()
        learnt = frozenset(read) | self.always
        if tables is None or not learnt <= tables:
            # Tables read for the first time: the fingerprint taken before did not cover them.
            self._tables[family] = learnt | (tables or frozenset())
            return value, made_wall
        with self._lock:
            self._entries[key] = _Entry(value, before, time.monotonic(), made_wall)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value, made_wall

    def fingerprint(self, tables: Iterable[str]) -> tuple:
        """One query: each table's row count, highest key and latest change; and ``also``."""
        columns = _columns()
        quote = connection.ops.quote_name
        parts: list[str] = []
        for table in sorted(tables):
            if table not in columns:
                continue
            pk, changed = columns[table]
            name = quote(table)
            parts.append(f"(SELECT COUNT(*) FROM {name})")  # noqa: S608 - names from the models
            parts.append(f"(SELECT MAX({quote(pk)}) FROM {name})")  # noqa: S608
            if changed:
                parts.append(f"(SELECT MAX({quote(changed)}) FROM {name})")  # noqa: S608
        row: tuple = ()
        if parts:
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join(parts))
                row = tuple(str(value) for value in cursor.fetchone())
        return (row, self.also() if self.also else None)


class _TableRecorder:
    """An ``execute_wrapper`` noting which model tables each statement names."""

    def __init__(self, into: set[str]):
        self.into = into
        quote = connection.ops.quote_name
        self.names = {table: quote(table) for table in _columns()}

    def __call__(self, execute, sql, params, many, context):
        for table, quoted in self.names.items():
            if quoted in sql:
                self.into.add(table)
        return execute(sql, params, many, context)
