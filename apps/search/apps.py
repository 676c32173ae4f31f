from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from apps.core import searchables

        from . import indexing, searching
        from .engine.sections import sections

        # Each app registers what it makes searchable in its own ``search.py``.
        autodiscover_modules("search")
        indexing.connect_signals()
        searchables.install_bulk_hooks(collect=indexing.deferred, persist=indexing.persist_deferred)
        searchables.install_finder(searching.find)
        searchables.install_splitter(sections)
