"""The search engine: one Whoosh index of everything the portal can find.

This package is the only place that imports Whoosh, and it imports nothing from Django or from
the portal's apps (``tests/search/test_engine_package.py`` checks both), so it can be read and
tested on its own and one day swapped for another engine by changing only this package. The
Django side (``apps/search/indexing.py``, ``searching.py``, ``upkeep.py``) uses only the names
below.

Modules:

- ``schema``: the index's fields, ``EngineConfig``, and the request, viewer and result types;
- ``analysis`` (Thai text to tokens) and ``analyzers`` (the Whoosh analyzers built on it);
- ``query``: parsing what people type and building the Whoosh query, one stage per function;
- ``index``: the index lifecycle and writes; ``searcher``: search, suggest, more like this;
- ``sections``: long laws and regulations indexed section by section besides whole;
- ``store`` (the folder, its lock and atomic replacement), ``snapshot`` (a searcher and its
  caches), ``spelling`` (did you mean), ``highlight`` (snippets).
"""

from .highlight import highlight
from .schema import (
    ACCESS_ALL,
    ACCESS_KM,
    ACCESS_PRIVATE,
    ACCESS_TEAM,
    DEFAULT_CONFIG,
    FACET_FIELDS,
    EngineConfig,
    Hit,
    IndexLockedError,
    IndexUnavailableError,
    SearchRequest,
    SearchResponse,
    Viewer,
    access_filter,
    build_schema,
)
from .searcher import SearchEngine
from .sections import parent_of, section_text

__all__ = [
    "ACCESS_ALL",
    "ACCESS_KM",
    "ACCESS_PRIVATE",
    "ACCESS_TEAM",
    "DEFAULT_CONFIG",
    "FACET_FIELDS",
    "EngineConfig",
    "Hit",
    "IndexLockedError",
    "IndexUnavailableError",
    "SearchEngine",
    "SearchRequest",
    "SearchResponse",
    "Viewer",
    "access_filter",
    "build_schema",
    "highlight",
    "parent_of",
    "section_text",
]
