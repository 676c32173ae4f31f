"""How fast the office dashboard renders at demo scale (the target: a median under 300 ms).

    .venv/bin/python bench/dashboard.py [--runs N] [--keep] [--profile]
                                        [--documents 10000] [--sets 2000] [--activities 500]
                                        [--searches 50000] [--people 120]

Run on purpose; the tests never run it. Everything happens in a fresh temporary data folder
(``KM_DATA_DIR``, an embedded SQLite database; ``DATABASE_URL`` is honoured when the caller sets
it, and must then name an empty database). The developer's ``var/`` folder is never touched, and
the temporary folder is deleted at the end unless ``--keep`` is given.

1. ``migrate``, then a demo-scale office generated with ``bulk_create`` and queryset updates
   only: no ``save()``, so no signals fire (no search indexing, no audit log entries). Teams and
   people (the KM team's CKO, head and secretary, working groups, KM groups), this fiscal year's
   approved plan (focus areas, desired states, 500 activities with owners, ~1,500 progress
   reports), 10,000 documents with ~30,000 days of use, 2,000 knowledge sets in every stage
   (versions, authors, reviewers, ~20,000 readings, ~3,000 comments) and 50,000 logged searches
   over many queries and days, some of them finding nothing. Dates fall in the current fiscal
   year, up to today (at least its first 30 days).
2. Renders the office dashboard (``dashboard:office``) as the CKO with Django's test client:
   2 warm-up runs, then ``--runs`` timed runs; prints the median, p90 and minimum in ms, the SQL
   queries per render and the response size. The same for the dashboard filtered by a team and a
   KM step, its Excel export (``dashboard:office_xlsx``) and a member's personal dashboard
   (``dashboard:personal``). Any response but 200 stops the run.
3. Prints whether the office dashboard's median meets the target. With ``--profile``, and
   whenever the target is missed, it also times each figure function of ``figures.office`` on
   its own and lists the slowest SQL statements of one render with their query plans.

The settings are ``kmportal.settings.test``: DEBUG off and cached templates as in production, and
the test client's host allowed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0
WARMUP = 2
PROFILE_RUNS = 5

# What figures.office() calls, in page order: the --profile breakdown times each on its own.
FIGURES = (
    "plan_summary",
    "late_activities",
    "unreported_activities",
    "plan_by_step",
    "plan_by_area",
    "plan_by_team",
    "desired_states",
    "sets_by_stage",
    "sets_by_group",
    "sets_review_overdue",
    "new_per_month",
    "most_read_sets",
    "most_read_documents",
    "most_downloaded_documents",
    "top_searches",
    "knowledge_gaps",
    "contributors",
)

GIVEN_NAMES = (
    "สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "กัลยา", "ธนพล", "ศิริพร",
    "ชัยวัฒน์", "นงลักษณ์", "ปิยะ", "รัตนา", "สุรชัย", "วราภรณ์", "เกรียงไกร", "จันทร์เพ็ญ",
)  # fmt: skip
FAMILY_NAMES = (
    "ใจดี", "รักสงบ", "ศรีสุข", "มั่นคง", "ทองดี", "แก้วประเสริฐ", "บุญมา", "สายสุวรรณ",
    "พรหมมา", "จันทร์แก้ว", "วงศ์ไทย", "สุขเจริญ",
)  # fmt: skip
TOPICS = (
    "การตรวจการสหกรณ์", "การบัญชีสหกรณ์", "ข้อบังคับสหกรณ์", "การประชุมใหญ่", "กลุ่มเกษตรกร",
    "การชำระบัญชี", "เงินกู้ กพส.", "การจัดตั้งสหกรณ์", "การส่งเสริมสหกรณ์", "งบการเงิน",
    "การควบคุมภายใน", "ทุนเรือนหุ้น", "เงินรับฝาก", "การแก้ไขปัญหาหนี้", "ธรรมาภิบาล",
    "การเลือกตั้งกรรมการ", "ระบบ GFMIS", "การพัสดุ", "ประกันภัยพืชผล", "ยุ้งฉาง",
)  # fmt: skip
QUERY_PREFIXES = (
    "", "ระเบียบ", "หนังสือเวียน", "คู่มือ", "แบบฟอร์ม", "คำสั่ง", "แนวทาง", "ตัวอย่าง", "ขั้นตอน",
    "กฎหมาย",
)  # fmt: skip
QUERY_SUFFIXES = ("", "ล่าสุด", "2569", "2570", "ฉบับปรับปรุง")
AGENCIES = ("กรมส่งเสริมสหกรณ์", "กรมตรวจบัญชีสหกรณ์", "สำนักงานสหกรณ์จังหวัดชุมพร", "นายทะเบียนสหกรณ์")


# --- Setting up Django ------------------------------------------------------------------------
def setup_django(data_dir: Path) -> None:
    """Point the settings at the temporary data folder, then start Django."""
    os.environ["KM_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kmportal.settings.test"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def describe_database() -> str:
    from django.db import connection

    settings = connection.settings_dict
    where = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "temporary"
    return f"{connection.vendor} {settings['NAME']} ({where})"


# --- Generating the office --------------------------------------------------------------------
def cumulative(n: int, exponent: float) -> list[float]:
    """Cumulative Zipf-like weights for ``n`` items: the first ones are the popular ones."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += rank**-exponent
        out.append(total)
    return out


def unique_picks(rng, wanted: int, population: list, cum_weights, *others: list) -> list[tuple]:
    """``wanted`` distinct tuples (item, one of each of ``others``), the item drawn by weight.

    Rows unique per (thing, day) or (thing, person, day): popular things fill their days first,
    so after a few rounds the rest is drawn evenly."""
    limit = len(population)
    for other in others:
        limit *= len(other)
    wanted = min(wanted, limit)
    picked: set[tuple] = set()
    rounds = 0
    while len(picked) < wanted:
        missing = wanted - len(picked)
        if rounds < 20:
            items = rng.choices(population, cum_weights=cum_weights, k=missing)
        else:
            items = [rng.choice(population) for _ in range(missing)]
        for item in items:
            picked.add((item, *(rng.choice(other) for other in others)))
        rounds += 1
    return sorted(picked)


@contextmanager
def explicit_timestamps(*models):
    """Let ``bulk_create`` keep the ``created_at``/``updated_at`` values we set (they are
    ``auto_now_add``/``auto_now``, which would stamp every row with the present moment)."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@dataclass
class Office:
    """What the measurements need from the generated data, and what it holds."""

    year: int
    cko_id: int
    member_id: int
    team_id: int
    step: str
    counts: dict[str, int]


def generate(args, rng) -> Office:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.choices import KMStep
    from apps.core.thaidates import fiscal_year, fiscal_year_range
    from apps.knowledge.models import (
        Comment,
        CommentKind,
        KnowledgeSet,
        ReadingDay,
        SetKind,
        Status,
        Version,
    )
    from apps.library.models import AccessLevel, Document, DocumentType, DocumentUse
    from apps.plans.models import (
        Activity,
        ActivityStatus,
        ChangeElement,
        DesiredState,
        FocusArea,
        Plan,
        PlanStatus,
        PlanVersion,
        ProgressReport,
    )
    from apps.search.models import QueryStat
    from apps.teams.models import Membership, Role, Team, TeamKind

    today = timezone.localdate()
    year = fiscal_year(today)
    first_day, last_day = fiscal_year_range(year)
    elapsed = max((min(today, last_day) - first_day).days + 1, 30)
    days = [first_day + dt.timedelta(days=n) for n in range(elapsed)]
    steps = list(KMStep.values)
    counts: dict[str, int] = {}

    def moment(day: dt.date) -> dt.datetime:
        clock = dt.time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59))
        return timezone.make_aware(dt.datetime.combine(day, clock))

    def full_name() -> dict[str, str]:
        return {
            "title": rng.choice(("นาย", "นาง", "นางสาว")),
            "first_name": rng.choice(GIVEN_NAMES),
            "last_name": rng.choice(FAMILY_NAMES),
        }

    with transaction.atomic():
        # --- Teams and people ---------------------------------------------------------------
        km_team = Team(name="ทีมงาน KM", kind=TeamKind.KM_TEAM, order=0)
        working_groups = [
            Team(name=name, kind=TeamKind.WORKING_GROUP, order=n)
            for n, name in enumerate(
                (
                    "คณะทำงานกระบวนการจัดการความรู้",
                    "คณะทำงานเทคโนโลยีสารสนเทศ",
                    "คณะทำงานสื่อสารองค์กร",
                ),
                start=1,
            )
        ]
        km_groups = [
            Team(name=f"กลุ่ม KM ที่ {n}", kind=TeamKind.KM_GROUP, topic=TOPICS[n], order=10 + n)
            for n in range(1, 7)
        ]
        teams = [km_team, *working_groups, *km_groups]
        Team.objects.bulk_create(teams)
        counts["teams"] = len(teams)

        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench{n:04d}",
                    password=password,
                    position="นักวิชาการสหกรณ์",
                    **full_name(),
                )
                for n in range(args.people)
            ]
        )
        counts["people"] = len(users)
        cko, head, secretary, member = users[0], users[1], users[2], users[3]
        term = first_day - dt.timedelta(days=365)
        memberships = [
            Membership(person=cko, team=km_team, role=Role.CKO, start_date=term),
            Membership(person=head, team=km_team, role=Role.HEAD, start_date=term),
            Membership(person=secretary, team=km_team, role=Role.SECRETARY, start_date=term),
        ]
        memberships += [
            Membership(person=person, team=km_team, role=Role.MEMBER, start_date=term)
            for person in users[3:15]
        ]
        # The last tenth of the staff belongs to no team.
        in_teams = users[3 : args.people - args.people // 10]
        for team, size in [(group, 8) for group in working_groups] + [
            (group, 10) for group in km_groups
        ]:
            for person in rng.sample(in_teams, min(size, len(in_teams))):
                memberships.append(Membership(person=person, team=team, start_date=term))
        memberships.append(Membership(person=member, team=km_groups[0], start_date=term))
        Membership.objects.bulk_create(memberships)
        counts["memberships"] = len(memberships)
        workers = users[1 : max(20, len(users) * 9 // 10)]

        # --- The plan -----------------------------------------------------------------------
        approved = timezone.make_aware(
            dt.datetime.combine(first_day - dt.timedelta(days=14), dt.time(10))
        )
        (plan,) = Plan.objects.bulk_create(
            [
                Plan(
                    fiscal_year=year,
                    title=f"แผนการจัดการความรู้ ประจำปีงบประมาณ {year}",
                    status=PlanStatus.APPROVED,
                    version=1,
                    submitted_at=approved - dt.timedelta(days=7),
                    approved_at=approved,
                    approved_by=cko,
                    created_by=head,
                )
            ]
        )
        PlanVersion.objects.bulk_create(
            [PlanVersion(plan=plan, number=1, approved_at=approved, approved_by=cko)]
        )
        areas = FocusArea.objects.bulk_create(
            [
                FocusArea(plan=plan, order=n, title=f"ขอบเขต KM ที่ {n}: {TOPICS[n]}")
                for n in range(1, 7)
            ]
        )
        states = DesiredState.objects.bulk_create(
            [
                DesiredState(
                    plan=plan,
                    order=n,
                    title=f"เป้าหมาย KM ที่ {n}",
                    focus_area=areas[(n - 1) // 2],
                    indicator="ร้อยละของบุคลากรที่นำความรู้ไปใช้",
                    target="ร้อยละ 80",
                    deadline=last_day - dt.timedelta(days=rng.randint(0, 180)),
                )
                for n in range(1, 13)
            ]
        )

        # --- Activities, their owners and progress reports ----------------------------------
        activity_teams = [km_team, *working_groups, *km_groups]
        activities, owners = [], []
        for n in range(args.activities):
            if rng.random() < 0.85:
                step, element = rng.choice(steps), ""
            else:
                step, element = "", rng.choice(ChangeElement.values)
            if n % 5 == 0:  # a fifth starts in the part of the year that has passed
                start = rng.choice(days)
            else:
                start = first_day + dt.timedelta(days=rng.randint(0, 300))
            end = min(last_day, start + dt.timedelta(days=rng.randint(7, 150)))
            if end < today:
                status = rng.choices(ActivityStatus.values, weights=(10, 25, 60, 5))[0]
            elif start <= today:
                status = rng.choices(ActivityStatus.values, weights=(25, 60, 10, 5))[0]
            else:
                status = rng.choices(ActivityStatus.values, weights=(95, 0, 0, 5))[0]
            percent = {
                ActivityStatus.NOT_STARTED: 0,
                ActivityStatus.IN_PROGRESS: rng.randint(5, 95),
                ActivityStatus.DONE: 100,
                ActivityStatus.CANCELLED: rng.randint(0, 50),
            }[status]
            activities.append(
                Activity(
                    plan=plan,
                    order=n,
                    title=f"กิจกรรมที่ {n + 1}: {rng.choice(TOPICS)}",
                    km_step=step,
                    change_element=element,
                    desired_state=rng.choice(states) if rng.random() < 0.9 else None,
                    team=rng.choice(activity_teams) if rng.random() < 0.92 else None,
                    start_date=start,
                    end_date=end,
                    indicator="จำนวนผู้เข้าร่วม",
                    target="30 คน",
                    status=status,
                    percent=percent,
                )
            )
            people = rng.sample(workers, rng.randint(1, 2))
            if n % 20 == 0 and member not in people:
                people.append(member)
            owners.append(people)
        # Reports on four fifths of the activities that have started, dated since they started.
        started = [n for n, a in enumerate(activities) if a.start_date <= today]
        reported = [n for n in started if rng.random() < 0.8] or started
        planned_reports = []
        for _ in range(args.reports if reported else 0):
            n = rng.choice(reported)
            activity = activities[n]
            span = (min(today, activity.end_date) - activity.start_date).days
            as_of = activity.start_date + dt.timedelta(days=rng.randint(0, max(span, 0)))
            planned_reports.append((n, as_of))
            if activity.last_reported_on is None or as_of > activity.last_reported_on:
                activity.last_reported_on = as_of
        Activity.objects.bulk_create(activities)
        Activity.owners.through.objects.bulk_create(
            [
                Activity.owners.through(activity_id=activities[n].pk, user_id=person.pk)
                for n, people in enumerate(owners)
                for person in people
            ]
        )
        reports = []
        for n, as_of in planned_reports:
            activity = activities[n]
            done = activity.status == ActivityStatus.DONE
            when = moment(as_of)
            reports.append(
                ProgressReport(
                    activity_id=activity.pk,
                    reported_by=rng.choice(owners[n]),
                    as_of=as_of,
                    percent=100 if done else rng.randint(0, max(activity.percent, 0)),
                    status=activity.status,
                    narrative="ดำเนินการตามแผน จัดประชุมและสรุปผลแล้ว",
                    created_at=when,
                    updated_at=when,
                )
            )
        with explicit_timestamps(ProgressReport):
            ProgressReport.objects.bulk_create(reports, batch_size=1000)
        counts["activities"] = len(activities)
        counts["reports"] = len(reports)

        # --- Documents and their use --------------------------------------------------------
        contributors = workers[:40]
        documents = []
        for n in range(args.documents):
            access_roll = rng.random()
            access, access_team = AccessLevel.ALL_STAFF, None
            if access_roll > 0.95:
                access, access_team = AccessLevel.TEAM, rng.choice(teams)
            elif access_roll > 0.90:
                access = AccessLevel.KM_TEAM
            when = moment(rng.choice(days))
            documents.append(
                Document(
                    title=f"เอกสาร เรื่อง {rng.choice(TOPICS)} ฉบับที่ {n + 1}",
                    doc_type=rng.choice(DocumentType.values),
                    number=f"กษ 1108/ว {n + 1}",
                    agency=rng.choice(AGENCIES),
                    issued_on=when.date() - dt.timedelta(days=rng.randint(0, 400)),
                    km_step=rng.choice([*steps, ""]),
                    access=access,
                    access_team=access_team,
                    uploaded_by=rng.choice(contributors),
                    created_at=when,
                    updated_at=when,
                )
            )
        with explicit_timestamps(Document):
            Document.objects.bulk_create(documents, batch_size=1000)
        counts["documents"] = len(documents)
        document_ids = [d.pk for d in documents]
        rng.shuffle(document_ids)  # popularity does not follow the order of addition
        uses = []
        for document_id, day in unique_picks(
            rng, args.uses, document_ids, cumulative(len(document_ids), 0.8), days
        ):
            views = rng.randint(1, 20)
            uses.append(
                DocumentUse(
                    document_id=document_id, day=day, views=views, downloads=rng.randint(0, views)
                )
            )
        DocumentUse.objects.bulk_create(uses, batch_size=2000)
        counts["document_uses"] = len(uses)

        # --- Knowledge sets -----------------------------------------------------------------
        groups = [*km_groups, *working_groups]
        stages = (
            Status.DRAFT,
            Status.SUBMITTED,
            Status.IN_REVIEW,
            Status.APPROVED,
            Status.PUBLISHED,
            Status.ARCHIVED,
        )
        sets, finals, first_published, authors, reviewers = [], [], [], [], []
        for n in range(args.sets):
            final = rng.choices(stages, weights=(25, 8, 7, 5, 50, 5))[0]
            # Published and retired sets have a version; so does a fifth of the others (a new
            # version of a published set under way).
            published = final in (Status.PUBLISHED, Status.ARCHIVED) or rng.random() < 0.2
            created = moment(rng.choice(days))
            publish_day = min(days[-1], created.date() + dt.timedelta(days=rng.randint(0, 20)))
            publish = moment(publish_day) if published else None
            review_due = None
            if published:
                overdue = rng.random() < 0.12
                review_due = (
                    today - dt.timedelta(days=rng.randint(1, 200))
                    if overdue
                    else publish_day + dt.timedelta(days=365)
                )
            title = f"ชุดความรู้ {rng.choice(TOPICS)} ฉบับที่ {n + 1}"
            # A published or retired set takes its status once its version exists.
            initial = Status.APPROVED if final in (Status.PUBLISHED, Status.ARCHIVED) else final
            sets.append(
                KnowledgeSet(
                    title=title,
                    summary="สรุปประเด็นสำคัญและขั้นตอนการปฏิบัติงาน",
                    body="## ขั้นตอน\n\n1. เตรียมเอกสาร\n2. ตรวจสอบ\n3. สรุปผล\n",
                    kind=rng.choice(SetKind.values),
                    group=rng.choice(groups) if rng.random() < 0.95 else None,
                    km_step=rng.choice([*steps, ""]),
                    review_due=review_due,
                    status=initial,
                    created_by=head,
                    created_at=created,
                    updated_at=max(created, publish) if publish else created,
                )
            )
            finals.append(final)
            first_published.append(publish)
            writers = rng.sample(workers, rng.randint(1, 3))
            if n % 40 == 0 and member not in writers:
                writers.append(member)
            authors.append(writers)
            if final in (Status.SUBMITTED, Status.IN_REVIEW):
                reviewer = member if n % 10 == 0 else rng.choice(users[1:15])
                reviewers.append((n, reviewer))
        with explicit_timestamps(KnowledgeSet):
            KnowledgeSet.objects.bulk_create(sets, batch_size=1000)
        counts["sets"] = len(sets)
        KnowledgeSet.authors.through.objects.bulk_create(
            [
                KnowledgeSet.authors.through(knowledgeset_id=sets[n].pk, user_id=person.pk)
                for n, people in enumerate(authors)
                for person in people
            ],
            batch_size=2000,
        )
        KnowledgeSet.reviewers.through.objects.bulk_create(
            [
                KnowledgeSet.reviewers.through(knowledgeset_id=sets[n].pk, user_id=person.pk)
                for n, person in reviewers
            ]
        )
        versions, latest = [], {}
        for n, publish in enumerate(first_published):
            if publish is None:
                continue
            number_of_versions = 2 if rng.random() < 0.1 else 1
            for number in range(1, number_of_versions + 1):
                when = publish + dt.timedelta(days=(number - 1) * rng.randint(1, 20))
                version = Version(
                    knowledge_set_id=sets[n].pk,
                    number=number,
                    title=sets[n].title,
                    summary=sets[n].summary,
                    body=sets[n].body,
                    published_by=head,
                    published_at=min(when, timezone.now()),
                )
                versions.append(version)
                latest[n] = version
        Version.objects.bulk_create(versions, batch_size=1000)
        counts["versions"] = len(versions)
        for n, version in latest.items():
            sets[n].published_version_id = version.pk
            sets[n].status = finals[n]
        KnowledgeSet.objects.bulk_update(
            [sets[n] for n in latest], ["published_version", "status"], batch_size=500
        )
        public = [
            sets[n].pk for n in range(len(sets)) if n in latest and finals[n] != Status.ARCHIVED
        ]
        counts["public_sets"] = len(public)
        rng.shuffle(public)
        readings = [
            ReadingDay(knowledge_set_id=set_id, person_id=person_id, day=day)
            for set_id, person_id, day in unique_picks(
                rng,
                args.readings,
                public,
                cumulative(len(public), 0.7),
                [user.pk for user in users],
                days,
            )
        ]
        ReadingDay.objects.bulk_create(readings, batch_size=2000)
        counts["readings"] = len(readings)
        per_set = (
            ReadingDay.objects.filter(knowledge_set=OuterRef("pk"))
            .values("knowledge_set")
            .annotate(n=Count("pk"))
            .values("n")
        )
        KnowledgeSet.objects.update(view_count=Coalesce(Subquery(per_set), 0))
        set_ids = [s.pk for s in sets]
        comment_weights = cumulative(len(set_ids), 0.6)
        comments = []
        for set_id in rng.choices(set_ids, cum_weights=comment_weights, k=args.comments):
            when = moment(rng.choice(days))
            comments.append(
                Comment(
                    knowledge_set_id=set_id,
                    author=rng.choice(users),
                    kind=rng.choice(CommentKind.values),
                    body="ขอบคุณสำหรับความรู้ มีคำถามเพิ่มเติมเรื่องขั้นตอนที่ 2",
                    created_at=when,
                    updated_at=when,
                )
            )
        with explicit_timestamps(Comment):
            Comment.objects.bulk_create(comments, batch_size=1000)
        counts["comments"] = len(comments)

        # --- Searches: one row per (query, day), the counters summing to --searches ---------
        queries = search_queries(rng, max(50, args.searches // 60))
        tally = Counter(
            (query, rng.choice(days))
            for query in rng.choices(
                queries, cum_weights=cumulative(len(queries), 1.0), k=args.searches
            )
        )
        gaps = {q for rank, q in enumerate(queries) if rank >= 10 and rng.random() < 0.2}
        partly = {q for rank, q in enumerate(queries) if q not in gaps and rng.random() < 0.1}
        stats = []
        for (query, day), searches in sorted(tally.items()):
            if query in gaps:
                zero = searches
            elif query in partly:
                zero = round(searches * rng.uniform(0.0, 0.5))
            else:
                zero = 0
            stats.append(QueryStat(query=query, day=day, searches=searches, zero_results=zero))
        QueryStat.objects.bulk_create(stats, batch_size=2000)
        totals = QueryStat.objects.aggregate(searches=Sum("searches"), zero=Sum("zero_results"))
        if totals["searches"] != args.searches:
            raise SystemExit(f"searches sum to {totals['searches']}, not {args.searches}")
        counts["search_rows"] = len(stats)
        counts["queries"] = len({query for query, _day in tally})
        counts["searches"] = totals["searches"]
        counts["zero_searches"] = totals["zero"]

    busiest = Counter(a.team_id for a in activities if a.team_id and a.km_step)
    team_id = busiest.most_common(1)[0][0]
    step = Counter(a.km_step for a in activities if a.team_id == team_id and a.km_step)
    return Office(
        year=year,
        cko_id=cko.pk,
        member_id=member.pk,
        team_id=team_id,
        step=step.most_common(1)[0][0],
        counts=counts,
    )


def search_queries(rng, wanted: int) -> list[str]:
    """``wanted`` distinct queries as staff would type them, in a shuffled order (the order is
    the popularity)."""
    queries = [
        " ".join(part for part in (prefix, topic, suffix) if part)
        for prefix in QUERY_PREFIXES
        for topic in TOPICS
        for suffix in QUERY_SUFFIXES
    ]
    queries += [prefix for prefix in QUERY_PREFIXES if prefix]
    rng.shuffle(queries)
    n = 1
    while len(queries) < wanted:
        queries.append(f"{rng.choice(TOPICS)} เลขที่ {n}")
        n += 1
    return queries[:wanted]


# --- Measuring ------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Timing:
    label: str
    times: list[float]
    queries: int
    size: int

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def line(self, extra: str = "") -> str:
        return (
            f"{self.label}: median {self.median:.1f} ms "
            f"(p90 {percentile(self.times, 0.9):.1f}, min {min(self.times):.1f}) "
            f"over {len(self.times)} runs, {self.queries} queries, {self.size / 1024:,.0f} KB"
            + (f", {extra}" if extra else "")
        )


def fetch(client, url: str, content_type: str):
    response = client.get(url)
    if response.status_code != 200:
        body = response.content[:500].decode("utf-8", "replace")
        raise SystemExit(
            f"FAILED: GET {url} answered {response.status_code} "
            f"(Location: {response.get('Location', '-')}): {body}"
        )
    if not response["Content-Type"].startswith(content_type):
        raise SystemExit(f"FAILED: GET {url} answered {response['Content-Type']}")
    return response


def measure(label: str, client, url: str, runs: int, content_type: str = "text/html") -> Timing:
    """Two warm-up requests (the first counts the SQL queries), then ``runs`` timed ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, url, content_type)
    # Read now: the captured list is a slice of the connection's log, which each request clears.
    queries = len(captured.captured_queries)
    for _ in range(WARMUP - 1):
        fetch(client, url, content_type)
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = fetch(client, url, content_type)
        times.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
    return Timing(label, times, queries, size)


def profile(office: Office, page_median: float) -> None:
    """Each figure function of ``figures.office`` timed on its own, and the slowest SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from apps.accounts.models import User
    from apps.dashboard import figures
    from apps.dashboard.scope import Scope

    cko = User.objects.get(pk=office.cko_id)
    with translation.override("th"):
        scope = Scope(office.year, None, "", cko, timezone.localdate())
        sections = figures.office(scope)  # also caches the plan and the CKO's roles
        tables = sum(len(section.tables) for section in sections)
        if tables != len(FIGURES):
            print(f"note: figures.office() has {tables} tables, this script times {len(FIGURES)}")
        rows = []
        for name in FIGURES:
            function = getattr(figures, name)
            with CaptureQueriesContext(connection) as captured:
                function(scope)
            times = []
            for _ in range(PROFILE_RUNS):
                started = time.perf_counter()
                function(scope)
                times.append((time.perf_counter() - started) * 1000)
            rows.append((statistics.median(times), name, len(captured.captured_queries)))
        whole = []
        for _ in range(PROFILE_RUNS):
            started = time.perf_counter()
            figures.office(scope)
            whole.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            figures.office(scope)
    print(f"\nprofile: each figure function on its own, median of {PROFILE_RUNS} runs")
    for median, name, queries in sorted(rows, reverse=True):
        print(f"  {name:<28} {median:8.1f} ms  {queries:3d} queries")
    print(f"  {'(sum)':<28} {sum(row[0] for row in rows):8.1f} ms")
    office_ms = statistics.median(whole)
    print(
        f"figures.office(): median {office_ms:.1f} ms of the page's {page_median:.1f} ms; "
        f"the rest (template, middleware, session, filters) {page_median - office_ms:.1f} ms"
    )
    print_slowest_sql([query["sql"] for query in captured.captured_queries])


def print_slowest_sql(statements: list[str], top: int = 5) -> None:
    """Run each statement of one render again, timed, and show the slowest with their plans."""
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for sql in statements:
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timed.append(((time.perf_counter() - started) * 1000, sql))
    timed.sort(reverse=True)
    total = sum(ms for ms, _sql in timed)
    print(f"\nslowest SQL of one figures.office() ({len(timed)} statements, {total:.1f} ms):")
    with connection.cursor() as cursor:
        for ms, sql in timed[:top]:
            print(f"  {ms:7.1f} ms  {' '.join(sql.split())[:230]}")
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = "; ".join(row[-1] for row in cursor.fetchall())
                print(f"             plan: {plan[:400]}")


def run(args, data_dir: Path) -> None:
    setup_django(data_dir)
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    from apps.accounts.models import User
    from apps.library.models import Document

    print(f"database: {describe_database()}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    if User.objects.exists() or Document.objects.exists():
        raise SystemExit("the database is not empty: the bench needs an empty one")

    rng = random.Random(args.seed)  # noqa: S311 - demo data, not secrets
    started = time.perf_counter()
    office = generate(args, rng)
    generated = time.perf_counter() - started
    c = office.counts
    print(
        f"data: {c['documents']:,} documents ({c['document_uses']:,} days of use), "
        f"{c['sets']:,} knowledge sets ({c['public_sets']:,} public, {c['versions']:,} versions, "
        f"{c['readings']:,} readings, {c['comments']:,} comments), "
        f"{c['activities']:,} activities ({c['reports']:,} progress reports), "
        f"{c['searches']:,} searches ({c['zero_searches']:,} without results; "
        f"{c['queries']:,} queries, {c['search_rows']:,} query-day rows), "
        f"{c['people']:,} people in {c['teams']} teams; fiscal year {office.year}"
    )
    print(f"generated in {generated:.1f} s (migrate {migrated:.1f} s)")

    cko_client, member_client = Client(), Client()
    cko_client.force_login(User.objects.get(pk=office.cko_id))
    member_client.force_login(User.objects.get(pk=office.member_id))
    office_url = reverse("dashboard:office")
    filtered_url = f"{office_url}?{urlencode({'team': office.team_id, 'step': office.step})}"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    scale = (
        f"{c['documents']:,} documents / {c['sets']:,} sets / "
        f"{c['activities']:,} activities / {c['searches']:,} searches"
    )
    page = measure("office dashboard", cko_client, office_url, args.runs)
    print(page.line(scale))
    filtered = measure(
        f"office dashboard, team {office.team_id} + step {office.step}",
        cko_client,
        filtered_url,
        args.runs,
    )
    print(filtered.line())
    excel = measure(
        "Excel export", cko_client, reverse("dashboard:office_xlsx"), args.runs, content_type=xlsx
    )
    print(excel.line())
    personal = measure(
        "personal dashboard", member_client, reverse("dashboard:personal"), args.runs
    )
    print(personal.line())

    met = page.median < TARGET_MS
    if args.profile or not met:
        profile(office, page.median)
    verdict = "met" if met else "NOT met"
    print(
        f"\ntarget: office dashboard median {page.median:.1f} ms "
        f"{'<' if met else '>='} {TARGET_MS:.0f} ms: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="timed renders per page")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--sets", type=int, default=2_000, help="knowledge sets")
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--searches", type=int, default=50_000, help="logged searches")
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--reports", type=int, default=1_500, help="progress reports")
    parser.add_argument("--uses", type=int, default=30_000, help="document-use rows (doc, day)")
    parser.add_argument("--readings", type=int, default=20_000, help="knowledge-set readings")
    parser.add_argument("--comments", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2570)
    parser.add_argument("--profile", action="store_true", help="time each figure function")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    if args.people < 20:
        parser.error("--people must be at least 20")
    if min(args.runs, args.documents, args.sets, args.activities, args.searches) < 1:
        parser.error("--runs, --documents, --sets, --activities and --searches must be positive")

    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="km-bench-dashboard-"))
    try:
        run(args, data_dir)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"data folder kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
        print(f"total: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
