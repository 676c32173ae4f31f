"""Demo people: the provincial cooperative office of the seed documents (สำนักงานสหกรณ์จังหวัดชุมพร).

Every demo account shares one password, printed by ``make run``; a real instance creates its
own accounts and never runs this.
"""

from django.contrib.auth.hashers import make_password

from .models import Unit, User

DEMO_PASSWORD = "km-demo-2551"  # noqa: S105 - a published demo password, by design

UNITS = [
    ("ฝ่ายบริหารทั่วไป", "บท.", 1),
    ("กลุ่มจัดตั้งและส่งเสริมสหกรณ์", "จส.", 2),
    ("กลุ่มส่งเสริมและพัฒนาการบริหารการจัดการสหกรณ์", "พบ.", 3),
    ("กลุ่มตรวจการสหกรณ์", "ตส.", 4),
    ("กลุ่มส่งเสริมสหกรณ์ 1", "กสส.1", 5),
    ("กลุ่มส่งเสริมสหกรณ์ 2", "กสส.2", 6),
]

# username, title, first, last, position, unit short name, superuser
PEOPLE = [
    ("admin", "นาย", "ผู้ดูแล", "ระบบ", "นักวิชาการคอมพิวเตอร์", "บท.", True),
    ("somchai", "นาย", "สมชาย", "รักสหกรณ์", "สหกรณ์จังหวัดชุมพร", "บท.", False),
    ("wilai", "นาง", "วิไล", "ศรีสุข", "นักวิชาการสหกรณ์ชำนาญการพิเศษ", "พบ.", False),
    ("pranee", "นางสาว", "ปราณี", "ใจดี", "นักวิชาการสหกรณ์ชำนาญการ", "พบ.", False),
    ("anan", "นาย", "อนันต์", "มั่นคง", "นักวิชาการสหกรณ์ชำนาญการ", "จส.", False),
    ("kannika", "นางสาว", "กรรณิกา", "แก้วมณี", "นักวิชาการสหกรณ์ปฏิบัติการ", "จส.", False),
    ("suwit", "นาย", "สุวิทย์", "ทองคำ", "นักวิชาการตรวจสอบบัญชีชำนาญการ", "ตส.", False),
    ("malee", "นาง", "มาลี", "บุญมา", "นักวิชาการสหกรณ์ชำนาญการ", "กสส.1", False),
    ("prasert", "นาย", "ประเสริฐ", "พูลผล", "เจ้าพนักงานส่งเสริมสหกรณ์ชำนาญงาน", "กสส.1", False),
    ("jintana", "นางสาว", "จินตนา", "สายทอง", "นักวิชาการสหกรณ์ปฏิบัติการ", "กสส.2", False),
    ("thawatchai", "นาย", "ธวัชชัย", "ศักดิ์ดี", "เจ้าพนักงานธุรการชำนาญงาน", "บท.", False),
    ("ratchanee", "นาง", "รัชนี", "วงศ์ใหญ่", "นักวิชาการสหกรณ์ชำนาญการ", "กสส.2", False),
    ("staff", "นาย", "ชาติชาย", "ขยันงาน", "เจ้าพนักงานส่งเสริมสหกรณ์ปฏิบัติงาน", "กสส.2", False),
]


def seed(stdout) -> None:
    units = {}
    for name, short, order in UNITS:
        units[short], _ = Unit.objects.get_or_create(
            name=name, defaults={"short_name": short, "order": order}
        )
    password = make_password(DEMO_PASSWORD)
    created = 0
    for username, title, first, last, position, unit, is_superuser in PEOPLE:
        _, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "title": title,
                "first_name": first,
                "last_name": last,
                "position": position,
                "unit": units[unit],
                "email": f"{username}@example.go.th",
                "phone": "0 7751 1234",
                "is_staff": is_superuser,
                "is_superuser": is_superuser,
                "password": password,
            },
        )
        created += was_created
    stdout.write(f"People: {created} created, {len(PEOPLE) - created} already there.")


# Shown by ``make run`` (``manage.py demo_logins``); later apps add their role holders.
LOGINS = [
    ("admin", "administrator (superuser) / ผู้ดูแลระบบ"),
    ("staff", "staff member / บุคลากรทั่วไป"),
]
