import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.experts.models import (
    Engagement,
    EngagementKind,
    Expert,
    ExpertiseArea,
    ExpertKind,
    ExpertStatus,
)
from tests.factories import UserFactory


class ExpertiseAreaFactory(DjangoModelFactory):
    class Meta:
        model = ExpertiseArea
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"ความเชี่ยวชาญ {n}")


class ExpertFactory(DjangoModelFactory):
    """An approved outside trainer unless told otherwise (``pending=True`` for a suggestion)."""

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    class Params:
        pending = factory.Trait(status=ExpertStatus.SUGGESTED, reviewed_by=None, reviewed_at=None)
        rejected = factory.Trait(status=ExpertStatus.REJECTED, review_note="ไม่ตรงกับความต้องการ")

    kind = ExpertKind.EXTERNAL
    title = "นาย"
    first_name = factory.Iterator(["ประยูร", "อรุณี", "ธนากร", "สมใจ"])
    last_name = factory.Sequence(lambda n: f"วิทยากร{n}")
    organisation = "กรมส่งเสริมสหกรณ์"
    position = "นักวิชาการสหกรณ์ชำนาญการพิเศษ"
    topics = "การจัดทำบัญชีสหกรณ์\nการอ่านงบการเงิน"
    status = ExpertStatus.APPROVED
    suggested_by = factory.SubFactory(UserFactory)
    reviewed_by = factory.SubFactory(UserFactory)
    reviewed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(extracted)


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    expert = factory.SubFactory(ExpertFactory)
    kind = EngagementKind.TRAINING
    title = factory.Sequence(lambda n: f"อบรมหลักสูตรที่ {n}")
    held_on = dt.date(2024, 3, 12)
    organiser = "สำนักงานสหกรณ์จังหวัดชุมพร"
