"""Day counters: one row per (thing, day), incremented in the database.

The usage figures (searches per query, document views and downloads) are kept as such rows, so
the dashboard sums a few thousand rows instead of a log, and no person is recorded.
"""

from __future__ import annotations

from django.db import connections, models, router, transaction


def bump(model: type[models.Model], keys: dict, **increments: int) -> None:
    """Add ``increments`` to the counters of the row ``keys`` names, creating it if needed.

    One statement, ``INSERT … ON CONFLICT (keys) DO UPDATE SET n = n + excluded.n`` (SQLite and
    PostgreSQL both have it), so two requests counting the same new row at once both count and
    a page view writes once rather than UPDATE, then INSERT in a transaction (issue 20). ``keys``
    must be the fields of one of the model's unique constraints.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    row = model(**keys, **increments)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    # Names from the model's meta, quoted; the values are parameters.
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    unique = ", ".join(quote(model._meta.get_field(name).column) for name in keys)
    counted = [quote(model._meta.get_field(name).column) for name in increments]
    adding = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counted)
    places = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({places}) ON CONFLICT ({unique}) DO UPDATE SET {adding}"  # noqa: E501, S608
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
        return
    # A tally committed on its own (a page view, a search) does not wait for PostgreSQL to
    # flush its log to disk: that wait was 2.1 ms of every document page and search, six times
    # the statement's own CPU (issue 20). A crash may lose the last fraction of a second's
    # counts, never corrupt them. Inside a caller's transaction nothing changes: its commit
    # stays durable.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, values)
