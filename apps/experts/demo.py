"""Demo expert directory (ทำเนียบวิทยากรเครือข่าย, a desired state of seed 003): two of our own
staff, three outside trainers, their talks and trainings in B.E. 2566–2568, and one suggestion
waiting for the KM secretary."""

import datetime as dt

from apps.accounts.models import User
from apps.notifications.services import no_email

from . import services
from .models import EngagementKind, Expert, ExpertKind

AREAS = [
    "การบัญชีสหกรณ์",
    "การตรวจการสหกรณ์",
    "การจัดตั้งสหกรณ์",
    "กฎหมายสหกรณ์",
    "การตลาดสินค้าเกษตร",
    "การจัดการความรู้",
    "การบริหารจัดการสหกรณ์",
    "การแปรรูปผลผลิตการเกษตร",
]


def be(day: int, month: int, year: int) -> dt.date:
    """A date written as in Thai documents: day, month, B.E. year."""
    return dt.date(year - 543, month, day)


OFFICE = "สำนักงานสหกรณ์จังหวัดชุมพร"
MEETING_ROOM = "ห้องประชุมสำนักงานสหกรณ์จังหวัดชุมพร"

EXPERTS = [
    {
        "username": "suwit",
        "kind": ExpertKind.INTERNAL,
        "title": "นาย",
        "first_name": "สุวิทย์",
        "last_name": "ทองคำ",
        "position": "นักวิชาการตรวจสอบบัญชีชำนาญการ",
        "organisation": f"กลุ่มตรวจการสหกรณ์ {OFFICE}",
        "areas": ["การบัญชีสหกรณ์", "การตรวจการสหกรณ์"],
        "topics": (
            "การจัดทำบัญชีและงบการเงินของสหกรณ์ขนาดเล็ก\n"
            "การอ่านและวิเคราะห์งบการเงินสำหรับคณะกรรมการดำเนินการ\n"
            "การควบคุมภายในและการป้องกันการทุจริตในสหกรณ์"
        ),
        "phone": "0 7751 1234 ต่อ 14",
        "email": "suwit@example.go.th",
        "contact_note": "ติดต่อล่วงหน้าอย่างน้อย 2 สัปดาห์ ผ่านหัวหน้ากลุ่มตรวจการสหกรณ์",
        "bio": "ตรวจสอบบัญชีสหกรณ์ภาคการเกษตรในจังหวัดชุมพรมากว่า 15 ปี "
        "เป็นวิทยากรประจำหลักสูตรบัญชีสหกรณ์ของสำนักงาน",
        "engagements": [
            (EngagementKind.TRAINING, "อบรมการจัดทำบัญชีสหกรณ์สำหรับเจ้าหน้าที่สหกรณ์ภาคการเกษตร",
             be(14, 3, 2566), be(15, 3, 2566), OFFICE, MEETING_ROOM),
            (EngagementKind.TALK, "การวิเคราะห์งบการเงินเพื่อการตัดสินใจของคณะกรรมการดำเนินการ",
             be(9, 7, 2567), None, OFFICE, "สหกรณ์การเกษตรท่าแซะ จำกัด"),
            (EngagementKind.MENTORING, "พี่เลี้ยงการแก้ไขข้อบกพร่องตามข้อสังเกตของผู้สอบบัญชี",
             be(18, 2, 2568), None, OFFICE, "สหกรณ์ในพื้นที่อำเภอหลังสวน"),
        ],
    },
    {
        "username": "wilai",
        "kind": ExpertKind.INTERNAL,
        "title": "นาง",
        "first_name": "วิไล",
        "last_name": "ศรีสุข",
        "position": "นักวิชาการสหกรณ์ชำนาญการพิเศษ",
        "organisation": OFFICE,
        "areas": ["การจัดการความรู้", "การบริหารจัดการสหกรณ์"],
        "topics": (
            "กระบวนการจัดการความรู้ 7 ขั้นตอน\n"
            "การถอดบทเรียน (After Action Review)\n"
            "การสร้างชุมชนนักปฏิบัติ (CoP)"
        ),
        "phone": "0 7751 1234 ต่อ 21",
        "email": "wilai@example.go.th",
        "contact_note": "",
        "bio": "หัวหน้าทีมงาน KM ของสำนักงาน ผ่านหลักสูตร Master Trainer ด้านการจัดการความรู้",
        "engagements": [
            (EngagementKind.TRAINING, "การจัดการความรู้เพื่อพัฒนาองค์กรแห่งการเรียนรู้",
             be(22, 8, 2566), None, OFFICE, MEETING_ROOM),
            (EngagementKind.TALK, "การถอดบทเรียนการส่งเสริมสหกรณ์ที่ประสบความสำเร็จ",
             be(3, 12, 2567), None, "สำนักงานสหกรณ์จังหวัดระนอง",
             "ห้องประชุมสำนักงานสหกรณ์จังหวัดระนอง"),
        ],
    },
    {
        "username": None,
        "kind": ExpertKind.EXTERNAL,
        "title": "นางสาว",
        "first_name": "อรุณี",
        "last_name": "เพชรรัตน์",
        "position": "นิติกรชำนาญการพิเศษ",
        "organisation": "สำนักนายทะเบียนและกฎหมาย กรมส่งเสริมสหกรณ์",
        "areas": ["กฎหมายสหกรณ์", "การจัดตั้งสหกรณ์"],
        "topics": (
            "พระราชบัญญัติสหกรณ์ พ.ศ. 2542 และที่แก้ไขเพิ่มเติม\n"
            "การจดทะเบียนจัดตั้งสหกรณ์และการแก้ไขข้อบังคับ\n"
            "การประชุมใหญ่และการเลือกตั้งคณะกรรมการดำเนินการ"
        ),
        "phone": "0 2281 1234",
        "email": "arunee.p@example.go.th",
        "contact_note": "ทำหนังสือเชิญถึงอธิบดีกรมส่งเสริมสหกรณ์ล่วงหน้า 1 เดือน",
        "bio": "",
        "engagements": [
            (EngagementKind.TRAINING, "กฎหมายสหกรณ์สำหรับผู้ตรวจการสหกรณ์",
             be(6, 6, 2566), be(7, 6, 2566), "กรมส่งเสริมสหกรณ์", "โรงแรมในอำเภอเมืองชุมพร"),
            (EngagementKind.TALK, "ข้อควรรู้ในการแก้ไขข้อบังคับสหกรณ์",
             be(21, 1, 2568), None, OFFICE, MEETING_ROOM),
        ],
    },
    {
        "username": None,
        "kind": ExpertKind.EXTERNAL,
        "title": "ผศ.ดร.",
        "first_name": "ธนากร",
        "last_name": "ศรีเมือง",
        "position": "อาจารย์ประจำคณะเศรษฐศาสตร์",
        "organisation": "มหาวิทยาลัยแม่โจ้",
        "areas": ["การตลาดสินค้าเกษตร", "การบริหารจัดการสหกรณ์"],
        "topics": (
            "การตลาดทุเรียนและผลไม้ภาคใต้\n"
            "การวางแผนธุรกิจสหกรณ์การเกษตร\n"
            "การตลาดออนไลน์สำหรับสินค้าสหกรณ์"
        ),
        "phone": "0 5387 1234",
        "email": "thanakorn.s@example.ac.th",
        "contact_note": "สะดวกบรรยายออนไลน์",
        "bio": "วิจัยด้านห่วงโซ่อุปทานผลไม้และเศรษฐศาสตร์สหกรณ์",
        "engagements": [
            (EngagementKind.TRAINING, "การวางแผนธุรกิจและการตลาดสินค้าเกษตรของสหกรณ์",
             be(27, 2, 2567), be(29, 2, 2567), OFFICE, MEETING_ROOM),
            (EngagementKind.TALK, "ตลาดทุเรียนไทยในต่างประเทศ: โอกาสและความเสี่ยง",
             be(13, 5, 2568), None, "ชุมนุมสหกรณ์การเกษตรจังหวัดชุมพร จำกัด", "ออนไลน์"),
        ],
    },
    {
        "username": None,
        "kind": ExpertKind.EXTERNAL,
        "title": "นาย",
        "first_name": "ประยูร",
        "last_name": "แก้วประเสริฐ",
        "position": "ผู้จัดการ",
        "organisation": "ชุมนุมสหกรณ์การเกษตรจังหวัดชุมพร จำกัด",
        "areas": ["การตลาดสินค้าเกษตร", "การแปรรูปผลผลิตการเกษตร"],
        "topics": "การรวบรวมและจำหน่ายปาล์มน้ำมัน\nเครือข่ายธุรกิจระหว่างสหกรณ์",
        "phone": "0 7750 1234",
        "email": "",
        "contact_note": "",
        "bio": "",
        "engagements": [
            (EngagementKind.MENTORING, "ศึกษาดูงานธุรกิจรวบรวมผลผลิตปาล์มน้ำมัน",
             be(16, 11, 2566), None, OFFICE, "ชุมนุมสหกรณ์การเกษตรจังหวัดชุมพร จำกัด"),
        ],
    },
]  # fmt: skip

# A suggestion from a member of staff, waiting for the KM secretary.
SUGGESTION = {
    "suggested_by": "malee",
    "kind": ExpertKind.EXTERNAL,
    "title": "นาง",
    "first_name": "สมใจ",
    "last_name": "ทองสุข",
    "position": "ประธานกรรมการดำเนินการ",
    "organisation": "สหกรณ์การเกษตรสวี จำกัด",
    "areas": ["การแปรรูปผลผลิตการเกษตร", "การบริหารจัดการสหกรณ์"],
    "topics": "การแปรรูปกาแฟโรบัสต้า\nการบริหารสหกรณ์ให้ผ่านเกณฑ์มาตรฐาน",
    "phone": "08 1234 5678",
    "email": "",
    "contact_note": "",
    "bio": "นำสหกรณ์ผ่านเกณฑ์มาตรฐานระดับดีเลิศ เหมาะเป็นวิทยากรแลกเปลี่ยนประสบการณ์",
}

ENTRY_FIELDS = ("kind", "title", "position", "organisation", "topics", "phone", "email")


def seed(stdout) -> None:
    """Create the entries, talks and the suggestion that are missing, through the services: the
    KM secretary adds the entries, a member of staff suggests one."""
    with no_email():  # the notices are recorded (the KM office sees the suggestion), not mailed
        _seed(stdout)


def _seed(stdout) -> None:
    areas = {area.name: area for area in services.expertise_areas(AREAS)}
    people = {user.username: user for user in User.objects.all()}
    keeper = people.get("pranee") or people["admin"]
    created = 0
    for entry in [*EXPERTS, SUGGESTION]:
        fields = {name: entry[name] for name in ENTRY_FIELDS}
        fields |= {
            "first_name": entry["first_name"],
            "last_name": entry["last_name"],
            "contact_note": entry["contact_note"],
            "bio": entry["bio"],
        }
        expertise = [areas[name] for name in entry["areas"]]
        expert = Expert.objects.filter(
            first_name=entry["first_name"], last_name=entry["last_name"]
        ).first()
        if expert is None and entry is SUGGESTION:
            suggester = people.get(entry["suggested_by"]) or keeper
            expert = services.expert_suggest(by=suggester, fields=fields, expertise=expertise)
            created += 1
        elif expert is None:
            person = people.get(entry["username"]) if entry["username"] else None
            fields["person"] = person
            expert = services.expert_create(by=keeper, fields=fields, expertise=expertise)
            created += 1
        for kind, title, held_on, ends_on, organiser, place in entry.get("engagements", []):
            if expert.engagements.filter(title=title, held_on=held_on).exists():
                continue
            services.engagement_add(
                by=keeper,
                expert=expert,
                fields={
                    "kind": kind,
                    "title": title,
                    "held_on": held_on,
                    "ends_on": ends_on,
                    "organiser": organiser,
                    "place": place,
                },
            )
    total = len(EXPERTS) + 1
    stdout.write(f"Experts: {created} created, {total - created} already there.")
