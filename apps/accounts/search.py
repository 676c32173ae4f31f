"""People in search: name, position and unit (the staff directory's words)."""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, register

from .models import User


def fields(person: User) -> dict:
    return {
        "title": person.get_full_name() or person.username,
        "body": "\n".join(filter(None, [person.position, str(person.unit or ""), person.email])),
        "code": person.username,
    }


register(
    Searchable(
        kind="person",
        model=User,
        label=_("People"),
        icon="person",
        fields=fields,
        visible=lambda user: User.objects.filter(is_active=True),
        # A person's page is open to everyone signed in, while the account is active.
        may_open=lambda user, person: user.has_perm("teams.view_directory") and person.is_active,
        queryset=lambda: User.objects.select_related("unit"),
        results=lambda: User.objects.select_related("unit"),  # the snippet names the unit
        snippet=lambda person: " · ".join(filter(None, [person.position, str(person.unit or "")])),
        include=lambda person: person.is_active,
    )
)
