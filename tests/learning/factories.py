"""Records of learning and development for tests, made directly (the services are tested on
their own)."""

import datetime as dt

from django.utils import timezone

from apps.learning.models import (
    EventKind,
    LearningEvent,
    MentoringPair,
    Registration,
    RegStatus,
    Rotation,
    SkillItem,
)
from tests.factories import UserFactory


def make_event(*, by=None, organisers=(), **fields) -> LearningEvent:
    today = timezone.localdate()
    values = {
        "title": "อบรมการตรวจการสหกรณ์เบื้องต้น",
        "kind": EventKind.TRAINING,
        "km_step": "share",
        "date": today,
        "start_time": dt.time(9, 0),
        "end_time": dt.time(12, 0),
        "place": "ห้องประชุมสำนักงาน",
        "seats": 10,
        "registration_closes": today,
        **fields,
    }
    event = LearningEvent.objects.create(created_by=by, **values)
    event.organisers.set([*(organisers or ()), *([by] if by else [])])
    return event


def register(event, person, *, status=RegStatus.CONFIRMED, attended=False) -> Registration:
    return Registration.objects.create(
        event=event, person=person, status=status, queued_at=timezone.now(), attended=attended
    )


def make_pair(*, mentor=None, mentee=None, skills=(), **fields) -> MentoringPair:
    pair = MentoringPair.objects.create(
        mentor=mentor or UserFactory(),
        mentee=mentee or UserFactory(),
        topic=fields.pop("topic", "การจัดตั้งสหกรณ์"),
        starts_on=fields.pop("starts_on", dt.date(2026, 6, 1)),
        **fields,
    )
    for order, skill in enumerate(skills):
        SkillItem.objects.create(pair=pair, skill=skill, order=order)
    return pair


def make_rotation(*, person=None, **fields) -> Rotation:
    values = {
        "from_unit": "กลุ่มส่งเสริมสหกรณ์ 2",
        "to_unit": "กลุ่มตรวจการสหกรณ์",
        "starts_on": dt.date(2026, 4, 1),
        **fields,
    }
    return Rotation.objects.create(person=person or UserFactory(), **values)
