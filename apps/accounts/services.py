"""Writes that concern people and their accounts.

Each function is the only way to make its change (the profile page and any script call it),
takes plain data, checks the caller's permission itself and runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from apps.core.concurrency import lock_for_edit
from apps.core.files import replacing_file
from apps.core.permissions import require
from apps.core.writes import checked_fields

from .models import User
from .photos import process_photo

# What a person may change about themselves (the rest is the administrators').
PROFILE_FIELDS = frozenset(
    {"title", "first_name", "last_name", "position", "unit", "phone", "email"}
)


@transaction.atomic
def profile_update(
    *,
    by: User,
    person: User,
    fields: Mapping[str, Any],
    photo: File | None = None,
    clear_photo: bool = False,
    expected_version: int | None = None,
) -> User:
    """Change a person's profile (their own, or anyone's for an administrator).

    A new ``photo`` is checked and stored as a small upright JPEG without metadata
    (``ValidationError`` for anything that is not a sane image); ``clear_photo`` removes it.
    The replaced file is deleted only once the change is committed. Not over a change made
    after the ``expected_version`` the page showed (another tab, or an administrator):
    ``StaleEditError``.
    """
    require(by, "accounts.change_profile", person)
    changes = checked_fields(fields, PROFILE_FIELDS)
    processed = None
    if photo is not None:
        try:
            processed = process_photo(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
    lock_for_edit(person, expected_version=expected_version)
    old_photo_name = User.objects.filter(pk=person.pk).values_list("photo", flat=True).first()
    for name, value in changes.items():
        setattr(person, name, value)
    if processed is not None:
        person.photo = processed
    elif clear_photo:
        person.photo = ""
    person.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changes])
    with replacing_file(person, "photo", old_name=old_photo_name):
        person.save()
    return person
