"""No page says "0 items" in a sentence ("and 0 overdue action items", "0 current members"):
when there are none, it says so in words or says nothing."""

import re

import pytest
from django.urls import reverse

from apps.plans.models import PlanVersion
from tests.factories import TeamFactory
from tests.plans.factories import PlanFactory, this_year

pytestmark = pytest.mark.django_db

# A zero followed by a Thai counting word, inside one run of text (a KPI card's number and its
# label are separate elements, and are fine).
ZERO = re.compile(r"(?<![\d.,/:])0\s*(รายการ|คน|กิจกรรม|ครั้ง|ชุด|หน้า|ฉบับ|เรื่อง)")


def zero_phrases(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return [text.strip() for text in re.findall(r">([^<]+)<", html) if ZERO.search(text)]


def test_pages_with_nothing_to_count_say_so_in_words(client_as, people, km_team):
    TeamFactory(name="คณะทำงานที่ยังไม่มีสมาชิก", kind="working_group")
    plan = PlanFactory(fiscal_year=this_year(), approved=True)
    PlanVersion.objects.create(plan=plan, number=1, snapshot={"activities": []})
    pages = {
        "staff": [
            reverse("dashboard:personal"),
            reverse("teams:list"),
            reverse("plans:list"),
            reverse("library:list") + "?q=ไม่มีเอกสารนี้",
            reverse("knowledge:list") + "?q=ไม่มีชุดความรู้นี้",
            reverse("experts:list") + "?q=ไม่มีผู้เชี่ยวชาญ",
            reverse("teams:directory") + "?q=ไม่มีบุคคลนี้",
            reverse("search:results") + "?q=ไม่มีผลลัพธ์เลยแน่นอน",
            reverse("learning:home"),
            reverse("learning:event_list"),
            reverse("learning:pair_list"),
            reverse("learning:rotation_list"),
        ],
        "secretary": [
            reverse("plans:history", args=[plan.fiscal_year]),
            reverse("plans:progress_print", args=[plan.fiscal_year]),
            reverse("dashboard:office"),
        ],
    }
    found = {}
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if phrases := zero_phrases(response.content.decode()):
                found[url] = phrases
    assert not found, "\n".join(f"{url}: {phrases}" for url, phrases in found.items())
