import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.accounts.models import Unit, User
from apps.teams.models import AppointmentOrder, Membership, Role, Team, TeamKind


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"กลุ่มส่งเสริมสหกรณ์ {n}")
    short_name = factory.Sequence(lambda n: f"กสส.{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    title = "นาย"
    first_name = factory.Iterator(["สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย"])
    last_name = factory.Iterator(["ใจดี", "รักสหกรณ์", "มั่นคง", "ทองคำ"])
    position = "นักวิชาการสหกรณ์ชำนาญการ"
    unit = factory.SubFactory(UnitFactory)
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.go.th")
    password = factory.django.Password("correct-horse-battery")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"กลุ่ม KM ที่ {n}")
    kind = TeamKind.KM_GROUP


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.MEMBER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    end_date = None


class AppointmentOrderFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentOrder

    number = factory.Sequence(lambda n: n + 1)
    year = 2551
    issued_on = dt.date(2008, 3, 12)
    subject = "แต่งตั้งคณะทำงานกระบวนการจัดการความรู้"
    issuing_office = "สำนักงานสหกรณ์จังหวัดชุมพร"
