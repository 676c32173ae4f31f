import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import Unit, User


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
