"""The teams services on their own: plain data in, their own permission and rules checked."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from apps.teams import services
from apps.teams.models import Membership, Role, Team, TeamKind
from tests.factories import TeamFactory, UserFactory
from tests.teams.test_orders import pdf_upload

pytestmark = pytest.mark.django_db

ORDER = {
    "number": 7,
    "year": 2568,
    "issued_on": dt.date(2025, 1, 15),
    "subject": "แต่งตั้งกลุ่ม KM",
    "issuing_office": "สำนักงานสหกรณ์จังหวัดชุมพร",
}


def test_each_service_refuses_someone_without_the_permission(people):
    staff, team = people["staff"], TeamFactory()
    teams = Team.objects.count()
    membership = Membership.objects.create(
        team=team, person=people["member"], role=Role.MEMBER, start_date=dt.date(2024, 10, 1)
    )
    refused = [
        lambda: services.team_create(by=staff, fields={"name": "x", "kind": TeamKind.KM_GROUP}),
        lambda: services.team_update(by=staff, team=team, fields={"topic": "x"}),
        lambda: services.duties_replace(by=staff, team=team, duties={}),
        lambda: services.membership_add(
            by=staff,
            team=team,
            fields={"person": staff, "role": Role.MEMBER, "start_date": dt.date(2025, 1, 1)},
        ),
        lambda: services.membership_end(
            by=staff, membership=membership, end_date=dt.date(2025, 1, 1)
        ),
        lambda: services.order_create(by=staff, fields=ORDER),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    membership.refresh_from_db()
    team.refresh_from_db()
    assert Team.objects.count() == teams and team.topic == "" and membership.end_date is None


def test_a_team_cannot_be_made_part_of_itself(people):
    team = TeamFactory()
    with pytest.raises(ValidationError) as refused:
        services.team_update(by=people["secretary"], team=team, fields={"parent": team})
    assert "parent" in refused.value.error_dict


def test_a_term_cannot_end_before_it_starts(people):
    person = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            by=people["secretary"],
            team=TeamFactory(),
            fields={
                "person": person,
                "role": Role.MEMBER,
                "start_date": dt.date(2025, 1, 1),
                "end_date": dt.date(2024, 1, 1),
            },
        )
    assert "end_date" in refused.value.error_dict
    assert not Membership.objects.filter(person=person).exists()


def test_an_order_with_a_scan_and_its_removal(people, django_capture_on_commit_callbacks):
    """GIVEN an order created with a scan (plain data, as the demo does) WHEN its scan is
    cleared THEN the file is removed once the change is committed."""
    secretary = people["secretary"]
    scan = ContentFile(pdf_upload().read(), name="คำสั่งที่ 7-2568.pdf")
    order = services.order_create(by=secretary, fields=ORDER, teams=[TeamFactory()], scan=scan)
    assert order.scan_content_type == "application/pdf"
    assert order.scan_filename == "คำสั่งที่ 7-2568.pdf"
    stored = Path(order.scan.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_update(by=secretary, order=order, fields={}, clear_scan=True)
    order.refresh_from_db()
    assert not order.scan and order.scan_filename == "" and order.teams.count() == 1
    assert not stored.exists()


def test_a_bad_scan_is_refused_by_the_service_too(people):
    with pytest.raises(ValidationError) as refused:
        services.order_create(
            by=people["secretary"], fields=ORDER, scan=ContentFile(b"MZ not a pdf", name="x.pdf")
        )
    assert "scan" in refused.value.error_dict
