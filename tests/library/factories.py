import hashlib

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from apps.library.models import AccessLevel, Category, Document, DocumentFile, DocumentType, Tag


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["name", "parent"]

    name = factory.Sequence(lambda n: f"หมวด {n}")
    parent = None


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"คำสำคัญ {n}")


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"หนังสือเวียน เรื่อง การจัดทำบัญชีสหกรณ์ ฉบับที่ {n}")
    doc_type = DocumentType.CIRCULAR
    number = factory.Sequence(lambda n: f"กษ 1108/ว {n}")
    agency = "กรมส่งเสริมสหกรณ์"
    access = AccessLevel.ALL_STAFF


class DocumentFileFactory(DjangoModelFactory):
    """A plain-text file whose text is already extracted (no child process needed)."""

    class Meta:
        model = DocumentFile

    class Params:
        content = factory.Sequence(lambda n: f"เนื้อหาหนังสือเวียนฉบับที่ {n}".encode())

    document = factory.SubFactory(DocumentFactory)
    original_name = "หนังสือเวียน.txt"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="doc.txt"))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    mime = "text/plain"
    kind_label = "Text"
    is_main = True
    text = factory.LazyAttribute(lambda o: o.content.decode())
    text_status = "done"
