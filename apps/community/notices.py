"""What communities of practice tell people, through the portal's one notification system.

- someone joins an open community: its facilitators hear of it;
- someone is added to a roster (or named facilitator of a new community): they hear of it;
- a knowledge asset is captured: the facilitators hear of it;
- a session's AAR is written: the members hear of it, to read what was learned;
- an asset is promoted to a knowledge-set draft: its writer and the facilitators hear of it.

A new session is a meeting: the meetings app already invites the members and tells them
(``meetings.invitation``), so no second notice is sent. Nobody hears of a record they may not
open (the kinds' ``may_open`` is the community's own rule).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, Kind, register

GROUP = _("Communities of practice")


def _kind(code, label, sentence, *, perm, icon, default=Delivery.DIGEST) -> Kind:
    return register(
        Kind(
            code=f"community.{code}",
            group=GROUP,
            label=label,
            sentence=sentence,
            default=default,
            may_open=lambda user, target: user.has_perm(perm, target),
            icon=icon,
        )
    )


JOINED = _kind(
    "joined",
    _("Someone joins a community you facilitate"),
    _("%(actor)s joined the community “%(title)s”."),
    perm="community.view_community",
    icon="person-plus",
)
MEMBER_ADDED = _kind(
    "member_added",
    _("You are added to a community of practice"),
    _("%(actor)s added you to the community “%(title)s” as %(note)s."),
    perm="community.view_community",
    icon="people",
    default=Delivery.IMMEDIATE,
)
ASSET_ADDED = _kind(
    "asset_added",
    _("A knowledge asset is captured in a community you facilitate"),
    _("%(actor)s captured the knowledge asset “%(title)s”."),
    perm="community.view_asset",
    icon="lightbulb",
)
AAR_WRITTEN = _kind(
    "aar_written",
    _("The after action review of a session of your community is written"),
    _("%(actor)s wrote the after action review (AAR) of “%(title)s”."),
    perm="community.view_session",
    icon="arrow-repeat",
)
ASSET_PROMOTED = _kind(
    "asset_promoted",
    _("A knowledge asset becomes a knowledge-set draft"),
    _("%(actor)s made the knowledge asset “%(title)s” into a knowledge-set draft."),
    perm="community.view_asset",
    icon="journal-arrow-up",
)
