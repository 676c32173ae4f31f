"""Reads the viewer may not see never leave the server, on any page, export or endpoint.

GIVEN the demo office plus records only some people may open (a library document restricted to a
team, one for the KM teams only, someone else's knowledge-set draft, a draft plan, a meeting plain
staff are not invited to), each holding a word found nowhere else in its title and its text,
and visible records that point at them (a "replaced by" link, a knowledge set's library
documents, a progress report's evidence links, an action item of the meeting);
WHEN each demo role (and an anonymous visitor) opens every page it is shown (a crawl from the
home page and from search results), every export (Excel, PDF, print views), every JSON endpoint
and the secret records' own addresses;
THEN the word of a record that role may not open appears in none of the answers (spreadsheets
and PDFs are decoded first).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from urllib.parse import parse_qs, quote, urldefrag, urljoin, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.experts.models import Expert
from apps.knowledge.models import KnowledgeSet, Status
from apps.library.models import AccessLevel, Document
from apps.meetings.models import Meeting
from apps.notifications.models import Notification
from apps.plans.models import EvidenceLink, Plan, PlanStatus
from apps.search import indexing, searching
from apps.search.models import QueryStat
from apps.teams.models import Role, TeamKind
from tests.experts.factories import ExpertFactory
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.knowledge.factories import make_set
from tests.library.factories import DocumentFactory, DocumentFileFactory
from tests.meetings.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    ProgressReportFactory,
)

ROLES = ["anonymous", "staff", "anan", "suwit", "kannika", "pranee", "wilai", "somchai", "admin"]
HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#][^"']*)["']""", re.I)
SKIP = re.compile(r"^/(accounts/logout|admin/|i18n/|ops/backups/.)")
SAME_SHAPE = 3
MAX_PAGES = 500

# secret → the word only that record holds (searched for), and a second word beside it that no
# request ever carries: a page that echoes the query still names no secret.
WORDS = {
    "team_document": "zqxteamdocword",
    "km_document": "zqxkmdocword",
    "draft_set": "zqxdraftsetword",
    "draft_plan": "zqxdraftplanword",
    "meeting": "zqxmeetingword",
    "revision": "zqxrevisionword",
    "pending_expert": "zqxpendingexpertword",
}
SECOND = {key: "qqv" + key.replace("_", "") + "hush" for key in WORDS}


def may_open(user, record, key: str = "") -> bool:
    if user is None:
        return False
    if key == "revision":  # a published set's next version, still being written
        return user.has_perm("knowledge.view_working", record)
    perm = {
        Expert: "experts.view_expert",
        Document: "library.view_document",
        KnowledgeSet: "knowledge.view_set",
        Plan: "plans.view_plan",
        Meeting: "meetings.view_meeting",
    }[type(record)]
    return user.has_perm(perm, record)


def text_of(response) -> str:
    """The answer's text: HTML and JSON as they are, spreadsheets and PDFs decoded."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    if body.startswith(b"%PDF"):
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(body))
    if "image/" in kind:
        return ""
    return body.decode("utf-8", "replace")


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(part.split("=")[0] for part in parts.query.split("&") if part)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client, starts: list[str]) -> dict[str, str]:
    """Open ``starts`` and every internal page they link to (bounded per shape): url → text.
    Addresses that name a secret record are always opened, whatever their shape."""
    seen = set(starts)
    queue = deque(starts)
    shapes: dict[str, int] = {}
    texts: dict[str, str] = {}
    while queue and len(texts) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        texts[url] = f"[{response.status_code}] " + text_of(response)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(texts[url]):
            target = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP.match(target):
                continue
            seen.add(target)
            if shapes.get(shape(target), 0) >= SAME_SHAPE:
                continue
            shapes[shape(target)] = shapes.get(shape(target), 0) + 1
            queue.append(target)
    return texts


@pytest.fixture
def office(db, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    call_command("seed_demo", stdout=io.StringIO())
    outsider = UserFactory(username="outsider", first_name="คนนอก", last_name="ทีมลับ")
    closed = TeamFactory(name="กลุ่มเฉพาะกิจ", kind=TeamKind.KM_GROUP)
    MembershipFactory(person=outsider, team=closed, role=Role.MEMBER)
    km_team = Meeting.objects.first().team if Meeting.objects.exists() else None
    w = {key: f"{WORDS[key]} {SECOND[key]}" for key in WORDS}
    secrets = {
        "team_document": DocumentFileFactory(
            document__title=f"บันทึกเฉพาะกลุ่ม {w['team_document']}",
            document__access=AccessLevel.TEAM,
            document__access_team=closed,
            document__uploaded_by=outsider,
            document__agency=f"หน่วย {w['team_document']}",
            content=f"เนื้อหาเฉพาะกลุ่ม {w['team_document']}".encode(),
        ).document,
        # A regulation: search indexes its sections too, each carrying its access.
        "km_document": DocumentFileFactory(
            document__title=f"รายงานทีมงาน {w['km_document']}",
            document__doc_type="regulation",
            document__access=AccessLevel.KM_TEAM,
            document__uploaded_by=outsider,
            content=(
                f"ข้อ 1 เนื้อหาทีมงาน\nข้อ 2 เนื้อหาทีมงาน {w['km_document']}\nข้อ 3 ผู้รักษาการ"
            ).encode(),
        ).document,
        "draft_set": make_set(
            title=f"ร่างชุดความรู้ {w['draft_set']}",
            summary=f"สรุป {w['draft_set']}",
            body=f"## ร่าง\n\n{w['draft_set']}\n",
            authors=[outsider],
        ),
        "draft_plan": Plan.objects.create(
            fiscal_year=2590,
            title=f"แผนร่าง {w['draft_plan']}",
            description=f"งบประมาณเบื้องต้น {w['draft_plan']}",
            status=PlanStatus.DRAFT,
        ),
        "meeting": MeetingFactory(
            team=km_team or closed,
            number=99,
            title=f"ประชุมเฉพาะ {w['meeting']}",
            purpose=f"วาระลับ {w['meeting']}",
        ),
    }
    area = FocusAreaFactory(plan=secrets["draft_plan"], title=f"ประเด็น {w['draft_plan']}")
    state = DesiredStateFactory(
        plan=secrets["draft_plan"], focus_area=area, title=f"เป้าหมาย {w['draft_plan']}"
    )
    ActivityFactory(
        plan=secrets["draft_plan"], desired_state=state, title=f"กิจกรรม {w['draft_plan']}"
    )
    revision = make_set(
        Status.DRAFT,
        published=True,
        title="ชุดความรู้ฉบับเผยแพร่ การตรวจสอบกิจการ",
        authors=[outsider],
    )
    revision.title = f"ฉบับแก้ไข {w['revision']}"
    revision.summary = f"สรุปฉบับแก้ไข {w['revision']}"
    revision.save(update_fields=["title", "summary"])
    secrets["revision"] = revision
    secrets["pending_expert"] = ExpertFactory(
        pending=True,
        suggested_by=outsider,
        first_name="วิทยากร",
        last_name=SECOND["pending_expert"],
        topics=f"หัวข้อ {w['pending_expert']}",
    )
    # Notices that outlived access: plain staff and a KM member were told of the draft.
    for username in ("staff", "anan"):
        Notification.objects.create(
            recipient=User.objects.get(username=username),
            target=secrets["draft_set"],
            actor=outsider,
            kind="knowledge.submitted",
        )
    AgendaItemFactory(meeting=secrets["meeting"], title=f"เรื่องลับ {w['meeting']}")
    ActionItemFactory(
        meeting=secrets["meeting"], owner=outsider, description=f"งานลับ {w['meeting']}"
    )
    # Visible records that point at the secrets.
    public = DocumentFactory(title="ระเบียบฉบับเดิม เผยแพร่ทั่วไป", replaced_by=secrets["team_document"])
    published = KnowledgeSet.objects.filter(status=Status.PUBLISHED).first()
    published.documents.add(secrets["team_document"], secrets["km_document"])
    approved = Plan.objects.filter(status=PlanStatus.APPROVED).first()
    activity = approved.activity_set.first() if hasattr(approved, "activity_set") else None
    if activity is None:
        from apps.plans.models import Activity

        activity = Activity.objects.filter(plan=approved).first()
    report = ProgressReportFactory(activity=activity, reported_by=outsider)
    for record in (secrets["team_document"], secrets["km_document"], secrets["draft_set"]):
        EvidenceLink.objects.create(
            report=report,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
    # Someone who may open each indexed secret searched for it: the office dashboard's top
    # searches must not name it to anyone else.
    for key in ("team_document", "km_document", "draft_set", "draft_plan", "meeting"):
        QueryStat.objects.create(
            query=WORDS[key], day=timezone.localdate(), searches=5, zero_results=1
        )
    indexing.flush()
    yield {
        "published": published,
        "area": area,
        "state": state,
        "secrets": secrets,
        "public": public,
        "plan": approved,
        "report": report,
    }
    indexing.get_engine().close()


def addresses(office) -> list[str]:
    """What a viewer might type or be sent to, beyond the links pages show: the secrets' own
    pages, exports of every plan and meeting, JSON endpoints, list headings naming things."""
    s = office["secrets"]
    urls = [
        "/",
        office["public"].get_absolute_url(),
        office["published"].get_absolute_url(),
        f"/knowledge/{office['published'].pk}/print/",
        f"/knowledge/{s['revision'].pk}/",
        f"/knowledge/{s['revision'].pk}/working/",
        f"/knowledge/{s['revision'].pk}/history/",
        f"/knowledge/{s['revision'].pk}/print/",
        f"/experts/{s['pending_expert'].pk}/",
        "/experts/review/",
        office["report"].activity.get_absolute_url(),
        "/dashboard/office/print/",
        "/dashboard/office/dashboard.xlsx",
        "/dashboard/me/",
        "/audit/",
        "/directory/",
        "/people/outsider/",
        "/knowledge/mine/",
        "/meetings/",
        f"/meetings/{s['meeting'].pk}/",
        f"/meetings/{s['meeting'].pk}/minutes/print/",
        f"/meetings/{s['meeting'].pk}/minutes.pdf",
        f"/meetings/{s['meeting'].pk}/agenda/",
        f"/knowledge/{s['draft_set'].pk}/",
        f"/knowledge/{s['draft_set'].pk}/print/",
        f"/knowledge/{s['draft_set'].pk}/history/",
        f"/library/{s['team_document'].pk}/",
        f"/library/{s['km_document'].pk}/",
        f"/library/{s['team_document'].pk}/edit/",
        f"/library/files/{s['team_document'].files.first().pk}/",
        f"/plans/{s['draft_plan'].fiscal_year}/",
        f"/plans/{s['draft_plan'].fiscal_year}/history/",
        f"/plans/{s['draft_plan'].fiscal_year}/progress/",
    ]
    for plan in Plan.objects.all():
        y = plan.fiscal_year
        urls += [
            f"/plans/{y}/action-plan.xlsx",
            f"/plans/{y}/action-plan.pdf",
            f"/plans/{y}/progress/print/",
            f"/plans/{y}/progress/progress.xlsx",
            f"/plans/{y}/progress/progress.pdf",
        ]
    for kind in ("documents", "sets", "activities"):
        urls.append(f"/dashboard/list/{kind}/")
        for key in ("area", "state", "by_team", "group"):
            for pk in {s["team_document"].pk, s["meeting"].pk, s["meeting"].team_id}:
                urls.append(f"/dashboard/list/{kind}/?{key}={pk}")
    urls += [
        f"/dashboard/list/activities/?area={office['area'].pk}",
        f"/dashboard/list/activities/?state={office['state'].pk}",
        f"/dashboard/list/sets/?group={s['team_document'].access_team_id}",
        f"/dashboard/office/?year={s['draft_plan'].fiscal_year}",
        f"/dashboard/office/print/?year={s['draft_plan'].fiscal_year}",
        f"/dashboard/office/dashboard.xlsx?year={s['draft_plan'].fiscal_year}",
        "/dashboard/office/summary.pdf",
        f"/dashboard/office/summary.pdf?year={s['draft_plan'].fiscal_year}",
        # The shelves' counts within filters (issue 16), and filters typed in Thai.
        f"/library/?doc_type={s['team_document'].doc_type}",
        f"/library/?category={s['team_document'].category_id or ''}&doc_type=circular",
        f"/search/?q={quote('ประเภท:หนังสือเวียน')}",
        f"/search/?q={quote('ชนิด:เอกสาร')}",
        f"/dashboard/list/activities/?year={s['draft_plan'].fiscal_year}",
    ]
    for word in WORDS.values():
        for path in ("/search/", "/library/", "/knowledge/", "/experts/", "/directory/"):
            urls.append(f"{path}?q={quote(word)}")
            urls.append(f"{path}?q={quote(word[:-1] + 'x')}")  # did-you-mean
        urls += [
            f"/search/suggest/?q={quote(word[:7])}",
            f"/search/suggest/?q={quote(word)}",
            f"/experts/suggest/?q={quote(word[:7])}",
            f"/search/?q={quote(word)}&kind=document",
            f"/search/?q={quote(word)}&page=2",
        ]
    urls += ["/search/?q=zqx", "/search/?q=%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99"]
    return urls


@pytest.mark.django_db
def test_no_role_is_shown_what_it_may_not_open(client, office, monkeypatch):
    client.raise_request_exception = False
    # The crawl's own searches are probes, not statistics (else the dashboard would show a role
    # the words it just typed).
    monkeypatch.setattr(searching, "record_query", lambda text, total: None)
    secrets = office["secrets"]
    staff = User.objects.get(username="staff")
    # The matrix is not empty: plain staff may open no secret, the administrator all of them.
    assert not any(may_open(staff, record, key) for key, record in secrets.items())
    admin = User.objects.get(username="admin")
    assert all(may_open(admin, record, key) for key, record in secrets.items())
    leaks = []
    for role in ROLES:
        user = None if role == "anonymous" else User.objects.get(username=role)
        client.logout()
        if user is not None:
            client.force_login(user)
        hidden = [
            (key, word)
            for key, record in secrets.items()
            if not may_open(user, record, key)
            for word in (WORDS[key], SECOND[key])
        ]
        texts = crawl(client, addresses(office))
        for url, text in texts.items():
            lowered = text.lower()
            params = parse_qs(urlsplit(url).query)
            # The viewer's own query, echoed (also as the title of a question it may become).
            for typed in sorted(
                params.get("q", []) + params.get("title", []), key=len, reverse=True
            ):
                lowered = lowered.replace(typed.lower(), "")
            for key, word in hidden:
                if word in lowered:
                    at = lowered.index(word)
                    leaks.append(f"{role}: {key} on {url}: …{lowered[max(0, at - 80) : at + 20]!r}")
    assert leaks == [], "\n".join(leaks)
