from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("Accounts and people")

    def ready(self) -> None:
        from apps.core import audit

        from .models import Unit, User

        audit.register(User, exclude_fields=["password", "last_login"])
        audit.register(Unit)
