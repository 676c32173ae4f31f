"""Extension points for the apps: navigation entries, home-page sections and demo data.

Each app registers itself in its ``AppConfig.ready`` so the base layout, the landing page and
people's pages grow with the apps without the core knowing them:

    from apps.core import portal
    portal.register_nav(portal.NavItem("library:list", _("Library"), icon="bookshelf", order=20))
    portal.register_home_section(portal.HomeSection("library", _("New documents"), latest_docs))
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    icon: str = "circle"
    order: int = 50
    # Who sees the entry; the view still checks permissions on its own.
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)
    # The key of a NavGroup: the entry then sits in that group's drop-down menu.
    group: str = ""

    @property
    def url(self) -> str:
        return _reverse_nav(self.url_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _reverse_nav(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    """The navigation's addresses, which every page shows: they change only with the URL
    configuration and the script prefix (the key), or when a test overrides the settings."""
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_nav_urls(**kwargs: object) -> None:
    _reverse_nav.cache_clear()


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu in the navigation bar for related entries (the bar is full at 1440 px)."""

    key: str
    label: Any
    icon: str = "circle"
    order: int = 50


@dataclass(frozen=True)
class NavEntry:
    """What the bar shows: one link, or a group's menu with its links."""

    label: Any
    icon: str
    item: NavItem | None = None
    items: tuple[NavItem, ...] = ()

    def is_active(self, view_name: str | None) -> bool:
        names = [self.item.url_name] if self.item else [item.url_name for item in self.items]
        return view_name in names


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: Any
    # Returns the items to list (each with ``get_absolute_url`` and ``__str__``) for a request.
    items: Callable[[HttpRequest], list[Any]]
    more_url_name: str | None = None
    order: int = 50
    template: str = "includes/home_section.html"
    # What the items depend on for this request besides the day and the language, when they may
    # be kept between requests (``section_items``): the viewer's visibility rule (never the
    # viewer's identity alone unless the items are personal) and a fingerprint of the data they
    # are read from, so that a change shows at once. None: read on every request. Items kept
    # must be plain values (``HomeLink``), not model instances.
    cache_key: Callable[[HttpRequest], Hashable] | None = None


@dataclass(frozen=True)
class HomeLink:
    """One plain line of a home-page section (what ``includes/home_section.html`` shows)."""

    text: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PersonPanel:
    """A block on a person's page (their teams, knowledge, activities ...)."""

    key: str
    template: str
    # Returns the template context for (request, person); None hides the panel.
    context: Callable[[HttpRequest, Any], dict | None]
    order: int = 50


@dataclass(frozen=True)
class NoResultAction:
    """What the search page offers when a search finds nothing (e.g. "ask it as a question"):
    a link to ``url_name`` with the query in ``param``."""

    key: str
    url_name: str
    label: Any
    icon: str = "lightbulb"
    param: str = "q"
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)


_nav: dict[str, NavItem] = {}
_nav_groups: dict[str, NavGroup] = {}
_person: dict[str, PersonPanel] = {}
_home: dict[str, HomeSection] = {}
_no_result: dict[str, NoResultAction] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.url_name] = item


def register_nav_group(group: NavGroup) -> None:
    _nav_groups[group.key] = group


def register_home_section(section: HomeSection) -> None:
    _home[section.key] = section


def register_person_panel(panel: PersonPanel) -> None:
    _person[panel.key] = panel


def register_no_result_action(action: NoResultAction) -> None:
    _no_result[action.key] = action


def no_result_actions(user, query: str) -> list[dict[str, Any]]:
    """The links the search page shows for a search that found nothing: label, icon, url."""
    from urllib.parse import urlencode

    query = " ".join((query or "").split())[:300]
    links = []
    for action in sorted(_no_result.values(), key=lambda a: a.key):
        if user is None or not action.visible(user):
            continue
        url = reverse(action.url_name)
        if query:
            url = f"{url}?{urlencode({action.param: query})}"
        links.append({"label": action.label, "icon": action.icon, "url": url})
    return links


def person_panels(request: HttpRequest, person) -> list[tuple[PersonPanel, dict]]:
    panels = []
    for panel in sorted(_person.values(), key=lambda p: p.order):
        context = panel.context(request, person)
        if context is not None:
            panels.append((panel, context))
    return panels


def nav_items(user) -> list[NavItem]:
    return [item for item in sorted(_nav.values(), key=lambda i: i.order) if item.visible(user)]


def nav_entries(user, items: list[NavItem] | None = None) -> list[NavEntry]:
    """The navigation bar: single links and groups' menus, in order; a group appears at its own
    order, with the entries the person may see (and not at all when there are none). ``items``:
    ``nav_items(user)`` when the caller has them already."""
    ranked: list[tuple[int, NavEntry]] = []
    grouped: dict[str, list[NavItem]] = {}
    for item in nav_items(user) if items is None else items:
        if item.group and item.group in _nav_groups:
            grouped.setdefault(item.group, []).append(item)
        else:
            ranked.append((item.order, NavEntry(item.label, item.icon, item=item)))
    for key, items in grouped.items():
        group = _nav_groups[key]
        ranked.append((group.order, NavEntry(group.label, group.icon, items=tuple(items))))
    return [entry for _order, entry in sorted(ranked, key=lambda pair: pair[0])]


def home_sections() -> list[HomeSection]:
    return sorted(_home.values(), key=lambda s: s.order)


HOME_CACHE_SECONDS = 3600  # only bounds memory: a change of data changes the key at once


def section_items(section: HomeSection, request: HttpRequest) -> list[Any]:
    """A home-page section's items for this request, kept between requests for the sections
    that say what they depend on (``HomeSection.cache_key``): the key holds that, the day and the
    language, so a person with another visibility rule, or the same person after a change of
    data, never gets these. The cache is Django's (a bounded number of entries)."""
    if section.cache_key is None:
        return section.items(request)
    depends_on = (
        section.key,
        section.cache_key(request),
        timezone.localdate().isoformat(),
        translation.get_language(),
    )
    key = f"home-section:{hashlib.sha256(repr(depends_on).encode()).hexdigest()}"
    items = cache.get(key)
    if items is None:
        items = list(section.items(request))
        cache.set(key, items, HOME_CACHE_SECONDS)
    return items


def search_url() -> str | None:
    """Where the search box sends queries, once the search app is installed."""
    try:
        return reverse("search:results")
    except NoReverseMatch:
        return None
