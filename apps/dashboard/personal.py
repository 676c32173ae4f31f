"""A person's own dashboard: their activities in the year's plan, their drafts and the sets
waiting for their review, their open action items, their meetings and their communities. A
fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q

from apps.board.models import Question
from apps.board.selectors import waiting_for
from apps.community.selectors import my_communities
from apps.knowledge.models import KnowledgeSet, Status
from apps.meetings.models import ActionItem, Attendance, MeetingStatus
from apps.plans.models import Activity, ActivityStatus

from .figures import WORKING
from .figures.learning import personal_learning
from .scope import Scope

RECENT_MEETINGS = 5


def personal(scope: Scope) -> dict[str, Any]:
    """What the personal dashboard shows the viewer: their activities, drafts, action items
    and meetings in the scope's year."""
    user = scope.viewer
    activities = (
        Activity.objects.filter(plan=scope.plan, owners=user)
        if scope.plan
        else Activity.objects.none()
    )
    counts = activities.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActivityStatus.DONE)),
        late=Count("pk", filter=scope.late_filter()),
        unreported=Count("pk", filter=scope.unreported_filter()),
        average=Avg("percent", filter=~Q(status=ActivityStatus.CANCELLED)),
    )
    my_activities = list(
        activities.select_related("team")
        .annotate(needs_report=Count("pk", filter=scope.unreported_filter()))
        .order_by("end_date", "pk")
    )
    authored = KnowledgeSet.objects.filter(authors=user)
    drafts = list(
        authored.filter(status__in=WORKING)
        .select_related("published_version", "group")
        .order_by("-updated_at", "-pk")[:20]
    )
    to_review = list(
        KnowledgeSet.objects.filter(reviewers=user, status__in=[Status.SUBMITTED, Status.IN_REVIEW])
        .select_related("published_version", "group")
        .order_by("updated_at", "pk")[:20]
    )
    actions = list(
        ActionItem.objects.open()
        .filter(owner=user)
        .select_related("meeting", "activity")
        .order_by("due_date", "pk")[:30]
    )
    invitations = Attendance.objects.filter(person=user).select_related("meeting", "meeting__team")
    upcoming = list(
        invitations.filter(
            meeting__status=MeetingStatus.SCHEDULED, meeting__date__gte=scope.today
        ).order_by("meeting__date", "meeting__start_time")[:10]
    )
    recent = list(
        invitations.filter(meeting__date__lt=scope.today)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .order_by("-meeting__date", "-meeting__start_time")[:RECENT_MEETINGS]
    )
    my_questions = list(
        Question.objects.filter(asker=user)
        .select_related("accepted_answer")
        .annotate(answer_count=Count("answers", filter=Q(answers__hidden=False)))
        .order_by("-created_at", "-pk")[:10]
    )
    return {
        "my_questions": my_questions,
        "waiting_questions": list(waiting_for(user)[:10]),
        "counts": counts,
        "average": round(float(counts["average"]), 1) if counts["average"] is not None else 0,
        "activities": my_activities,
        "drafts": drafts,
        "to_review": to_review,
        "actions": actions,
        "late_actions": sum(1 for action in actions if action.due_date < scope.today),
        "upcoming": upcoming,
        "recent": recent,
        "communities": my_communities(user),
        **personal_learning(user, scope.today),
    }
