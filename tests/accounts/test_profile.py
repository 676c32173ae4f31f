from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse

from apps.accounts.models import User
from tests.accounts.images import fake_image, image_upload, png_bomb
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def profile_data(user, **changes):
    data = {
        "title": user.title,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "position": user.position,
        "unit": user.unit_id or "",
        "phone": user.phone,
        "email": user.email,
    }
    return {**data, **changes}


def media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_thai_full_name_convention():
    assert str(User(title="นาย", first_name="สมชาย", last_name="ใจดี")) == "นายสมชาย ใจดี"
    assert str(User(title="ว่าที่ร้อยตรี", first_name="สมชาย", last_name="ใจดี")) == (
        "ว่าที่ร้อยตรี สมชาย ใจดี"
    )
    assert str(User(username="nobody")) == "nobody"


def test_person_page_shows_their_profile(user_client):
    colleague = UserFactory(title="นาง", first_name="วิไล", last_name="ศรีสุข", position="นักวิชาการ")
    response = user_client.get(colleague.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "นางวิไล ศรีสุข" in html
    assert "นักวิชาการ" in html


def test_my_profile_redirects_to_my_page(user_client, user):
    response = user_client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == user.get_absolute_url()


def test_edit_profile_with_photo(user_client, user):
    unit = UnitFactory(name="กลุ่มตรวจการสหกรณ์")
    data = profile_data(user, position="นักวิชาการสหกรณ์ชำนาญการพิเศษ", unit=unit.pk)
    data["photo"] = image_upload(size=(1000, 1000))
    response = user_client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.position == "นักวิชาการสหกรณ์ชำนาญการพิเศษ"
    assert user.unit == unit
    assert user.photo.name.startswith("photos/") and user.photo.name.endswith(".jpg")
    photo = user_client.get(reverse("accounts:photo", args=[user.username]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"


def test_replacing_a_photo_removes_the_old_file(
    user_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            reverse("accounts:profile_edit"), {**profile_data(user), "photo": image_upload()}
        )
    user.refresh_from_db()
    first = Path(user.photo.path)
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            reverse("accounts:profile_edit"), {**profile_data(user), "photo": image_upload()}
        )
    user.refresh_from_db()
    assert Path(user.photo.path).exists()
    assert not first.exists()


@pytest.mark.parametrize("bad", [fake_image, png_bomb], ids=["fake", "bomb"])
def test_a_bad_photo_changes_nothing(user_client, user, bad):
    before = media_files()
    data = profile_data(user, position="เปลี่ยนแล้ว")
    data["photo"] = bad()
    response = user_client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid-feedback" in html
    assert "ไม่ได้บันทึก" in html
    user.refresh_from_db()
    assert user.position != "เปลี่ยนแล้ว"
    assert not user.photo
    assert media_files() == before


def test_profile_changes_are_audited(user_client, user):
    user_client.post(reverse("accounts:profile_edit"), profile_data(user, phone="0 7751 9999"))
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert entry.actor == user
    assert entry.changes_dict["phone"][1] == "0 7751 9999"
    assert "password" not in entry.changes_dict


def test_photos_of_others_need_sign_in(client, user):
    response = client.get(reverse("accounts:photo", args=[user.username]))
    assert response.status_code == 302


def test_missing_photo_is_404(user_client, user):
    assert user_client.get(reverse("accounts:photo", args=[user.username])).status_code == 404


def test_the_profile_form_links_the_photo_through_its_view(user_client, user):
    user_client.post(
        reverse("accounts:profile_edit"), {**profile_data(user), "photo": image_upload()}
    )
    html = user_client.get(reverse("accounts:profile_edit")).content.decode()
    assert settings.MEDIA_URL not in html
    assert f'href="{reverse("accounts:photo", args=[user.username])}"' in html


def test_a_photo_whose_save_fails_is_not_left_on_disk(user_client, user, monkeypatch):
    """GIVEN the database refuses the profile's row after the new photo was written WHEN the
    form is sent THEN the error page is shown and the photo is not left behind without a row."""
    from django.db import OperationalError

    def refused(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(User, "_do_update", refused)
    user_client.raise_request_exception = False
    before = media_files()
    data = {**profile_data(user), "photo": image_upload()}
    assert user_client.post(reverse("accounts:profile_edit"), data).status_code == 500
    assert media_files() == before
