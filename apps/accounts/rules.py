"""Permissions of the accounts app (autodiscovered by django-rules).

Accounts sit below the teams app, so these are built from django-rules' own predicates, not
from ``apps.teams.predicates``.
"""

import rules


@rules.predicate
def is_self(user, person) -> bool:
    """The person is the one signed in."""
    return person is not None and user.pk == person.pk


# A person keeps their own profile; administrators may correct anyone's.
rules.add_perm("accounts.change_profile", rules.is_authenticated & (is_self | rules.is_superuser))
