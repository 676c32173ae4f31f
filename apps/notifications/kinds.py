"""The kinds of notice apps register, and how each is delivered by default.

An app describes each event it tells people about once, in its ``notices`` module::

    register(Kind(
        code="meetings.invitation",
        group=_("Meetings"),
        label=_("You are invited to a meeting"),
        sentence=_("%(actor)s invited you to “%(title)s”."),
        default=Delivery.IMMEDIATE,
    ))

and calls ``apps.notifications.services.notify(kind="meetings.invitation", ...)`` from its service,
inside the service's transaction. The sentence is written when the notice is shown (in the
reader's language, with the record's title as it is then), never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person gets e-mail about a kind of notice (the bell always shows it)."""

    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("In the daily e-mail digest")
    OFF = "off", _("No e-mail (in the portal only)")


Attachment = tuple[str, bytes | str, str]  # file name, content, MIME type


@dataclass(frozen=True)
class Kind:
    code: str  # "<app>.<event>", e.g. "knowledge.submitted"
    group: Any  # the heading it is listed under on the preferences page
    label: Any  # what the person chooses delivery for, e.g. "A set waits for your review"
    # One sentence with %(actor)s and %(title)s (and %(note)s if the notice has one).
    sentence: Any
    default: str = Delivery.DIGEST
    # The record's title as the reader may see it; ``str(target)`` by default.
    title: Callable[[Any], str] | None = None
    # Whether ``user`` may open ``target`` today; by default the target's searchable rule
    # (``apps.core.searchables``), else the model's ``view_<model>`` permission.
    may_open: Callable[[Any, Any], bool] | None = None
    # Where the notice leads; ``target.get_absolute_url()`` by default.
    url: Callable[[Any], str] | None = None
    # Files for the e-mail (e.g. an iCalendar invitation), made when it is sent.
    attachments: Callable[[Any], list[Attachment]] | None = None
    icon: str = "bell"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.default not in Delivery.values:
        raise ValueError(f"{kind.code}: unknown delivery {kind.default!r}")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def kinds() -> list[Kind]:
    """Every registered kind, grouped as the preferences page lists them."""
    return sorted(_KINDS.values(), key=lambda kind: (str(kind.group), kind.code))


def title_of(kind: Kind, target: Any) -> str:
    return kind.title(target) if kind.title else str(target)


def url_of(kind: Kind, target: Any) -> str:
    return kind.url(target) if kind.url else target.get_absolute_url()


def may_open(kind: Kind, user: Any, target: Any) -> bool:
    """Whether ``user`` may see ``target`` now: nothing about it is shown or sent otherwise."""
    if target is None or user is None or not user.is_active:
        return False
    if kind.may_open is not None:
        return bool(kind.may_open(user, target))
    from apps.core import searchables  # the registry is filled when apps are ready

    searchable = searchables.for_model(type(target))
    if searchable is not None:
        return bool(searchable.may_open(user, target))
    meta = target._meta
    return bool(user.has_perm(f"{meta.app_label}.view_{meta.model_name}", target))
