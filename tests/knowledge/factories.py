import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from apps.knowledge.content import render
from apps.knowledge.models import Comment, CommentKind, KnowledgeSet, SetKind, Status, Version

BODY = """## ความเป็นมา

ความรู้เรื่องการจัดตั้งสหกรณ์

## ขั้นตอน

1. ศึกษาความเป็นไปได้
2. ยื่นคำขอจดทะเบียน
"""


class KnowledgeSetFactory(DjangoModelFactory):
    """A draft; use ``make_set`` for a set in any state of the workflow."""

    class Meta:
        model = KnowledgeSet
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"ชุดความรู้ การจัดตั้งสหกรณ์ ฉบับที่ {n}")
    summary = "สรุปขั้นตอนการจัดตั้งสหกรณ์"
    body = BODY
    body_html = factory.LazyAttribute(lambda o: render(o.body).html)
    toc = factory.LazyAttribute(lambda o: render(o.body).toc)
    kind = SetKind.HOW_TO
    status = Status.DRAFT

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)

    @factory.post_generation
    def reviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.reviewers.set(extracted)


def publish_version(knowledge_set: KnowledgeSet, *, number: int | None = None, by=None) -> Version:
    """Snapshot the working copy as the next version and make it the published one."""
    number = number or knowledge_set.versions.count() + 1
    version = Version.objects.create(
        knowledge_set=knowledge_set,
        number=number,
        title=knowledge_set.title,
        summary=knowledge_set.summary,
        body=knowledge_set.body,
        body_html=knowledge_set.body_html,
        toc=knowledge_set.toc,
        published_by=by,
        published_at=timezone.now(),
    )
    knowledge_set.published_version = version
    knowledge_set.save(update_fields=["published_version"])
    return version


def make_set(status: str = Status.DRAFT, *, published: bool | None = None, **kwargs):
    """A set in ``status``; published and retired sets (or ``published=True``: a published set
    whose next version is being written) get a version 1."""
    knowledge_set = KnowledgeSetFactory(status=Status.DRAFT, **kwargs)
    if published or (published is None and status in {Status.PUBLISHED, Status.ARCHIVED}):
        publish_version(knowledge_set)
    if status != Status.DRAFT:
        knowledge_set.status = status
        knowledge_set.save(update_fields=["status"])
    return knowledge_set


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    knowledge_set = factory.SubFactory(KnowledgeSetFactory)
    kind = CommentKind.COMMENT
    body = "ขอบคุณสำหรับความรู้"
