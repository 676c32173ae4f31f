"""What is searchable. Each app registers its models in a ``search.py`` module, in one call:

    from apps.core.searchables import Searchable, register

    register(Searchable(
        kind="document", model=Document, label=_("Documents"), icon="file-earmark-text",
        fields=document_fields,                      # obj -> the fields to index
        visible=lambda user: Document.objects.visible_to(user),
        may_open=lambda user, obj: user.has_perm("library.view_document", obj),
        queryset=lambda: Document.objects.prefetch_related("tags", "files"),
        snippet=lambda obj: obj.description,         # text the result's snippet is cut from
        depends={DocumentFile: lambda f: [f.document_id]},
        facet_labels={"doc_type": type_labels},      # values -> {value: label}
        sections=law_text,                           # obj -> text to index section by section
    ))

It lives in core, beside ``portal.py``, so that apps point down to it and the search app never
imports them (nor they the search app, for registering). ``apps/search`` reads the registry.

``fields`` returns a dict for the engine: ``title``, ``body``, ``code`` (numbers people type,
e.g. "กษ 1108/ว 123"), ``doc_type``, ``category`` and ``team`` (ids), ``date``, ``year`` (B.E.),
``access`` ("all", "km", "team", "private"), ``access_team`` (ids of the teams that may open it;
"role:<role>" for a role), ``owner`` (user ids who may always open it), ``extra`` and ``data``
(stored as is). Nothing else is needed: saving or deleting a registered model, or one of its
``depends`` (or ``before_delete``), keeps the index in step.

``sections`` (optional) returns the text of a record that is indexed section by section as
well as whole (a law or regulation uploaded as one file), "" for one that is not: the search
app cuts it at its "มาตรา N"/"ข้อ N" headings (when it has at least three), finds the record by
its best section and opens it there (``?section=มาตรา 40``; ``split_sections`` gives an app
the same sections for its page).

``fields`` must be a function of the database alone: related rows in a fixed order (``ordered``),
nothing that depends on the day, and texts in the portal's own language (``document`` builds it
under ``LANGUAGE_CODE``, whoever's request indexes it). Otherwise the stamp changes between two
reads and ``check_index`` calls the entry stale for ever.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import translation

Row = TypeVar("Row", bound=models.Model)
#: Labels for facet values: the values a search returned (a page's worth, at most ``MAX_FACET``)
#: → ``{value: label}`` for those it knows; a value without a label is not shown.
FacetLabels = Callable[[Sequence[str]], Mapping[str, Any]]
MAX_FACET = 200


@dataclass(frozen=True)
class Searchable:
    kind: str
    model: type[models.Model]
    label: Any
    fields: Callable[[Any], dict[str, Any]]
    visible: Callable[[Any], QuerySet]
    # The app's own rule for one record (``user.has_perm(...)``): what ``visible`` filters by
    # and the index's access fields encode must agree with it (tests/search/test_agreement.py).
    may_open: Callable[[Any, Any], bool]
    # That rule as a predicate that reads nothing more than the record and the person (what
    # ``may_open`` asks ``has_perm`` for), where there is one: a page of hits then reads its
    # records by key and keeps those it passes, rather than building ``visible``'s query, which
    # cost a search page more than reading the records did (issue 20). Checked against
    # ``may_open`` in the same tests.
    opens: Callable[[Any, Any], bool] | None = None
    queryset: Callable[[], QuerySet] | None = None
    snippet: Callable[[Any], str] | None = None
    # What a page of hits reads its records through, when ``snippet`` (or the address) reads a
    # relation: a document's files, a set's published version. None: the records alone, not
    # what ``queryset`` reads for the index (a set's authors, a team's members).
    results: Callable[[], QuerySet] | None = None
    # Or what gives a page of records those relations at once, in one query of its own (a
    # document's files: cheaper than Django's prefetch, issue 20).
    attach: Callable[[Sequence[Any]], None] | None = None
    icon: str = "file-earmark"
    # Other models whose changes change what is indexed: model → the pks of ours it affects.
    depends: dict[type[models.Model], Callable[[Any], Iterable[int]]] = field(default_factory=dict)
    # ...and those whose deletion changes ours without a save of ours (``SET_NULL``): read just
    # before the row goes, while ours still point at it.
    before_delete: dict[type[models.Model], Callable[[Any], Iterable[int]]] = field(
        default_factory=dict
    )
    # Records that exist but must not be in the index (e.g. unapproved suggestions).
    include: Callable[[Any], bool] = lambda obj: True
    # Facet name ("doc_type", "category", "team") → its labels, for the vocabulary this app owns.
    facet_labels: Mapping[str, FacetLabels] = field(default_factory=dict)
    # Facet name → what a value typed in the search box stands for ("หนังสือเวียน",
    # "Circular" → "circular"), None when the app does not know it (``filter_value``).
    filter_values: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)
    # The text to index section by section as well ("" or None: not split); see above.
    sections: Callable[[Any], str | None] | None = None

    def all(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model._default_manager.all()

    def for_results(self) -> QuerySet:
        return self.results() if self.results else self.model._default_manager.all()

    def uid(self, pk: Any) -> str:
        return f"{self.kind}:{pk}"

    def dependencies(self) -> dict[type[models.Model], Callable[[Any], Iterable[int]]]:
        """``depends`` with what other apps' extensions of this kind depend on."""
        merged = dict(self.depends)
        for extension in _extensions.get(self.kind, []):
            merged.update(extension.depends)
        return merged

    def document(self, obj: Any) -> dict[str, Any]:
        """The engine's document for ``obj``, with a stamp that changes when any field does."""
        # Labels (roles, steps, "ครั้งที่") in the portal's language, not the indexing request's.
        with translation.override(settings.LANGUAGE_CODE):
            doc = {"kind": self.kind, "pk": obj.pk, "access": "all", **self.fields(obj)}
            added = [text for ext in _extensions.get(self.kind, []) if (text := ext.body(obj))]
            if added:
                doc["body"] = "\n".join(filter(None, [doc.get("body", ""), *added]))
            if self.sections is not None and (text := self.sections(obj)):
                doc["sections"] = text
            doc.setdefault("data", {})
            doc["data"].setdefault("url", obj.get_absolute_url())
        doc["stamp"] = stamp(doc)
        return doc


def ordered(rows: Iterable[Row], key: Callable[[Row], Any] | None = None) -> list[Row]:
    """Related rows sorted by ``key`` and then by pk: the same order whatever order the database
    returned them in (a model's ``Meta.ordering`` may tie, and ties come back in any order)."""
    return sorted(rows, key=lambda row: (key(row) if key else (), row.pk))


def stamp(doc: dict[str, Any]) -> str:
    """A short digest of everything indexed for a record (dates and sets made comparable)."""
    payload = json.dumps(
        {k: v for k, v in doc.items() if k != "stamp"}, sort_keys=True, default=_comparable
    ).encode()
    return hashlib.blake2b(payload, digest_size=12).hexdigest()


def _comparable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):  # a set's order differs between processes
        return sorted(value, key=str)
    return str(value)


@dataclass(frozen=True)
class Extension:
    """Words a higher app adds to another app's entries (the Q&A board adds the topics a person
    answered to that person's entry), so the lower app never imports it. ``body(obj)`` must be
    readable by everyone who may find the entry (it is its access, not the higher app's);
    ``depends`` as in ``Searchable``. Register from the app's ``search.py``: the search app
    watches the dependencies once every ``search.py`` is loaded."""

    kind: str
    body: Callable[[Any], str]
    depends: dict[type[models.Model], Callable[[Any], Iterable[int]]] = field(default_factory=dict)


_registry: dict[str, Searchable] = {}
_extensions: dict[str, list[Extension]] = {}


def extend(extension: Extension) -> None:
    _extensions.setdefault(extension.kind, []).append(extension)


def register(searchable: Searchable) -> None:
    _registry[searchable.kind] = searchable


def searchables() -> list[Searchable]:
    return list(_registry.values())


def get(kind: str) -> Searchable | None:
    return _registry.get(kind)


def facet_labels(name: str, values: Sequence[Any]) -> dict[str, Any]:
    """``{value: label}`` for ``values`` of the facet ``name``, from every app that declares
    labels for it (each declaring function asked once, with at most ``MAX_FACET`` values)."""
    wanted = [str(value) for value in values if value not in (None, "")][:MAX_FACET]
    labels: dict[str, Any] = {}
    if not wanted:
        return labels
    asked: set[FacetLabels] = set()
    for searchable in _registry.values():
        label_of = searchable.facet_labels.get(name)
        if label_of is not None and label_of not in asked:
            asked.add(label_of)
            labels.update({str(k): v for k, v in label_of(wanted).items()})
    return labels


def filter_value(name: str, typed: str) -> str | None:
    """The stored value of the facet ``name`` that ``typed`` names, in whichever language it
    was typed, from the first app that knows it; None when none does."""
    for searchable in _registry.values():
        value_of = searchable.filter_values.get(name)
        if value_of is not None and (value := value_of(typed)) is not None:
            return value
    return None


def for_model(model: type[models.Model]) -> Searchable | None:
    for searchable in _registry.values():
        if searchable.model is model:
            return searchable
    return None


# --- Bulk changes ---------------------------------------------------------------------------
# An importer changes thousands of records in a row: the search app then collects what to
# re-index and writes the index once at the end. The search app installs how (at start-up);
# callers use these two names, so they never import the search app.
_bulk_hooks: dict[str, Callable[..., Any]] = {}


def install_bulk_hooks(*, collect: Callable[..., Any], persist: Callable[[], None]) -> None:
    """Called once by the search app: ``collect(alongside=...)`` is a context manager,
    ``persist()`` writes what was collected so far into the durable queue."""
    _bulk_hooks.update(collect=collect, persist=persist)


@contextmanager
def bulk_changes(*, alongside: bool = False) -> Iterator[None]:
    """Changes inside the block are indexed together when it ends (see ``install_bulk_hooks``).
    Call ``persist_bulk_changes()`` before each transaction inside it commits. ``alongside``:
    the index may be written by another process as each transaction commits (a command, not a
    request: it forks)."""
    collect = _bulk_hooks.get("collect")
    if collect is None:
        yield
        return
    with collect(alongside=alongside):
        yield


def persist_bulk_changes() -> None:
    """Write the collected changes into the queue, in the caller's transaction."""
    persist = _bulk_hooks.get("persist")
    if persist is not None:
        persist()


# --- Finding from another app ----------------------------------------------------------------
# An app that offers matches as someone types (the Q&A board's "similar questions") asks the
# search app through this hook, so it never imports it. The search app installs the finder.
_finder: dict[str, Callable[..., Any]] = {}


def install_finder(find: Callable[..., Any]) -> None:
    """Called once by the search app: ``find(user=, text=, kinds=, limit=)`` → a list of
    ``{"title", "url", "kind"}`` the person may open."""
    _finder["find"] = find


def find(*, user, text: str, kinds: Sequence[str] = (), limit: int = 5) -> list[dict[str, Any]]:
    """Records matching ``text`` that ``user`` may open, best first (none without search)."""
    finder = _finder.get("find")
    if finder is None:
        return []
    return finder(user=user, text=text, kinds=kinds, limit=limit)


# --- Sections of a law --------------------------------------------------------------------------
# How a law or regulation is cut into sections is the search app's (it indexes them); a detail
# page that opens a record at a section asks through this hook. The search app installs it.
_splitter: dict[str, Callable[[str], list[tuple[str, str]]]] = {}


def install_splitter(split: Callable[[str], list[tuple[str, str]]]) -> None:
    """Called once by the search app: ``split(text)`` → [(label, text)] of a sectioned text."""
    _splitter["split"] = split


def split_sections(text: str) -> list[tuple[str, str]]:
    """The sections ("มาตรา 40", its text) search indexes ``text`` by, in order; [] when it is
    not split (too few headings) or search is not installed."""
    split = _splitter.get("split")
    return split(text) if split is not None and text else []
