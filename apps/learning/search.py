"""Learning and development in search: events for every staff member; mentoring pairs and job
rotations only for the people in them and the KM roles (secretary, head, CKO; administrators
see everything)."""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register
from apps.core.thaidates import be_year

from .models import LearningEvent, MentoringPair, MentoringSession, Rotation, SkillItem

KM_ROLES = ["role:secretary", "role:head", "role:cko"]


def event_fields(event: LearningEvent) -> dict:
    return {
        "title": event.title,
        "body": "\n".join(
            [event.get_kind_display(), event.place, event.description, event.aar_keep]
        ),
        "date": event.date,
        "year": be_year(event.date.year),
        "access": "all",
    }


def pair_fields(pair: MentoringPair) -> dict:
    parts = [pair.job, pair.goals]
    parts += [session.learned for session in ordered(pair.sessions.all(), lambda s: s.held_on)]
    parts += [skill.skill for skill in ordered(pair.skills.all(), lambda s: s.order)]
    return {
        "title": str(pair),
        "body": "\n".join(part for part in parts if part),
        "date": pair.starts_on,
        "access": "team",
        "access_team": KM_ROLES,
        "owner": sorted({pair.mentor_id, pair.mentee_id}),
    }


def rotation_fields(rotation: Rotation) -> dict:
    parts = [
        rotation.get_kind_display(),
        rotation.from_job,
        rotation.to_job,
        rotation.learned,
        rotation.aar_keep,
        rotation.aar_change,
    ]
    return {
        "title": str(rotation),
        "body": "\n".join(part for part in parts if part),
        "date": rotation.starts_on,
        "access": "team",
        "access_team": KM_ROLES,
        "owner": [rotation.person_id],
    }


register(
    Searchable(
        kind="learning_event",
        model=LearningEvent,
        label=_("Learning events"),
        icon="easel",
        fields=event_fields,
        visible=lambda user: LearningEvent.objects.visible_to(user),
        may_open=lambda user, event: user.has_perm("learning.view_event", event),
        snippet=lambda event: event.description,
    )
)
register(
    Searchable(
        kind="mentoring_pair",
        model=MentoringPair,
        label=_("Mentoring"),
        icon="people",
        fields=pair_fields,
        visible=lambda user: MentoringPair.objects.visible_to(user),
        may_open=lambda user, pair: user.has_perm("learning.view_pair", pair),
        queryset=lambda: MentoringPair.objects.select_related("mentor", "mentee").prefetch_related(
            "sessions", "skills"
        ),
        snippet=lambda pair: pair.goals,
        depends={
            MentoringSession: lambda row: [row.pair_id],
            SkillItem: lambda row: [row.pair_id],
        },
    )
)
register(
    Searchable(
        kind="rotation",
        model=Rotation,
        label=_("Job rotations"),
        icon="arrow-left-right",
        fields=rotation_fields,
        visible=lambda user: Rotation.objects.visible_to(user),
        may_open=lambda user, rotation: user.has_perm("learning.view_rotation", rotation),
        queryset=lambda: Rotation.objects.select_related("person"),
        snippet=lambda rotation: rotation.learned,
    )
)
