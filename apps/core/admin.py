from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import BEDateField, BEDateInput

admin.site.site_header = _("KM Portal administration")
admin.site.site_title = _("KM Portal")
admin.site.index_title = _("Administration")


class BEDateAdminMixin:
    """Admin forms read and show dates in B.E., like every other form in the portal."""

    formfield_overrides = {
        models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    }
