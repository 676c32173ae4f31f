from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.core.choices import KMStep
from apps.core.thaidates import fiscal_year, fiscal_year_range
from apps.plans.models import (
    Activity,
    DesiredState,
    FocusArea,
    KnowledgeForm,
    KnowledgeNeed,
    Plan,
    PlanStatus,
    ProgressReport,
)
from tests.factories import UserFactory


def this_year() -> int:
    return fiscal_year(timezone.localdate())


class PlanFactory(DjangoModelFactory):
    """A draft plan for the current fiscal year unless told otherwise (``approved=True``)."""

    class Meta:
        model = Plan
        django_get_or_create = ["fiscal_year"]

    class Params:
        approved = factory.Trait(
            status=PlanStatus.APPROVED, version=1, approved_at=factory.LazyFunction(timezone.now)
        )
        submitted = factory.Trait(
            status=PlanStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )

    fiscal_year = factory.LazyFunction(this_year)
    title = factory.LazyAttribute(
        lambda plan: f"แผนการจัดการความรู้ ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    )
    status = PlanStatus.DRAFT


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"สร้างศูนย์เรียนรู้ด้านเกษตรและสหกรณ์ แห่งที่ {n}")


class DesiredStateFactory(DjangoModelFactory):
    class Meta:
        model = DesiredState

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"องค์กรสามารถทำฐานข้อมูลด้านสหกรณ์ ชุดที่ {n}")
    indicator = "มีฐานข้อมูลพร้อมใช้งาน"
    target = "1 ฐานข้อมูล"
    deadline = factory.LazyAttribute(lambda state: fiscal_year_range(state.plan.fiscal_year)[1])


class KnowledgeNeedFactory(DjangoModelFactory):
    class Meta:
        model = KnowledgeNeed

    plan = factory.SubFactory(PlanFactory)
    topic = factory.Sequence(lambda n: f"การตรวจการสหกรณ์ เรื่องที่ {n}")
    current_form = KnowledgeForm.PERSON


class ActivityFactory(DjangoModelFactory):
    """An activity of step 2 running through the plan's whole year, with one owner."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"ถอดบทเรียนการจัดตั้งสหกรณ์ ครั้งที่ {n}")
    km_step = KMStep.CREATE
    change_element = ""
    method = "ประชุมกลุ่มย่อยและสัมภาษณ์ผู้รู้"
    start_date = factory.LazyAttribute(lambda a: fiscal_year_range(a.plan.fiscal_year)[0])
    end_date = factory.LazyAttribute(lambda a: fiscal_year_range(a.plan.fiscal_year)[1])
    indicator = "ชุดความรู้ที่เผยแพร่"
    target = "1 ชุด"
    budget = Decimal("5000.00")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if not create:
            return
        self.owners.set(extracted if extracted is not None else [UserFactory()])


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    activity = factory.SubFactory(ActivityFactory)
    reported_by = factory.SubFactory(UserFactory)
    as_of = factory.LazyFunction(timezone.localdate)
    percent = 40
    status = "in_progress"
    narrative = "จัดประชุมกลุ่มย่อยแล้ว 2 ครั้ง"
