"""Demo KM organisation of the seed office (seed 003): its KM team, two working groups appointed
by orders 5/2551 and 9/2551, and four KM groups, each with a knowledge topic."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from apps.accounts.models import User

from . import services
from .models import AppointmentOrder, Membership, Role, Team, TeamKind

OFFICE = "สำนักงานสหกรณ์จังหวัดชุมพร"

LOGINS = [
    ("somchai", "CKO / ผู้บริหารสูงสุดด้านการจัดการความรู้"),
    ("wilai", "KM team head / หัวหน้าทีมงาน KM"),
    ("pranee", "KM secretary / เลขานุการทีมงาน KM"),
    ("anan", "KM member / สมาชิกทีมงาน KM"),
]

TEAMS = [
    # name, kind, topic, parent name, order
    ("ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", TeamKind.KM_TEAM, "", None, 1),
    ("คณะทำงานกระบวนการจัดการความรู้", TeamKind.WORKING_GROUP, "", None, 2),
    ("คณะทำงานสร้างชุดความรู้", TeamKind.WORKING_GROUP, "", None, 3),
    ("กลุ่ม KM ที่ 1", TeamKind.KM_GROUP, "การจัดตั้งสหกรณ์และกลุ่มเกษตรกร", None, 4),
    ("กลุ่ม KM ที่ 2", TeamKind.KM_GROUP, "การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง", None, 5),
    ("กลุ่ม KM ที่ 3", TeamKind.KM_GROUP, "การพัฒนากลุ่มเกษตรกรที่ต่ำกว่าเกณฑ์มาตรฐานให้ได้มาตรฐาน", None, 6),
    ("กลุ่ม KM ที่ 4", TeamKind.KM_GROUP, "การออกเอกสารสิทธิ์ในการจัดที่ดินทำกิน", None, 7),
]

ORDERS = [
    # number, year, date, subject, teams
    (5, 2551, dt.date(2008, 3, 12), "แต่งตั้งคณะทำงานกระบวนการจัดการความรู้ (Knowledge Management)",
     ["ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", "คณะทำงานกระบวนการจัดการความรู้"]),
    (9, 2551, dt.date(2008, 4, 22), "แต่งตั้งคณะทำงานสร้างชุดความรู้และแบ่งกลุ่มจัดการความรู้ (KM) จำนวน 4 กลุ่ม",
     ["คณะทำงานสร้างชุดความรู้", "กลุ่ม KM ที่ 1", "กลุ่ม KM ที่ 2", "กลุ่ม KM ที่ 3", "กลุ่ม KM ที่ 4"]),
]  # fmt: skip

KM_TEAM, PROCESS, SETS = (TEAMS[0][0], TEAMS[1][0], TEAMS[2][0])
MEMBERSHIPS = [
    # username, team, role, order number, start, end
    ("somchai", KM_TEAM, Role.CKO, 5, dt.date(2008, 3, 12), None),
    ("wilai", KM_TEAM, Role.HEAD, 5, dt.date(2008, 3, 12), None),
    ("pranee", KM_TEAM, Role.SECRETARY, 5, dt.date(2008, 3, 12), None),
    ("anan", KM_TEAM, Role.MEMBER, 5, dt.date(2008, 3, 12), None),
    ("suwit", KM_TEAM, Role.MEMBER, 5, dt.date(2008, 3, 12), None),
    ("malee", KM_TEAM, Role.MEMBER, 5, dt.date(2008, 3, 12), None),
    # A former secretary: her term ended, so she keeps only the history.
    ("ratchanee", KM_TEAM, Role.SECRETARY, None, dt.date(2006, 10, 1), dt.date(2008, 3, 11)),
    ("wilai", PROCESS, Role.HEAD, 5, dt.date(2008, 3, 12), None),
    ("pranee", PROCESS, Role.SECRETARY, 5, dt.date(2008, 3, 12), None),
    ("kannika", PROCESS, Role.MEMBER, 5, dt.date(2008, 3, 12), None),
    ("anan", SETS, Role.HEAD, 9, dt.date(2008, 4, 22), None),
    ("jintana", SETS, Role.SECRETARY, 9, dt.date(2008, 4, 22), None),
    ("prasert", SETS, Role.MEMBER, 9, dt.date(2008, 4, 22), None),
    ("anan", "กลุ่ม KM ที่ 1", Role.HEAD, 9, dt.date(2008, 4, 22), None),
    ("kannika", "กลุ่ม KM ที่ 1", Role.MEMBER, 9, dt.date(2008, 4, 22), None),
    ("suwit", "กลุ่ม KM ที่ 2", Role.HEAD, 9, dt.date(2008, 4, 22), None),
    ("thawatchai", "กลุ่ม KM ที่ 2", Role.MEMBER, 9, dt.date(2008, 4, 22), None),
    ("malee", "กลุ่ม KM ที่ 3", Role.HEAD, 9, dt.date(2008, 4, 22), None),
    ("prasert", "กลุ่ม KM ที่ 3", Role.MEMBER, 9, dt.date(2008, 4, 22), None),
    ("jintana", "กลุ่ม KM ที่ 4", Role.HEAD, 9, dt.date(2008, 4, 22), None),
    ("staff", "กลุ่ม KM ที่ 4", Role.MEMBER, 9, dt.date(2008, 4, 22), dt.date(2010, 9, 30)),
]


def _demo_scan(number: int, year: int) -> ContentFile:
    """A one-page PDF standing in for the signed scan (Pillow writes PDFs from images)."""
    page = Image.new("RGB", (827, 1169), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 60, 767, 1109), outline=(120, 120, 120), width=2)
    draw.text((100, 120), f"ORDER No. {number}/{year}  (demo scan)", fill="black")
    for y in range(200, 900, 40):
        draw.line((100, y, 727, y), fill=(200, 200, 200), width=2)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF")
    return ContentFile(buffer.getvalue(), name=f"คำสั่งที่ {number}-{year}.pdf")


def seed(stdout) -> None:
    """Create the demo teams, orders and terms that are missing, through the services, as the
    administrator (the KM office's roles come from these very terms)."""
    admin = User.objects.get(username="admin")
    teams: dict[str, Team] = {}
    for name, kind, topic, _parent, order in TEAMS:
        team = Team.objects.filter(name=name).first()
        if team is None:
            parent = teams[KM_TEAM] if kind == TeamKind.KM_GROUP else None
            fields = {"name": name, "kind": kind, "topic": topic, "parent": parent, "order": order}
            team = services.team_create(by=admin, fields=fields)
        teams[name] = team

    orders = {}
    for number, year, issued_on, subject, team_names in ORDERS:
        order = AppointmentOrder.objects.filter(
            issuing_office=OFFICE, number=number, year=year
        ).first()
        if order is None:
            scan = _demo_scan(number, year)
            order = services.order_create(
                by=admin,
                fields={
                    "issuing_office": OFFICE,
                    "number": number,
                    "year": year,
                    "issued_on": issued_on,
                    "subject": subject,
                },
                teams=[teams[name] for name in team_names],
                scan=scan,
            )
        orders[number] = order

    people = {user.username: user for user in User.objects.all()}
    created = 0
    for username, team, role, order, start, end in MEMBERSHIPS:
        if username not in people:
            continue
        person = people[username]
        held = Membership.objects.filter(
            person=person, team=teams[team], role=role, start_date=start
        )
        if held.exists():
            continue
        fields = {
            "person": person,
            "role": role,
            "start_date": start,
            "end_date": end,
            "order": orders.get(order),
        }
        services.membership_add(by=admin, team=teams[team], fields=fields)
        created += 1
    stdout.write(f"Teams: {len(teams)}; orders: {len(orders)}; memberships: {created} created.")
