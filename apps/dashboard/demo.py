"""Demo usage for the dashboard: a few weeks of document views and downloads, readings of the
published knowledge sets and searches (some of them finding nothing), so the statistics are not
empty on a fresh demo. Deterministic, and loaded only once."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User
from apps.knowledge.models import KnowledgeSet, ReadingDay
from apps.library.models import Document, DocumentUse
from apps.search.models import QueryStat

DAYS = 45
# What staff of a cooperative office search for; the last ones are not in the demo library.
QUERIES = [
    ("ระเบียบ", 40, False),
    ("หนังสือเวียน", 32, False),
    ("การตรวจการสหกรณ์", 21, False),
    ("กลุ่มเกษตรกร", 18, False),
    ("ชุดความรู้", 15, False),
    ("ข้อบังคับสหกรณ์", 12, False),
    ("งบการเงิน", 9, False),
    ("ประกันภัยพืชผล", 7, True),
    ("สินเชื่อเพื่อที่อยู่อาศัย", 5, True),
    ("ภาษีที่ดินและสิ่งปลูกสร้าง", 4, True),
    ("บัญชีครัวเรือน", 3, True),
]


def seed(stdout) -> None:
    if DocumentUse.objects.exists() or QueryStat.objects.exists():
        stdout.write("Dashboard: usage figures already exist; nothing added.")
        return
    rng = random.Random(2551)  # noqa: S311 - demo figures, not secrets
    today = timezone.localdate()
    days = [today - dt.timedelta(days=n) for n in range(DAYS)]
    uses = []
    for index, document_id in enumerate(
        Document.objects.order_by("pk").values_list("pk", flat=True)
    ):
        popularity = max(1, 8 - index)  # the first documents are the popular ones
        for day in rng.sample(days, k=min(len(days), 3 + popularity * 2)):
            views = rng.randint(1, popularity + 2)
            uses.append(
                DocumentUse(
                    document_id=document_id,
                    day=day,
                    views=views,
                    downloads=rng.randint(0, views),
                )
            )
    DocumentUse.objects.bulk_create(uses)
    readers = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    readings = []
    for knowledge_set in KnowledgeSet.objects.public().values_list("pk", flat=True):
        for person in rng.sample(readers, k=min(len(readers), rng.randint(2, 8))):
            readings.append(
                ReadingDay(knowledge_set_id=knowledge_set, person_id=person, day=rng.choice(days))
            )
    ReadingDay.objects.bulk_create(readings, ignore_conflicts=True)
    # A set's view count is its readings, one a person a day.
    per_set = (
        ReadingDay.objects.filter(knowledge_set=OuterRef("pk"))
        .values("knowledge_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    KnowledgeSet.objects.update(view_count=Coalesce(Subquery(per_set), 0))
    stats = []
    for query, searches, finds_nothing in QUERIES:
        spread = rng.sample(days, k=min(len(days), max(1, searches // 3)))
        per_day = [searches // len(spread)] * len(spread)
        per_day[0] += searches - sum(per_day)
        for day, count in zip(spread, per_day, strict=True):
            stats.append(
                QueryStat(
                    query=query, day=day, searches=count, zero_results=count if finds_nothing else 0
                )
            )
    QueryStat.objects.bulk_create(stats)
    stdout.write(
        f"Dashboard: {len(uses)} days of document use, {len(readings)} readings, "
        f"{len(stats)} days of searches."
    )
