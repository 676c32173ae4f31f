"""Writes that concern people and their accounts."""

from django.db import transaction

from .forms import ProfileForm
from .models import User


@transaction.atomic
def profile_update(*, form: ProfileForm) -> User:
    """Save a validated profile form, removing the replaced photo file only once saved."""
    user: User = form.instance
    old_photo_name = User.objects.filter(pk=user.pk).values_list("photo", flat=True).first()
    user = form.save()
    if old_photo_name and old_photo_name != user.photo.name:
        storage = user.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo_name))
    return user
