"""The Django admin reads as natural Thai: no English left in its frame, and none of the
literal translations Django's own Thai catalogue ships ("ไม่ว่าง" for "None available")."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Text the admin may show in English: the portal's name, codes and people's user names.
ALLOWED = {"KM Portal", "KM", "PDF", "ID", "admin"}
UNNATURAL = ["ไม่ว่าง", "การตรวจสอบและอนุมัติ", "การกระทำล่าสุด", "การกระทำของฉัน", "ดูที่หน้าเว็บ"]


def english_texts(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    texts = [t.strip() for t in re.findall(r">([^<]+)<", html)]
    return sorted(
        {
            text
            for text in texts
            if re.fullmatch(r"[A-Za-z][A-Za-z ()':,.?-]*", text) and text not in ALLOWED
        }
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:auditlog_logentry_changelist"),
        reverse("admin:meetings_meeting_changelist"),
    ],
)
def test_the_admin_frame_is_thai(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert english_texts(html) == [], english_texts(html)
    assert [word for word in UNNATURAL if word in html] == []
