"""Communities of practice for tests, made through the services as people make them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.community import services
from apps.community.data import AssetData, CommunityData, SessionData, SessionNotes
from apps.community.models import Access, Community, KnowledgeAsset, MemberRole, Session
from tests.factories import UserFactory


def make_community(
    *,
    by,
    name: str = "ชุมชนนักปฏิบัติการตรวจการสหกรณ์",
    access: str = Access.OPEN,
    facilitators=(),
    practitioners=(),
    note_takers=(),
    activity=None,
    domain: str = "การตรวจการสหกรณ์",
) -> Community:
    community = services.community_create(
        by=by,
        data=CommunityData(name=name, domain=domain, access=access, activity=activity),
        facilitators=list(facilitators),
    )
    for role, people in (
        (MemberRole.PRACTITIONER, practitioners),
        (MemberRole.NOTE_TAKER, note_takers),
    ):
        if people:
            services.members_add(by=by, community=community, people=list(people), role=role)
    return community


def make_session(
    community: Community,
    *,
    by,
    days_ago: int = 3,
    title: str = "วงแลกเปลี่ยนเรื่องการตรวจนับเงินสด",
    aar: bool = True,
) -> Session:
    session = services.session_schedule(
        by=by,
        community=community,
        data=SessionData(
            title=title,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            start_time=dt.time(9, 30),
            place="ห้องประชุมกลุ่มตรวจการสหกรณ์",
            bar_goal="อยากรู้วิธีตรวจนับเงินสดให้รวดเร็ว",
        ),
    )
    if aar:
        session = services.session_notes_save(
            by=by,
            session=session,
            notes=SessionNotes(
                aar_expected="ได้วิธีตรวจนับที่ใช้ร่วมกัน",
                aar_happened="ได้ขั้นตอนสามขั้น",
                aar_keep="เล่ากรณีจริง",
                stories="เรื่องเล่าการตรวจนับเงินสดที่สหกรณ์ออมทรัพย์",
            ),
        )
    return session


def make_asset(
    community: Community,
    *,
    by,
    session: Session | None = None,
    title: str = "ตรวจนับเงินสดร่วมกับกรรมการ",
    who_to_ask=(),
) -> KnowledgeAsset:
    return services.asset_create(
        by=by,
        community=community,
        session=session,
        data=AssetData(
            title=title,
            context="ยอดเงินสดไม่ตรงกับบัญชี",
            what_we_did="ตรวจนับพร้อมกรรมการ",
            what_we_learned="มักมาจากการไม่ออกใบเสร็จ",
            tips="- ใช้ใบเสร็จเล่มเดียว",
            who_to_ask=list(who_to_ask),
        ),
    )


def community_with_work(
    *,
    by,
    facilitator=None,
    activity=None,
    access: str = Access.OPEN,
    name: str = "ชุมชนนักปฏิบัติการตรวจการสหกรณ์",
):
    """A community with a session (BAR and AAR written) and an asset from it."""
    facilitator = facilitator or UserFactory()
    community = make_community(
        by=by, name=name, access=access, facilitators=[facilitator], activity=activity
    )
    session = make_session(community, by=facilitator)
    asset = make_asset(community, by=facilitator, session=session, who_to_ask=[facilitator])
    return {"community": community, "session": session, "asset": asset, "facilitator": facilitator}
