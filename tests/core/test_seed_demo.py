import io

import pytest
from django.core.management import call_command

from apps.accounts.models import Unit, User


@pytest.mark.django_db
def test_seed_demo_loads_the_office_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Unit.objects.count())
    assert counts[0] >= 12 and counts[1] >= 5
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert User.objects.filter(title="นางสาว").exists()
    assert all(person.position and person.unit_id for person in User.objects.all())

    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Unit.objects.count()) == counts


@pytest.mark.django_db
def test_demo_logins_lists_the_accounts(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "admin" in out and "km-demo-2551" in out
