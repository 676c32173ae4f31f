"""Reads for the shelves: the category tree, facets, related documents. Each is a fixed number of
queries, whatever the number of documents."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, Field, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.core.counters import bump
from apps.core.portal import HomeLink
from apps.core.thaidates import be_year

from . import wordfilter
from .access import visibility_filter
from .models import Category, Document, DocumentFile, DocumentType, Removals, Tag

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.accounts.models import User


@dataclass
class CategoryNode:
    """One category in the tree: its depth (0 at the top), its documents and its branches."""

    category: Category
    depth: int
    count: int = 0  # documents in this category and all below it
    children: list[CategoryNode] = field(default_factory=list)


def category_tree(
    documents: QuerySet[Document] | None = None, *, own_counts: dict[int, int] | None = None
) -> list[CategoryNode]:
    """Every category as a tree, with how many of ``documents`` sit in each branch (or, with
    ``own_counts``, that many documents directly on each category id)."""
    categories = list(Category.objects.all())
    if own_counts is None:
        own_counts = _category_counts(documents) if documents is not None else {}
    children: dict[int | None, list[Category]] = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)

    def build(parent_id: int | None, depth: int, seen: frozenset[int]) -> list[CategoryNode]:
        nodes = []
        for category in children.get(parent_id, []):
            if category.pk in seen:  # a cycle made in the admin must not hang the page
                continue
            node = CategoryNode(category, depth)
            node.children = build(category.pk, depth + 1, seen | {category.pk})
            node.count = own_counts.get(category.pk, 0) + sum(c.count for c in node.children)
            nodes.append(node)
        return nodes

    return build(None, 0, frozenset())


def flatten(nodes: list[CategoryNode]) -> list[CategoryNode]:
    """The nodes of a tree in reading order: each category followed by its branches."""
    flat: list[CategoryNode] = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def category_choices() -> list[tuple[int, str]]:
    """(id, indented name) in tree order, for select boxes."""
    return [
        (node.category.pk, f"{'— ' * node.depth}{node.category.name}")
        for node in flatten(category_tree())
    ]


def descendant_ids(category: Category) -> list[int]:
    """The category and every category below it."""
    for node in flatten(category_tree()):
        if node.category.pk == category.pk:
            return [n.category.pk for n in flatten([node])]
    return [category.pk]


_categories_cache: tuple[float, dict[int, int | None], dict[int, str]] = (0.0, {}, {})


def _categories() -> tuple[dict[int, int | None], dict[int, str]]:
    """pk → parent pk and pk → name of every category, read at most every two seconds (bulk
    indexing asks for the parents once per document, the search page for the names of its
    category facet: a few dozen rows, issue 20)."""
    global _categories_cache
    loaded_at, parents, names = _categories_cache
    if time.monotonic() - loaded_at > 2:
        rows = list(Category.objects.order_by().values_list("pk", "parent_id", "name"))
        parents = {pk: parent for pk, parent, _name in rows}
        names = {pk: name for pk, _parent, name in rows}
        _categories_cache = (time.monotonic(), parents, names)
    return parents, names


def _category_parents() -> dict[int, int | None]:
    return _categories()[0]


def category_names(ids: Iterable[int]) -> dict[int, str]:
    """The names of the categories among ``ids`` (unknown ones left out)."""
    names = _categories()[1]
    return {pk: names[pk] for pk in ids if pk in names}


def forget_category_parents() -> None:
    """A category was added, moved, renamed or removed: the next ``ancestor_ids`` or
    ``category_names`` reads the tree again (a document filed under a new sub-category would
    otherwise be indexed without its parents for up to two seconds)."""
    global _categories_cache
    _categories_cache = (0.0, {}, {})


@receiver([post_save, post_delete], sender=Category)
def _forget_category_parents(**kwargs: object) -> None:
    forget_category_parents()


def ancestor_ids(category_id: int | None) -> list[int]:
    """The category and every category above it (search filters on any of them)."""
    if category_id is None:
        return []
    parents = _category_parents()
    ids, current = [], category_id
    while current is not None and current not in ids:
        ids.append(current)
        current = parents.get(current)
    return ids


def category_path(category: Category | None) -> list[Category]:
    """Root first: [กฎหมาย, พระราชบัญญัติ]."""
    if category is None:
        return []
    ids = ancestor_ids(category.pk)  # from the parents read every two seconds at most
    by_id = Category.objects.in_bulk(ids)
    return [by_id[pk] for pk in reversed(ids) if pk in by_id]


class Facets(TypedDict):
    """The shelves' side panel: (code, label, count) by type, (B.E. year, count), (agency,
    count), and the most used tags (each with its count as ``n``)."""

    types: list[tuple[str, str, int]]
    years: list[tuple[int, int]]
    agencies: list[tuple[str, int]]
    tags: list[Tag]


def facets(documents: QuerySet[Document]) -> Facets:
    """Counts for the shelves' side panel: by type, year (B.E.), agency and tag."""
    return _label_facets(_count_facets(documents))


def _category_counts(documents: QuerySet[Document]) -> dict[int, int]:
    return dict(
        documents.order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )


def _count_facets(
    documents: QuerySet[Document], narrowed: Callable[[str], QuerySet[Document]] | None = None
) -> dict:
    """The facets as plain numbers (what ``shelf_counts`` keeps): types and tags by id.

    ``narrowed(name)``: the documents the active filters leave, all but the filter ``name``
    ("doc_type", "year", "agency", "tag"): each facet counts within the other filters, so its
    counts say what choosing one of its values would show."""

    def within(name: str) -> QuerySet[Document]:
        return (narrowed(name) if narrowed is not None else documents).order_by()

    by_year = [
        (be_year(year), n)
        for year, n in within("year")
        .filter(issued_on__isnull=False)
        .annotate(year=ExtractYear("issued_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    ]
    by_agency = list(
        within("agency")
        .exclude(agency="")
        .values_list("agency")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency")[:15]
    )
    tags = list(
        Tag.objects.filter(documents__in=within("tag").values("pk"))
        .annotate(n=Count("documents"))
        .order_by("-n", "name")
        .values_list("pk", "n", "name")[:30]
    )
    types = list(
        within("doc_type").values_list("doc_type").annotate(n=Count("pk")).order_by("doc_type")
    )
    return {"types": types, "years": by_year, "agencies": by_agency, "tags": tags}


def _label_facets(counted: dict, *, fresh: bool = True) -> Facets:
    """The facets with their labels; tags' names are read again unless the counts are
    ``fresh`` (a tag renamed since the counts were kept shows its new name)."""
    type_labels = dict(DocumentType.choices)
    if fresh:
        by_pk = {pk: Tag(pk=pk, name=name) for pk, _n, name in counted["tags"]}
    else:
        by_pk = Tag.objects.in_bulk([pk for pk, _n, _name in counted["tags"]])
    tags = []
    for pk, n, _name in counted["tags"]:
        if pk in by_pk:
            by_pk[pk].n = n
            tags.append(by_pk[pk])
    return {
        "types": [(value, type_labels.get(value, value), n) for value, n in counted["types"]],
        "years": counted["years"],
        "agencies": counted["agencies"],
        "tags": tags,
    }


def library_fingerprint() -> tuple[int, int, str]:
    """(how many documents were ever removed, the newest id, the latest change): any document
    added, edited (its tags and access too: the service saves the document), or removed changes
    it. Three index lookups, whatever the number of documents."""
    quote = connection.ops.quote_name
    table, removals = quote(Document._meta.db_table), quote(Removals._meta.db_table)
    count, kind = quote("count"), quote("kind")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT {count} FROM {removals} WHERE {kind} = %s),"  # noqa: S608
            f" (SELECT MAX(id) FROM {table}), (SELECT MAX(updated_at) FROM {table})",
            [REMOVED_DOCUMENT],
        )
        removed, last, changed = cursor.fetchone()
    return removed or 0, last or 0, str(changed)


#: The kind of ``Removals`` that counts removed documents.
REMOVED_DOCUMENT = "document"


@receiver(post_delete, sender=Document)
def _count_removal(**kwargs: object) -> None:
    """Every removal of a document (the service, the admin, a cascade) changes the library's
    fingerprint. A receiver also keeps Django from deleting documents without signals."""
    bump(Removals, {"kind": REMOVED_DOCUMENT}, count=1)


class Shelves(TypedDict):
    facets: Facets
    tree: list[CategoryNode]


def shelves(
    user: User,
    *,
    active: tuple[tuple[str, str], ...] = (),
    narrowed: Callable[[str], QuerySet[Document]] | None = None,
    words: tuple[str, ...] = (),
    library: tuple | None = None,
) -> Shelves:
    """The shelves' side panel for ``user``: facets and the category tree, counting only what
    they may open. The counts are kept per visibility rule and used only while the library's
    fingerprint is unchanged, so they are never out of date, and a page costs three index
    lookups instead of five grouped scans of every document.

    With filters on (``active``: their cleaned values, ``narrowed``: the visible documents
    under all of them but one, see ``_count_facets``), each facet and the tree count within
    the others (issue 16); such counts are kept too, one entry per filter set and rule, for a
    shorter time (the combinations are many, the plain shelves few).

    ``library``: the library's fingerprint when the caller has read it already.

    With ``words`` (the filter box's, which ``narrowed`` then leaves out), the documents holding
    them are counted by ``wordfilter`` rather than by seven ``LIKE`` scans (issue 20)."""
    rule = visibility_filter(user)
    if library is None:
        library = library_fingerprint()
    fingerprint = repr((str(rule), library, active)).encode()
    key = f"library-shelves:{hashlib.sha256(fingerprint).hexdigest()}"
    counted = cache.get(key)
    fresh = counted is None
    if counted is None and words and narrowed is not None:
        counted = wordfilter.count_shelves(narrowed, words, library)
        cache.set(key, counted, 600)
    if counted is None:
        visible = Document.objects.filter(rule)
        if not active:
            narrowed = None
        in_tree = narrowed("category") if narrowed is not None else visible
        counted = {
            "facets": _count_facets(visible, narrowed),
            "categories": _category_counts(in_tree),
        }
        cache.set(key, counted, 600 if active else 3600)
    return {
        "facets": _label_facets(counted["facets"], fresh=fresh),
        "tree": category_tree(own_counts=counted["categories"]),
    }


#: What the related documents' list shows of each (the rest is never read for it).
RELATED_FIELDS = ("pk", "title", "doc_type", "issued_on")
#: Up to this many tag links, the documents sharing a tag are counted in one grouped query; past
#: it, newest first by the date index (a common tag's thousand links made counting the document
#: page's dearest part at department scale, issue 20; a rare tag's few would make the walk long).
COUNT_LINKS_UP_TO = 250


def document_tags(document: Document) -> list[Tag]:
    """The document's tags, each with ``uses``: how many documents carry it (one query; the
    related documents' list chooses how to find those sharing them by it). ``uses`` counts
    documents the reader may not open too: it chooses a query, and is never shown."""
    # Plain SQL: the same subquery built from querysets took seven times as long to build as
    # to run (issue 20); it reads the (tag, document) index alone.
    uses = _links_sql("SELECT COUNT(*) FROM {links} uses WHERE uses.tag_id = {tags}.id", ())
    return list(document.tags.annotate(uses=uses))


def _links_sql(
    sql: str, params: tuple, output_field: Field | None = None, *, shared: int = 0
) -> RawSQL:
    """``sql`` about the tag links as an expression; ``{links}``, ``{documents}`` and ``{tags}``
    stand for the tables' quoted names (from the models), ``{among}`` for the links of ``shared``
    tags but not of one document; every value is in ``params``."""
    quote = connection.ops.quote_name
    tables = {
        "among": "tag_id IN ({}) AND document_id <> %s".format(", ".join(["%s"] * shared)),
        "links": quote(Document.tags.through._meta.db_table),
        "documents": quote(Document._meta.db_table),
        "tags": quote(Tag._meta.db_table),
    }
    return RawSQL(sql.format(**tables), params, output_field=output_field)  # noqa: S611


def related_documents(
    document: Document, *, user: User, limit: int = 6, tags: Iterable[Tag] | None = None
) -> list[Document]:
    """Visible documents that share the category or tags, most shared tags first, then the newest,
    with only ``RELATED_FIELDS`` read. ``tags``: the document's, from ``document_tags``, when the
    caller has them.

    Worked out on each request in at most four queries, none of which reads the row of every
    document that shares a common tag (issue 20): those sharing two or more tags are counted in
    the tags' links alone, those sharing one are read newest first along the date index until
    enough are found, and those on the same shelf come after them."""
    tags = document_tags(document) if tags is None else list(tags)
    tag_ids = sorted(tag.pk for tag in tags)
    if not tag_ids and not document.category_id:
        return []
    visible = (
        Document.objects.filter(visibility_filter(user))
        .exclude(pk=document.pk)
        .only(*RELATED_FIELDS)
    )
    found: list[Document] = []
    if tag_ids:
        links = sum(tag.uses for tag in tags)
        found = _sharing_tags(document, visible, limit, tag_ids, links)
    if len(found) < limit and document.category_id:
        same_shelf = visible.filter(category_id=document.category_id)
        if tag_ids:
            same_shelf = same_shelf.exclude(tags__in=tag_ids)
        for other in same_shelf.order_by("-issued_on", "-pk")[: limit - len(found)]:
            other.shared = 0
            found.append(other)
    return found


def _sharing_tags(
    document: Document, visible: QuerySet[Document], limit: int, tag_ids: list[int], tagged: int
) -> list[Document]:
    ranking = ("-shared", "-issued_on", "-pk")
    if tagged <= COUNT_LINKS_UP_TO:  # read from the tag index alone
        counted = visible.filter(tags__in=tag_ids).annotate(shared=Count("tags", distinct=True))
        return list(counted.order_by(*ranking)[:limit])
    # The links as plain SQL: built from querysets, these subqueries took longer to build than
    # to run (issue 20). Each reads the (tag, document) index alone.
    params, tags = (*tag_ids, document.pk), len(tag_ids)
    found: list[Document] = []
    if len(tag_ids) > 1:
        # On PostgreSQL as an array worked out once: as ``IN (…)`` the planner guessed a
        # thousand documents where there were a hundred and read the whole table to join them
        # (9.7 ms of the database's CPU a document page at 20,000, against 2.5).
        several = _links_sql(
            (
                "{documents}.id = ANY(ARRAY(SELECT document_id FROM {links} WHERE {among}"
                " GROUP BY document_id HAVING COUNT(*) > 1))"
            )
            if connection.vendor == "postgresql"
            else (
                "{documents}.id IN (SELECT document_id FROM {links} WHERE {among}"
                " GROUP BY document_id HAVING COUNT(*) > 1)"
            ),
            params,
            BooleanField(),
            shared=tags,
        )
        how_many = _links_sql(
            "SELECT COUNT(*) FROM {links} WHERE {among} AND document_id = {documents}.id",
            params,
            IntegerField(),
            shared=tags,
        )
        found = list(visible.filter(several).annotate(shared=how_many).order_by(*ranking)[:limit])
    if len(found) < limit:
        # Those sharing one tag: every visible one sharing more is in ``found`` already.
        sharing = _links_sql(
            "EXISTS (SELECT 1 FROM {links} WHERE {among} AND document_id = {documents}.id)",
            params,
            BooleanField(),
            shared=tags,
        )
        one = (
            visible.filter(sharing)
            .exclude(pk__in=[other.pk for other in found])
            .order_by("-issued_on", "-pk")
        )
        for other in one[: limit - len(found)]:
            other.shared = 1
            found.append(other)
    return found


def latest_documents(request: HttpRequest, *, limit: int = 6) -> list[HomeLink]:
    """The landing page's "new in the knowledge corner": titles and addresses only, so the
    home page may keep them (``latest_documents_depend_on``)."""
    rows = (
        Document.objects.visible_to(request.user)
        .order_by("-created_at")
        .values_list("pk", "title")[:limit]
    )
    documents = (Document(pk=pk, title=title) for pk, title in rows)
    return [HomeLink(str(document), document.get_absolute_url()) for document in documents]


def latest_documents_depend_on(request: HttpRequest) -> tuple[str, tuple[int, int, str]]:
    """What ``latest_documents`` depends on: the person's visibility rule and the library's
    fingerprint (a document added, edited or removed changes it)."""
    return str(visibility_filter(request.user)), library_fingerprint()


def existing_files(digests: Iterable[str]) -> dict[str, DocumentFile]:
    """The library's files with these SHA-256 digests (with their documents), by digest."""
    files = DocumentFile.objects.filter(sha256__in=list(digests)).select_related("document")
    return {f.sha256: f for f in files}
