"""Communities of practice: how many are active, their sessions and participants each month,
and the knowledge assets they capture and promote. Only communities the viewer may open are
counted (a members-only community's figures are its members' and the KM office's)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.community.models import Community, CommunityStatus, KnowledgeAsset, Session
from apps.core.thaidates import format_month
from apps.meetings.models import Attendance, AttendanceStatus, MeetingStatus

from ..scope import Scope
from ..tables import Chart, Table, num, text
from .months import month_counts


def _communities(scope: Scope):
    communities = Community.objects.visible_to(scope.viewer)
    return communities.filter(km_step=scope.step) if scope.step else communities


def _sessions(scope: Scope):
    return Session.objects.filter(community__in=_communities(scope)).exclude(
        meeting__status=MeetingStatus.CANCELLED
    )


def communities_per_month(scope: Scope) -> Table:
    months = scope.months
    sessions = _sessions(scope)
    present = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, meeting__community_session__in=sessions
    )
    assets = KnowledgeAsset.objects.filter(community__in=_communities(scope))
    columns = [
        month_counts(sessions, "meeting__date", months, dates=True),
        month_counts(present, "meeting__date", months, dates=True),
        month_counts(assets, "created_at", months),
        month_counts(assets.exclude(knowledge_set=None), "promoted_at", months),
    ]
    rows = [
        [text(format_month(month)), *[num(column[index]) for column in columns]]
        for index, month in enumerate(months)
    ]
    return Table(
        "communities_per_month",
        _("Communities of practice per month"),
        [
            _("Month"),
            _("Sessions"),
            _("Participants"),
            _("Knowledge assets captured"),
            _("Promoted to knowledge sets"),
        ],
        rows,
        note=_("Sessions not cancelled, the people recorded as present, and knowledge assets."),
        chart=Chart("bar", series=(1, 2, 3, 4)),
    )


def communities_summary(scope: Scope) -> Table:
    counts = _communities(scope).aggregate(
        active=Count("pk", filter=Q(status=CommunityStatus.ACTIVE)),
        closed=Count("pk", filter=Q(status=CommunityStatus.CLOSED)),
    )
    sessions = _sessions(scope).filter(scope.days_in_year("meeting__date"))
    assets = KnowledgeAsset.objects.filter(community__in=_communities(scope)).filter(
        scope.in_year("created_at")
    )
    totals = assets.aggregate(
        captured=Count("pk"), promoted=Count("pk", filter=Q(knowledge_set__isnull=False))
    )
    participants = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, meeting__community_session__in=sessions
    ).count()
    rows = [
        [text(_("Active communities")), num(counts["active"])],
        [text(_("Closed communities")), num(counts["closed"])],
        [text(_("Sessions this fiscal year")), num(sessions.count())],
        [text(_("Participants this fiscal year")), num(participants)],
        [text(_("Knowledge assets captured this fiscal year")), num(totals["captured"])],
        [text(_("…of which promoted to knowledge sets")), num(totals["promoted"])],
    ]
    return Table(
        "communities_summary",
        _("Communities of practice"),
        [_("Figure"), _("Number")],
        rows,
        note=_("Communities you may open; participants count each person at each session."),
    )
