"""The search index's fields, the engine's settings, and the types a search takes and gives.

Fields of the index (one document per record, ``uid = "kind:pk"``):

=============  ================================================================================
uid            "kind:pk", unique; stored
kind           what sort of record ("document", "article", "expert", ...); stored, facet
pk             the record's primary key; stored
title          title, word analysis; stored; weighted ``title_boost`` at query time
title_key      the title's words run together (no parenthesised part): a query that contains a
               whole title word for word earns ``title_match_weight``
body           everything else searchable (text, summary, tags, extracted file text); not stored
partial        character 3-grams of the title, for parts of words anywhere in a title; weighted
               below whole words. Parts of words in the body are found by expanding the typed
               beginning against the body's word list at query time (no index cost); see
               bench/engine_experiments.py for why the body is not n-grammed.
law            the name of the law or regulation an entry is a section of (``law`` given, or
               a body that starts with the title and then "มาตรา 40", ``legal.leading_section``):
               weighted ``law_boost``, below the title, so a name every section shares does
               not lift the whole law; the indexed title is then the title without that name
section        the section's keys ("มาตรา40", "<law words>#มาตรา40"; see ``legal.py``) from
               ``section``: a query naming the section (and its law) finds it
cites          the sections of its own law a section's text refers to ("<law words>#มาตรา65";
               ``legal.cited_keys``): how often a section is cited by the others of its law
               (the term's document frequency) lifts it a little for a pasted case
code           document numbers ("กษ 1108/ว 123", "5/2551"); word analysis, so "ว123" matches
doc_type       document type ("circular", "order", ...); stored, facet
category       the category id and its ancestors' ids ("3,12,40"); facet
year           Buddhist-era year (2568); numeric, stored, facet; from ``date`` when not given
team           owning team ids; facet
date           the record's date (aware datetimes are stored as UTC); sortable
access         who may see it: "all" (every signed-in user), "km" (KM team members), "team"
               (members of ``access_team``), "private" or anything else (owners and admins)
access_team    team ids for ``access="team"``
owner          user ids who always see it (authors, uploaders)
extra          free keywords for filters the portal needs (workflow states, flags)
stamp          the record's version (e.g. updated_at ISO string) for consistency checks; stored
parent         a section entry's record uid ("document:12"; ``sections.py``): the entry is a
               section of a long law or regulation, never a hit of its own
keyterms       the body's most frequent words, for ``more_like``; stored, not indexed
data           any small dict the portal wants back with a hit (url, summary); stored
=============  ================================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, Query, Term

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right.
from whoosh.query.compound import DefaultOr as Or

from .analyzers import ThaiWordTokenizer, partial_analyzer, word_analyzer
from .highlight import highlight

ACCESS_ALL = "all"
ACCESS_KM = "km"
ACCESS_TEAM = "team"
ACCESS_PRIVATE = "private"

FACET_FIELDS = ("kind", "doc_type", "category", "year", "team")
MULTI_VALUED = ("category", "team", "access_team", "owner", "extra")
INDEX_NAME = "MAIN"
PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class EngineConfig:
    """The engine's tuned values (bench/ measured them; its variants live there, not here).

    The analysis itself (nlpo3 with our dictionary, compound parts, joined unknown words,
    character 3-grams of titles in the partial field) is fixed by ``build_schema``.
    """

    gram_size: int = 3  # the partial field's n-grams (stored with the index: rebuild to change)
    # BM25F
    k1: float = 0.7
    b: float = 0.75
    title_b: float = 0.5
    # Query building
    title_boost: float = 1.0
    code_boost: float = 2.0
    law_boost: float = 0.3  # the law's name, shared by all its sections
    # A query names this section of this law ("มาตรา 40 ..."): × the most its words can score
    section_weight: float = 1.0
    section_number_weight: float = 0.05  # ...or only a section number, of no law it names
    # A pasted case: a section's score × (1 + cited_weight × ln(1 + sections of its law citing
    # it)). Definitions and core rules (ประมวลรัษฎากร มาตรา 40, 65, 77/1) are what other
    # sections refer to, and what cases turn on (bench/search_quality.py, README).
    cited_weight: float = 0.1
    partial_weight: float = 0.3
    stop_df_ratio: float = 0.5  # a stopword is dropped when in more than this share of documents
    long_query_terms: int = 24  # more terms: a pasted passage, scored term at a time
    partial_max_chars: int = 12  # a chunk this short may be a partial word: try the partial field
    expand_limit: int = 16  # a partial word expands to at most this many body words
    title_match_weight: float = 8.0  # bonus when a whole title (its words in order) is in the query
    lock_timeout: float = 30.0


DEFAULT_CONFIG = EngineConfig()


class IndexLockedError(RuntimeError):
    """Another writer held the index lock for longer than ``lock_timeout``."""


class IndexUnavailableError(RuntimeError):
    """The index cannot be read (damaged files, a folder that cannot be made): search is down
    until ``check_index --repair`` or ``rebuild_index`` mends it."""


@dataclass(frozen=True)
class Viewer:
    """Who is searching. Anonymous (no user_id) sees only ``access="all"`` items."""

    user_id: int | str | None = None
    is_admin: bool = False
    is_km_member: bool = False
    team_ids: frozenset[int | str] = frozenset()


@dataclass
class SearchRequest:
    """One search: the query text, who asks, filters, order and page."""

    viewer: Viewer
    text: str = ""
    kinds: Sequence[str] = ()
    doc_types: Sequence[str] = ()
    categories: Sequence[int | str] = ()
    years: Sequence[int] = ()
    teams: Sequence[int | str] = ()
    extra: Sequence[str] = ()  # every one of these keywords must be present
    hidden: Sequence[str] = ()  # uids left out: entries the index has not caught up with
    sort: str = "relevance"  # or "date" (newest first) or "date_asc"
    page: int = 1
    page_size: int = 20
    facets: bool = True
    spelling: bool = True


@dataclass
class Hit:
    """One result: what the portal needs to show it and look the record up."""

    uid: str
    kind: str
    pk: Any
    title: str
    score: float
    date: datetime | None = None
    doc_type: str = ""
    year: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class SearchResponse:
    """Hits of one page, the total, facet counts and what to highlight."""

    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    did_you_mean: str | None = None
    terms: tuple[str, ...] = ()
    partials: tuple[str, ...] = ()
    took_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size)) if self.page_size else 1

    def highlight(self, text: str, max_chars: int = 240) -> str:
        """``highlight`` with this search's terms."""
        return highlight(text, self.terms, partials=self.partials, max_chars=max_chars)


def build_schema(
    config: EngineConfig = DEFAULT_CONFIG, words: ThaiWordTokenizer | None = None
) -> Schema:
    """The index's fields; ``words`` is the word analysis (bench/ tries others)."""
    words = words or word_analyzer()
    return Schema(
        uid=ID(unique=True, stored=True),
        parent=ID(),
        kind=ID(stored=True, sortable=True),
        pk=STORED(),
        title=TEXT(analyzer=words, stored=True),
        title_key=ID(),
        body=TEXT(analyzer=words),
        partial=TEXT(
            analyzer=partial_analyzer(mode="ngram", size=config.gram_size, words=words),
            phrase=True,
        ),
        law=TEXT(analyzer=words, phrase=False),  # words only: no phrase asks for a law's name
        section=KEYWORD(commas=True),
        cites=KEYWORD(commas=True),
        code=TEXT(analyzer=words, stored=True),
        doc_type=ID(stored=True, sortable=True),
        category=KEYWORD(commas=True, stored=True),
        # One term per value (``shift_step=bits``): a year range is a few dozen years, and
        # Whoosh's tiers (8 terms a document) were work at every write for nothing.
        year=NUMERIC(numtype=int, bits=32, stored=True, sortable=True, shift_step=32),
        team=KEYWORD(commas=True, stored=True),
        date=sort_date(),
        access=ID(stored=True),
        access_team=KEYWORD(commas=True),
        owner=KEYWORD(commas=True),
        extra=KEYWORD(commas=True, stored=True),
        stamp=STORED(),
        keyterms=STORED(),
        data=STORED(),
    )


def sort_date() -> DATETIME:
    """The record's date, for sorting (a column) and showing (stored), not for finding: no
    query asks for a range of dates, and its 8 terms a document (Whoosh's numeric tiers) were
    41,000 of the 542,000 postings an import of 5,127 law sections writes. An index made
    before keeps its date terms; nothing reads them. Whoosh's own field with the flag set on
    it, not a class of ours: the index pickles its schema, and an index must stay readable by
    code that has no such class (an older release, a renamed module)."""
    field = DATETIME(stored=True, sortable=True)
    field.indexed = False
    return field


def access_filter(viewer: Viewer) -> Query | None:
    """What ``viewer`` may see, as a query; None for admins (everything)."""
    if viewer.is_admin:
        return None
    clauses: list[Query] = [Term("access", ACCESS_ALL)]
    if viewer.is_km_member:
        clauses.append(Term("access", ACCESS_KM))
    if viewer.team_ids:
        teams = Or([Term("access_team", str(t)) for t in sorted(viewer.team_ids, key=str)])
        clauses.append(And([Term("access", ACCESS_TEAM), teams]))
    if viewer.user_id is not None:
        clauses.append(Term("owner", str(viewer.user_id)))
    return Or(clauses)
