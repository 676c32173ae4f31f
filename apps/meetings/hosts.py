"""Who holds a meeting: a KM team, or a record of another app that registers itself as a host.

A meeting belongs to one host:

- a team (``Meeting.team``): the KM team, a working group or a KM group. These are the meetings
  this app began with; the KM office's rules hold (the secretary keeps them, the KM teams and
  groups read all of them);
- or a record of another app (``Meeting.host_kind`` names the kind, ``Meeting.host_id`` is the
  record's pk; ``team`` is then empty), e.g. a community of practice whose sessions are
  meetings. The owning app says who keeps and who reads its meetings.

Whatever the host, a meeting is numbered within its host and fiscal year, its minutes are
adopted at a later meeting of the same host, and the people invited (or given an action item)
read it. The owning app registers its kind once, from its ``AppConfig.ready``::

    from apps.meetings import hosts

    hosts.register(hosts.HostKind(
        key="cop",
        label=_("Community of practice"),
        model=Community,
        keeps=lambda user, community: community.facilitators.filter(pk=user.pk).exists(),
        reads=lambda user, community: community.members.filter(pk=user.pk).exists(),
        readable=lambda user: Community.objects.filter(members=user).values("pk"),
    ))

and schedules through ``services.meeting_schedule(by=..., host=community, details=...)``. This
module imports no models: the rules and ``Meeting.objects.visible_to`` ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HostKind:
    key: str  # stored in ``Meeting.host_kind``
    label: Any
    model: type  # the host records' model; ``Meeting.host_id`` is a pk of it
    # Who schedules the host's meetings and keeps their record (agenda, attendance, minutes).
    keeps: Callable[[Any, Any], bool]
    # Who reads every meeting of the host (besides those invited or given an action item).
    reads: Callable[[Any, Any], bool]
    # ``reads`` as a query: the pks of the hosts whose meetings ``user`` reads.
    readable: Callable[[Any], Iterable[int]]


_kinds: dict[str, HostKind] = {}


def register(kind: HostKind) -> None:
    _kinds[kind.key] = kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def kinds() -> list[HostKind]:
    return list(_kinds.values())


def get(key: str) -> HostKind | None:
    return _kinds.get(key)


def kind_for(host: Any) -> HostKind | None:
    """The registered kind of a host record (None for a team, or an unknown record)."""
    for kind in _kinds.values():
        if isinstance(host, kind.model):
            return kind
    return None
