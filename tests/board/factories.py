import factory
from factory.django import DjangoModelFactory

from apps.board.models import Answer, Comment, Question
from tests.factories import UserFactory


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"คำถามเรื่องการตรวจการสหกรณ์ ข้อ {n}")
    body = "รายละเอียดของคำถาม"
    body_html = "<p>รายละเอียดของคำถาม</p>"
    asker = factory.SubFactory(UserFactory)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "คำตอบจากประสบการณ์"
    body_html = "<p>คำตอบจากประสบการณ์</p>"


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    text = "ขอบคุณครับ"
