"""The review status of a directory entry, apart from the models so the permission rules can
use it without importing them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
