"""Parsing what people type into the search box.

The syntax is small on purpose:

- plain words: any of them may match; more matches rank higher (no implicit AND),
- ``"..."`` (or Thai/curly quotes ``“...”``): the words must appear in this order,
- ``-word`` / ``-"..."``: leave out items containing it,
- ``field:value``: filters; ``type:circular``, ``kind:document``, ``year:2551``,
  ``year:2550-2555``, ``category:12``, ``team:3``, ``code:5/2551`` (Thai names too: ``ประเภท:``,
  ``ปี:``, ``หมวด:``, ``ทีม:``, ``เลขที่:``). Several values are ``type:a,b``; ``-type:a`` leaves
  them out. An unknown ``name:`` is ordinary text (times like 10:30 stay searchable).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh.query import And, AndMaybe, AndNot, Every, NumericRange, Phrase, Query, Term

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right; the plain one is used only as the whole query.
from whoosh.query import Or as WhooshOr
from whoosh.query.compound import DefaultOr as Or

from .analysis import (
    CODE,
    JOIN,
    MAX_PREFIX,
    PART,
    WORD,
    cluster_prefix,
    dictionary_words,
    gram_runs,
    ngrams,
    normalize,
    stopwords,
)
from .analyzers import ThaiWordTokenizer

#: Field names people may type, mapped to index fields.
FIELD_ALIASES: dict[str, str] = {
    "type": "doc_type",
    "doc_type": "doc_type",
    "ประเภท": "doc_type",
    "kind": "kind",
    "ชนิด": "kind",
    "year": "year",
    "ปี": "year",
    "category": "category",
    "cat": "category",
    "หมวด": "category",
    "หมวดหมู่": "category",
    "team": "team",
    "ทีม": "team",
    "code": "code",
    "no": "code",
    "เลขที่": "code",
}

WORD_FIELDS = ("title", "body", "code")
_TITLE_MATCH_MAX_WORDS = 40
_PARTIAL_MAX_UNITS = 4

_CHUNK_RE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>[^\s:"“”]+):)?(?:"(?P<q1>[^"]*)"?|“(?P<q2>[^”]*)”?|(?P<bare>\S+))"""
)
_YEAR_RANGE_RE = re.compile(r"^(\d{1,4})\s*(?:-|\.\.)\s*(\d{1,4})$")


@dataclass
class ParsedQuery:
    """The parts of one search-box string, all normalised."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The free text (words only) as one string."""
        return " ".join(self.words)

    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.filters or self.excluded_filters)


def parse(raw: str) -> ParsedQuery:
    """Split a search-box string into words, phrases, exclusions and field filters."""
    parsed = ParsedQuery()
    for match in _CHUNK_RE.finditer(normalize(raw or "")):
        negated = bool(match.group("neg"))
        name = match.group("field")
        quoted = match.group("q1")
        if quoted is None:
            quoted = match.group("q2")
        value = quoted if quoted is not None else match.group("bare")
        if name is not None and name in FIELD_ALIASES:
            target = parsed.excluded_filters if negated else parsed.filters
            values = [v.strip() for v in (value or "").split(",") if v.strip()]
            if values:
                target.setdefault(FIELD_ALIASES[name], []).extend(values)
            continue
        if name is not None:  # not a filter: put the text back together
            value = f"{name}:{value or ''}"
        value = (value or "").strip()
        if not value or value == "-":
            continue
        if negated:
            parsed.excluded.append(value)
        elif quoted is not None and name is None:
            parsed.phrases.append(value)
        else:
            parsed.words.append(value)
    return parsed


def year_bounds(value: str) -> tuple[int, int] | None:
    """``"2551"`` → (2551, 2551); ``"2550-2555"`` → (2550, 2555); anything else → None."""
    value = value.strip()
    if value.isdigit():
        return int(value), int(value)
    match = _YEAR_RANGE_RE.match(value)
    if match:
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        return low, high
    return None


# --------------------------------------------------------------------------------------------
# Building the Whoosh query
# --------------------------------------------------------------------------------------------


@dataclass
class Built:
    """A built query and what it was made of (for highlighting and "did you mean")."""

    query: Query | None
    terms: list[str]
    partials: list[str]
    unknown: list[str]


NOTHING = Term("uid", "\x00nothing")


def build_query(parsed: ParsedQuery, snap: Any, analyzer: ThaiWordTokenizer, config: Any) -> Built:
    """The scored Whoosh query for the text of ``parsed`` (filters are applied elsewhere).

    ``snap`` is the engine's searcher snapshot (doc frequencies, reader); ``config`` its
    ``EngineConfig``.
    """
    c = config
    tokens = analyzer.analyse(parsed.text) if parsed.words else []
    kinds = (WORD, JOIN, CODE, PART) if c.query_parts else (WORD, JOIN, CODE)
    counts = Counter(tok.text for tok in tokens if tok.kind in kinds)
    stop = stopwords() if c.drop_stopwords else frozenset()

    # (weight, term, document frequency per field, soft). A soft term is a stopword kept
    # because it is rare here: it adds to the score but never makes a hit by itself
    # ("การปลูกยางพารา" must not find every "การประชุม").
    candidates: list[tuple[float, str, dict[str, int], bool]] = []
    dropped: list[tuple[float, str, dict[str, int], bool]] = []
    unknown: list[str] = []
    n = snap.doc_count
    for term, qtf in counts.items():
        dfs = {name: snap.doc_frequency(name, term) for name in WORD_FIELDS}
        df = max(dfs.values())
        if df == 0:
            unknown.append(term)
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        item = (idf * (1 + math.log(qtf)), term, dfs, term in stop)
        common = c.common_df_ratio is not None and df > c.common_df_ratio * n
        if common or (term in stop and df > c.stop_df_ratio * n):
            dropped.append(item)
        else:
            candidates.append(item)
    if not candidates:
        candidates = dropped  # a query of only common words searches for them
    if len(candidates) > c.max_terms:
        common = [x for x in candidates if max(x[2].values()) > c.max_df_ratio * n]
        if len(candidates) - len(common) >= c.max_terms // 2:
            candidates = [x for x in candidates if x not in common]
        candidates = sorted(candidates, key=lambda x: -x[0])[: c.max_terms]

    boosts = {"title": c.title_boost, "body": 1.0, "code": c.code_boost}
    clauses: list[Query] = []
    soft: list[Query] = []
    for _score, term, dfs, is_soft in candidates:
        fields = [Term(name, term, boost=boosts[name]) for name in WORD_FIELDS if dfs[name]]
        (soft if is_soft else clauses).append(fields[0] if len(fields) == 1 else Or(fields))

    if c.title_match_weight and "title_key" in snap.reader.schema:
        clauses.extend(_title_matches(snap, tokens, c))

    # A long query (more words than K) is a pasted passage, not a half-typed word.
    long_query = len(counts) > c.max_terms
    partials = [] if long_query or not c.partial_weight else _partial_units(parsed, tokens, c)
    used_partials: list[str] = []
    selected = {item[1] for item in candidates}
    for unit in partials:
        if unit in selected:
            continue  # a whole word already searched for
        clause = _partial_clause(snap, unit, c)
        if clause is not None:
            clauses.append(clause)
            used_partials.append(unit)
    if not clauses and all(term in stop for term in counts):
        clauses, soft = soft, []  # a query of only stopwords searches for them

    required: list[Query] = []
    phrase_terms: list[str] = []
    for phrase in parsed.phrases:
        words = analyzer.phrase_terms(phrase)
        if words:
            required.append(_phrase(words, ("title", "body")))
            phrase_terms.extend(words)
    for value in parsed.filters.get("code", []):
        code_tokens = analyzer.analyse(value)
        codes = [t.text for t in code_tokens if t.kind == CODE] or [
            t.text for t in code_tokens if t.kind == WORD
        ]
        if codes:
            required.append(And([Term("code", t) for t in codes]))

    optional: Query | None = None
    top_level = not (required or parsed.excluded)
    if soft and not c.soft_stopwords:
        # Plain OR terms (faster), but still never the only words a query found.
        clauses, soft = (clauses + soft if clauses else []), []
    if clauses:
        if len(clauses) == 1:
            optional = clauses[0]
        elif top_level and not soft:
            # The whole query: Whoosh's own Or may pick its faster preloading matcher here.
            optional = WhooshOr(clauses, scale=c.or_factor)
        else:
            optional = Or(clauses, scale=c.or_factor)
        if soft:  # scored only where a real word matched
            optional = AndMaybe(optional, soft[0] if len(soft) == 1 else Or(soft))
    if required and optional is not None:
        query: Query | None = AndMaybe(And(required), optional)
    elif required:
        query = And(required)
    else:
        query = optional
    if query is None and parsed.words:
        query = NOTHING  # words that are nowhere in the index find nothing
    excluded = [
        _phrase(words, ("title", "body", "code"))
        for words in (analyzer.phrase_terms(chunk) for chunk in parsed.excluded)
        if words
    ]
    if excluded:
        query = AndNot(query if query is not None else Every(), Or(excluded))
    terms = [item[1] for item in candidates] + phrase_terms
    return Built(query, terms, used_partials, unknown)


def _title_matches(snap: Any, tokens: Sequence[Any], config: Any) -> list[Query]:
    """Items whose whole title is in the query, word for word (questions name their subject).

    The bonus grows with the title's length: a one-word title like "พืช" says little.
    """
    words = [tok.text for tok in tokens if tok.kind == WORD]
    if len(words) > _TITLE_MATCH_MAX_WORDS:
        return []
    found: list[Query] = []
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 8) + 1):
            key = "".join(words[i:j])
            if len(key) >= 2 and snap.doc_frequency("title_key", key):
                weight = config.title_match_weight * min(1.0, len(key) / 12)
                found.append(Term("title_key", key, boost=weight))
    return found


def _partial_units(parsed: ParsedQuery, tokens: Sequence[Any], config: Any) -> list[str]:
    """Strings that may be parts of words: short chunks, and pieces the dictionary lacks.

    A half-typed word ("สหกร") is cut by the segmenter into short known pieces (สห, กร), so
    a short chunk is tried whole, and runs of one- or two-letter pieces are joined up.
    """
    c = config
    words = dictionary_words(c.custom_dict)
    units: list[str] = []
    for chunk in parsed.words:
        units.extend(run for run in gram_runs(chunk) if len(run) <= c.partial_max_chars)
    run: list[str] = []
    last_end = -1
    for tok in tokens:
        if tok.kind != WORD:
            continue
        fragment = len(tok.text) <= 2 or tok.text not in words
        if fragment and (not run or tok.start == last_end):
            run.append(tok.text)
        else:
            if len(run) > 1:
                units.append("".join(run))
            run = [tok.text] if fragment else []
        last_end = tok.end
    if len(run) > 1:
        units.append("".join(run))
    units = [u for u in units if len(u) >= c.gram_size]
    return list(dict.fromkeys(units))[:_PARTIAL_MAX_UNITS]


def _partial_clause(snap: Any, unit: str, config: Any) -> Query | None:
    """Where ``unit`` is part of a word: in the partial field, and body words it begins."""
    c = config
    options: list[Query] = []
    if c.partial_mode == "prefix":
        prefix = cluster_prefix(unit[:MAX_PREFIX])
        if len(prefix) >= c.gram_size and snap.doc_frequency("partial", prefix):
            options.append(Term("partial", prefix))
    else:
        grams = ngrams(unit, c.gram_size, normalized=True)
        if len(grams) == 1 and all(snap.doc_frequency("partial", g) for g in grams[0]):
            run = grams[0]
            options.append(Term("partial", run[0]) if len(run) == 1 else Phrase("partial", run))
    if c.partial_source != "all" and c.expand_limit:
        words = _expansions(snap, unit, c)
        if words:
            options.append(Or([Term("body", word) for word in words]))
    if not options:
        return None
    return (
        Or(options, boost=c.partial_weight)
        if len(options) > 1
        else _boosted(options[0], c.partial_weight)
    )


def _expansions(snap: Any, prefix: str, config: Any, scan: int = 300) -> list[str]:
    """The body's most common words that begin with ``prefix`` (longer than it)."""
    found: list[tuple[int, str]] = []
    for index, word in enumerate(snap.reader.expand_prefix("body", prefix)):
        if index >= scan:
            break
        if word != prefix:
            found.append((snap.doc_frequency("body", word), word))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in found[: config.expand_limit]]


def _boosted(query: Query, boost: float) -> Query:
    query.boost = boost
    return query


def _phrase(words: list[str], fields: tuple[str, ...]) -> Query:
    if len(words) == 1:
        return Or([Term(name, words[0]) for name in fields])
    return Or([Phrase(name, words) for name in fields])


def field_query(name: str, values: list[str]) -> Query:
    if name == "year":
        ranges = [b for b in (year_bounds(v) for v in values) if b]
        if not ranges:
            return NOTHING
        return Or([NumericRange("year", low, high) for low, high in ranges])
    return Or([Term(name, v) for v in values])
