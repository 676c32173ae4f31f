"""Where a question is asked: the office-wide board, or a "space" another app registers.

A question belongs to the office-wide board (``Question.space_kind`` blank) or to one record of
another app (``space_kind`` names the kind, ``space_id`` is the record's pk), e.g. a community of
practice whose members discuss in its own board. The owning app says who reads, posts and
moderates there, and registers its kind once, from its ``AppConfig.ready``::

    from apps.board import spaces

    spaces.register(spaces.SpaceKind(
        code="cop",
        label=_("Community of practice"),
        may_read=lambda user, pk: ...,        # open the space's questions
        may_post=lambda user, pk: ...,        # ask and answer there
        may_moderate=lambda user, pk: ...,    # edit or hide any post there (คุณอำนวย)
        title=lambda pk: ...,                 # the space's name, shown on its questions
        url=lambda pk: ...,                   # the space's page
        readable_ids=lambda user: ...,        # ``may_read`` as a query: pks of its spaces
        moderated_ids=lambda user: ...,       # ``may_moderate`` as a query
        moderators=lambda pk: ...,            # who hears of unanswered questions
        index_access=lambda pk: {"access": "all"},  # what search lets find (see below)
    ))

``index_access`` gives the search index's access fields for the space's questions and must
name the same people as ``may_read`` (tests/search/test_agreement.py checks every kind): a space
open to all staff answers ``{"access": "all"}``; a members-only one
``{"access": "private", "owner": [member ids]}``. When a space's readers change, its questions
must be indexed again (the owning app saves them through ``services.space_readers_changed``).

This module imports no models: the rules and ``Question.objects.visible_to`` ask it. A question
whose kind is not registered (an app removed) is open to administrators only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PRIVATE = {"access": "private", "owner": []}


@dataclass(frozen=True)
class SpaceKind:
    code: str  # stored in ``Question.space_kind``
    label: Any
    may_read: Callable[[Any, int], bool]
    may_post: Callable[[Any, int], bool]
    may_moderate: Callable[[Any, int], bool]
    title: Callable[[int], str]
    url: Callable[[int], str]
    readable_ids: Callable[[Any], Iterable[int]]
    moderated_ids: Callable[[Any], Iterable[int]] = lambda user: ()
    moderators: Callable[[int], Iterable[Any]] = lambda pk: ()
    index_access: Callable[[int], dict] = lambda pk: dict(PRIVATE)


_kinds: dict[str, SpaceKind] = {}


def register(kind: SpaceKind) -> SpaceKind:
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """Remove a kind (a test's stand-in)."""
    _kinds.pop(code, None)


def get(code: str) -> SpaceKind | None:
    return _kinds.get(code)


def kinds() -> list[SpaceKind]:
    return list(_kinds.values())


def parse(value: str) -> tuple[SpaceKind, int] | None:
    """``"cop:12"`` (a page's ``space`` parameter) → the registered kind and the pk; None for
    anything else."""
    code, _sep, pk = str(value or "").partition(":")
    kind = _kinds.get(code)
    if kind is None or not pk.isdigit() or len(pk) > 12:
        return None
    return kind, int(pk)
