from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "apps.library"
    verbose_name = _("Document library")

    def ready(self) -> None:
        from apps.core import audit, portal

        from . import models, selectors

        for model in (models.Document, models.DocumentFile, models.Category, models.Tag):
            audit.register(model, exclude_fields=["text"])
        # The history of OCR corrections: who changed the text, from what to what.
        audit.register(models.OcrText, include_fields=["correction"])
        portal.register_nav(
            portal.NavItem("library:list", _("Knowledge corner"), icon="bookshelf", order=20)
        )
        portal.register_home_section(
            portal.HomeSection(
                "library-latest",
                _("New in the knowledge corner"),
                selectors.latest_documents,
                more_url_name="library:list",
                order=10,
                cache_key=selectors.latest_documents_depend_on,
            )
        )
