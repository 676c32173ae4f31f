"""Day counters: one row per (thing, day), incremented in the database.

The usage figures (searches per query, document views and downloads) are kept as such rows, so
the dashboard sums a few thousand rows instead of a log, and no person is recorded.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F


def bump(model: type[models.Model], keys: dict, **increments: int) -> None:
    """Add ``increments`` to the counters of the row ``keys`` names, creating it if needed.

    An UPDATE first (the common case, and safe under concurrency); the row is created only when
    the UPDATE found none, and if another request created it in between, the UPDATE is redone.
    """
    changes = {name: F(name) + amount for name, amount in increments.items()}
    if model.objects.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**keys, **increments)
    except IntegrityError:
        model.objects.filter(**keys).update(**changes)
