from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every record knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A shared record that several people may edit: each save raises its ``lock_version``, so a
    save based on an earlier version can be recognised and refused (``apps.core.concurrency``).

    The database does the counting (``lock_version + 1`` in the UPDATE itself), so the number goes
    up even when the copy in memory was read before someone else's save.
    """

    lock_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not update_fields:
                return super().save(*args, **kwargs)
            kwargs["update_fields"] = {*update_fields, "lock_version"}
        seen = self.lock_version
        self.lock_version = models.F("lock_version") + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.lock_version = seen
            raise
        # What the database now holds whenever this copy was the latest (always so in a service
        # that locked the row first); ``refresh_from_db`` reads the exact number.
        self.lock_version = seen + 1
