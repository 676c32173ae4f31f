import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.core.thaidates import fiscal_year
from apps.meetings.models import ActionItem, AgendaItem, AgendaSection, Attendance, Meeting, Minutes
from tests.factories import TeamFactory, UserFactory


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory, name="ทีมงาน KM", kind="km_team")
    title = "การประชุมคณะทำงานการจัดการความรู้"
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    fiscal_year = factory.LazyAttribute(lambda m: fiscal_year(m.date))
    number = factory.Sequence(lambda n: n + 1)
    start_time = dt.time(9, 30)
    end_time = dt.time(12, 0)
    place = "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(UserFactory)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    section = AgendaSection.CONSIDERATION
    title = factory.Sequence(lambda n: f"พิจารณาแนวทางการจัดทำชุดความรู้ ข้อ {n}")


class MinutesFactory(DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)
    opened_at = dt.time(9, 30)
    closed_at = dt.time(11, 45)
    recorder = factory.SubFactory(UserFactory)


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"ส่งร่างชุดความรู้ให้คณะทำงาน ฉบับที่ {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
