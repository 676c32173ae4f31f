"""Unique constraints whose check a simultaneous request can pass too.

A form checks that a team's name, a plan's year or a file is not taken yet, and the service then
saves. Two requests at the same moment both pass the check; the database's unique constraint
refuses the second insert with an ``IntegrityError``, which used to be a server error. Services
save such rows through :func:`refused_if_taken`, so the second request gets the same Thai
message the check would have given, and the transaction around it stays usable (the failed
insert is rolled back to a savepoint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refused_if_taken(
    taken: Callable[[], bool], error: Callable[[], ValidationError]
) -> Iterator[None]:
    """Run the block in a savepoint. If the database refuses it (``IntegrityError``) and
    ``taken()`` confirms that another request holds the value now, raise ``error()`` instead;
    any other integrity error is a bug and is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        if taken():
            raise error() from None
        raise
