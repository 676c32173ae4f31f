"""Writes that concern people and their accounts."""

from django.db import transaction

from apps.core.concurrency import lock_for_edit
from apps.core.files import replacing_file

from .forms import ProfileForm
from .models import User


@transaction.atomic
def profile_update(*, form: ProfileForm, expected_version: int | None = None) -> User:
    """Save a validated profile form, removing the replaced photo file only once saved. Not
    over a change made after the ``expected_version`` the page showed (another tab, or an
    administrator): ``StaleEditError``."""
    user: User = form.instance
    lock_for_edit(user, expected_version=expected_version)
    old_photo_name = User.objects.filter(pk=user.pk).values_list("photo", flat=True).first()
    with replacing_file(user, "photo", old_name=old_photo_name):
        user = form.save()
    return user
