"""Extension points for the apps: navigation entries, home-page sections and demo data.

Each app registers itself in its ``AppConfig.ready`` so the base layout and the landing page grow
with the apps without the core knowing them:

    from apps.core import portal
    portal.register_nav(portal.NavItem("library:list", _("Library"), icon="bookshelf", order=20))
    portal.register_home_section(portal.HomeSection("library", _("New documents"), latest_docs))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    icon: str = "circle"
    order: int = 50
    # Who sees the entry; the view still checks permissions on its own.
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: Any
    # Returns the items to list (each with ``get_absolute_url`` and ``__str__``) for a request.
    items: Callable[[HttpRequest], list[Any]]
    more_url_name: str | None = None
    order: int = 50
    template: str = "includes/home_section.html"


_nav: dict[str, NavItem] = {}
_home: dict[str, HomeSection] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.url_name] = item


def register_home_section(section: HomeSection) -> None:
    _home[section.key] = section


def nav_items(user) -> list[NavItem]:
    return [item for item in sorted(_nav.values(), key=lambda i: i.order) if item.visible(user)]


def home_sections() -> list[HomeSection]:
    return sorted(_home.values(), key=lambda s: s.order)


def search_url() -> str | None:
    """Where the search box sends queries, once the search app is installed."""
    try:
        return reverse("search:results")
    except NoReverseMatch:
        return None
