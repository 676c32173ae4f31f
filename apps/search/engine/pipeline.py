"""Building the scored Whoosh query for what someone typed, one stage at a time.

``build_query`` runs ``STAGES`` in order over one ``Draft``; each stage reads what the earlier
ones left and adds its own part:

1. ``read_terms``: the query's words, joined-up unknown words and document numbers;
2. ``choose_stopwords``: the stopword list (words too common to mean much);
3. ``weigh_terms``: each term's weight (BM25 idf × query frequency); words nowhere in the index
   are "unknown" (for did-you-mean), stopwords in most documents are set aside;
4. ``mark_long``: a query of more than ``long_query_terms`` terms is a pasted passage: every
   term is still scored, but the searcher adds them up term at a time (``accumulate.py``);
5. ``word_clauses``: one clause per term over the fields that have it (title, body, code),
   weighted by how often the query repeats it; ``abbreviation_clauses``: the full forms of the
   Thai abbreviations the query holds ("พ.ร.บ." → "พระราชบัญญัติ") and the reverse
   (``abbreviations.py``);
6. ``title_matches``: a bonus for items whose whole title is in the query;
   ``section_references``: a section the query names ("มาตรา 40 ประมวลรัษฎากร", ``legal.py``);
7. ``partial_words``: parts of words (a half-typed word) through the partial field;
8. ``merge_stopwords``: kept stopwords add to the score but never make a hit by themselves;
9. ``required_parts``: quoted phrases and ``code:`` filters every hit must have;
10. ``combine``: the clauses as one query, with the required parts and the exclusions.

Filters (access, kinds, years...) are not part of it: the searcher applies them as doc sets.
bench/ tries variants by running other stages (``SearchEngine.stages``), never by flags here.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from whoosh.query import And, AndMaybe, AndNot, Every, Phrase, Query, Term

# Whoosh's plain Or picks a "preloaded array" matcher on indexes under 5,000 documents, and that
# matcher returns wrong hits once it is nested inside AndMaybe/Or (whoosh-reloaded 2.7.5). The
# binary-tree Or is always right; the plain one is used only as the whole query.
from whoosh.query import Or as WhooshOr
from whoosh.query.compound import DefaultOr as Or

from . import abbreviations, legal
from .analysis import CODE, JOIN, WORD, dictionary_words, gram_runs, ngrams, stopwords
from .analyzers import ThaiWordTokenizer
from .query import NOTHING, ParsedQuery
from .schema import EngineConfig

WORD_FIELDS = ("title", "body", "code", "law")
#: Token kinds searched as whole terms (compound parts are not: the compound itself is).
TERM_KINDS = (WORD, JOIN, CODE)
_TITLE_MATCH_MAX_WORDS = 40
_PARTIAL_MAX_UNITS = 4
_MAX_REFERENCES = 16


@dataclass
class Built:
    """A built query and what it was made of (for highlighting and "did you mean")."""

    query: Query | None
    terms: list[str]
    partials: list[str]
    unknown: list[str]
    #: A pasted passage (``mark_long``).
    long: bool = False
    #: The clauses as (field, term, weight) and other queries when the query is only their
    #: sum (None when it has required or excluded parts): see ``accumulate.py``.
    weighted: list[tuple[str, str, float]] | None = None
    extra: list[Query] = field(default_factory=list)


class Candidate(NamedTuple):
    """A query term: its weight, document frequency per field, and whether it is a stopword."""

    weight: float
    term: str
    dfs: dict[str, int]
    stopword: bool


@dataclass(frozen=True)
class Context:
    """What the stages read: the searcher snapshot (doc frequencies), the word analyzer and
    the engine's settings."""

    snap: Any
    analyzer: ThaiWordTokenizer
    config: EngineConfig


@dataclass
class Draft:
    """One query being built: each stage fills in its part."""

    parsed: ParsedQuery
    tokens: Sequence[Any] = ()
    counts: Counter[str] = field(default_factory=Counter)
    stop: frozenset[str] = frozenset()
    candidates: list[Candidate] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    clauses: list[Query] = field(default_factory=list)
    soft: list[Query] = field(default_factory=list)  # stopword clauses, kept apart until merged
    partials: list[str] = field(default_factory=list)
    required: list[Query] = field(default_factory=list)
    phrase_terms: list[str] = field(default_factory=list)
    long: bool = False
    #: The query's scoring clauses as (field, term, weight) and other queries, when they are
    #: only added up (no required or excluded part): ``accumulate`` scores them the same way.
    weighted: list[tuple[str, str, float]] | None = None
    extra: list[Query] = field(default_factory=list)
    query: Query | None = None


Stage = Callable[[Draft, Context], None]


def build_query(
    parsed: ParsedQuery,
    snap: Any,
    analyzer: ThaiWordTokenizer,
    config: EngineConfig,
    stages: Sequence[Stage] | None = None,
) -> Built:
    """The scored Whoosh query for the text of ``parsed`` (filters are applied elsewhere)."""
    draft, context = Draft(parsed), Context(snap, analyzer, config)
    for stage in STAGES if stages is None else stages:
        stage(draft, context)
    terms = [item.term for item in draft.candidates] + draft.phrase_terms
    return Built(
        draft.query,
        terms,
        draft.partials,
        draft.unknown,
        draft.long,
        draft.weighted,
        draft.extra,
    )


# --------------------------------------------------------------------------------------------
# The stages
# --------------------------------------------------------------------------------------------


def read_terms(draft: Draft, context: Context) -> None:
    """The query's tokens, and how often each searchable term occurs in it."""
    draft.tokens = context.analyzer.analyse(draft.parsed.text) if draft.parsed.words else ()
    draft.counts = Counter(tok.text for tok in draft.tokens if tok.kind in TERM_KINDS)


def choose_stopwords(draft: Draft, context: Context) -> None:
    draft.stop = stopwords()


def weigh_terms(draft: Draft, context: Context) -> None:
    """Each known term with its weight; a stopword in more than ``stop_df_ratio`` of the
    documents is set aside unless the query has nothing else."""
    snap, c = context.snap, context.config
    n = snap.doc_count
    dropped: list[Candidate] = []
    for term, qtf in draft.counts.items():
        dfs = {name: snap.doc_frequency(name, term) for name in WORD_FIELDS}
        df = max(dfs.values())
        if df == 0:
            draft.unknown.append(term)
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        item = Candidate(idf * query_weight(qtf), term, dfs, term in draft.stop)
        if item.stopword and df > c.stop_df_ratio * n:
            dropped.append(item)
        else:
            draft.candidates.append(item)
    if not draft.candidates:
        draft.candidates = dropped  # a query of only common words searches for them


def mark_long(draft: Draft, context: Context) -> None:
    """A query of more than ``long_query_terms`` terms is a pasted passage, not typed words.

    Nothing is dropped from it: every term is scored, with its BM25 weight and how often the
    passage repeats it. The searcher adds the terms up one at a time over their postings
    (``accumulate.py``) instead of running one Whoosh OR of them all."""
    draft.long = len(draft.counts) > context.config.long_query_terms


def word_clauses(draft: Draft, context: Context) -> None:
    """One clause per term, over the fields it occurs in, weighted by the term's query
    frequency in a pasted passage (``repeat_weight``); stopwords go to ``soft``."""
    c = context.config
    boosts = {"title": c.title_boost, "body": 1.0, "code": c.code_boost, "law": c.law_boost}
    for item in draft.candidates:
        repeat = repeat_weight(draft, item.term)
        fields = [
            Term(name, item.term, boost=boosts[name] * repeat)
            for name in WORD_FIELDS
            if item.dfs[name]
        ]
        clause = fields[0] if len(fields) == 1 else Or(fields)
        (draft.soft if item.stopword else draft.clauses).append(clause)


def abbreviation_clauses(draft: Draft, context: Context) -> None:
    """The full form of each abbreviation the query holds, as a phrase in the title or body
    ("กษ." finds "กระทรวงเกษตรและสหกรณ์", not every text with "สหกรณ์"); and the abbreviation
    of each full form it names, as the index holds it ("พระราชบัญญัติ" finds "พ.ร.บ.")."""
    parsed, snap = draft.parsed, context.snap
    if not parsed.words or draft.long:
        return
    texts = [tok.text for tok in draft.tokens if tok.kind in TERM_KINDS]
    searched = {item.term for item in draft.candidates}
    for entry in abbreviations.in_query(parsed.words, texts):
        for full in entry.full:
            words = context.analyzer.phrase_terms(full)
            known = all(
                snap.doc_frequency("title", w) or snap.doc_frequency("body", w) for w in words
            )
            if words and known and words != [entry.key]:
                draft.clauses.append(phrase_query(words, ("title", "body")))
                draft.phrase_terms.extend(w for w in words if w not in draft.phrase_terms)
    for entry in abbreviations.full_forms_in(parsed.text):
        fields = [name for name in ("title", "body") if snap.doc_frequency(name, entry.key)]
        if fields and entry.key not in searched:
            draft.clauses.append(Or([Term(name, entry.key) for name in fields]))
            draft.phrase_terms.append(entry.key)


def title_matches(draft: Draft, context: Context) -> None:
    """Items whose whole title is in the query, word for word (questions name their subject).

    The bonus grows with the title's length: a one-word title like "พืช" says little.
    """
    snap, c = context.snap, context.config
    if not c.title_match_weight or "title_key" not in snap.reader.schema:
        return
    words = [tok.text for tok in draft.tokens if tok.kind == WORD]
    if len(words) > _TITLE_MATCH_MAX_WORDS:
        return
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 8) + 1):
            key = "".join(words[i:j])
            if len(key) >= 2 and snap.doc_frequency("title_key", key):
                weight = c.title_match_weight * min(1.0, len(key) / 12)
                draft.clauses.append(Term("title_key", key, boost=weight))


def section_references(draft: Draft, context: Context) -> None:
    """Sections the query names: "มาตรา 40 (2) แห่งประมวลรัษฎากร" puts that section of that
    law first (its bonus is ``section_weight`` × the most its words could score,
    ``words_bound``); a section number of no law the query names lifts each law's section of
    that number (``section_number_weight`` × the same)."""
    snap, c = context.snap, context.config
    if "section" not in snap.reader.schema or not (c.section_weight or c.section_number_weight):
        return
    text = draft.parsed.text
    found = legal.references(text)[:_MAX_REFERENCES]
    if not found:
        return
    bound = max(1.0, words_bound(draft, context))
    known = functools.partial(snap.doc_frequency, "section")
    seen: set[str] = set()
    for reference in found:
        key = legal.law_of(text, reference, context.analyzer.analyse, known)
        weight = c.section_weight
        if key is None:
            key, weight = reference.key, c.section_number_weight
        if key not in seen and weight and snap.doc_frequency("section", key):
            seen.add(key)
            draft.clauses.append(Term("section", key, boost=weight * bound))


def words_bound(draft: Draft, context: Context) -> float:
    """The highest score the query's words could give one item (BM25's tf part is below
    k1 + 1): what a section the query names must outweigh."""
    c, searcher = context.config, context.snap.searcher
    boosts = {"title": c.title_boost, "body": 1.0, "code": c.code_boost, "law": c.law_boost}
    bound = 0.0
    for item in draft.candidates:
        repeat = repeat_weight(draft, item.term)
        bound += repeat * sum(
            boosts[name] * searcher.idf(name, item.term) for name in WORD_FIELDS if item.dfs[name]
        )
    return bound * (c.k1 + 1)


def partial_words(
    draft: Draft, context: Context, clause_for: Callable[..., Query | None] | None = None
) -> None:
    """Parts of words: short chunks and unknown pieces, searched in the partial field and as
    the beginnings of body words (``clause_for``: ``partial_clause`` unless told otherwise). A
    long query (``mark_long``) is a pasted passage, not a half-typed word."""
    c = context.config
    if draft.long or not c.partial_weight:
        return
    selected = {item.term for item in draft.candidates}
    for unit in partial_units(draft.parsed, draft.tokens, context):
        if unit in selected:
            continue  # a whole word already searched for
        clause = (clause_for or partial_clause)(context.snap, unit, c)
        if clause is not None:
            draft.clauses.append(clause)
            draft.partials.append(unit)


def merge_stopwords(draft: Draft, context: Context) -> None:
    """Kept stopwords become ordinary clauses, but never the only words a query found; a query
    of nothing but stopwords searches for them."""
    if not draft.clauses and all(term in draft.stop for term in draft.counts):
        draft.clauses = draft.soft
    elif draft.clauses:
        draft.clauses = draft.clauses + draft.soft
    draft.soft = []


def required_parts(draft: Draft, context: Context) -> None:
    """Quoted phrases (their words in order) and ``code:`` numbers every hit must have."""
    analyzer = context.analyzer
    for phrase in draft.parsed.phrases:
        words = analyzer.phrase_terms(phrase)
        if words:
            draft.required.append(phrase_query(words, ("title", "body")))
            draft.phrase_terms.extend(words)
    for value in draft.parsed.filters.get("code", []):
        code_tokens = analyzer.analyse(value)
        codes = [t.text for t in code_tokens if t.kind == CODE] or [
            t.text for t in code_tokens if t.kind == WORD
        ]
        if codes:
            draft.required.append(And([Term("code", t) for t in codes]))


def combine(draft: Draft, context: Context) -> None:
    """Any of the clauses (more matches rank higher), within the required parts, without the
    excluded words; words that are nowhere in the index find nothing."""
    parsed, required = draft.parsed, draft.required
    optional = any_of(draft.clauses, whole_query=not (required or parsed.excluded))
    if required and optional is not None:
        query: Query | None = AndMaybe(And(required), optional)
    elif required:
        query = And(required)
    else:
        query = optional
    if query is None and parsed.words:
        query = NOTHING
    excluded = [
        phrase_query(words, ("title", "body", "code"))
        for words in (context.analyzer.phrase_terms(chunk) for chunk in parsed.excluded)
        if words
    ]
    if excluded:
        query = AndNot(query if query is not None else Every(), Or(excluded))
    draft.query = query
    if not (required or excluded):
        draft.weighted, draft.extra = summed_parts(draft.clauses)


STAGES: tuple[Stage, ...] = (
    read_terms,
    choose_stopwords,
    weigh_terms,
    mark_long,
    word_clauses,
    abbreviation_clauses,
    title_matches,
    section_references,
    partial_words,
    merge_stopwords,
    required_parts,
    combine,
)


# --------------------------------------------------------------------------------------------
# Helpers of the stages
# --------------------------------------------------------------------------------------------


def summed_parts(clauses: list[Query]) -> tuple[list[tuple[str, str, float]], list[Query]]:
    """The clauses of a query that only adds them up: terms of the word fields as (field,
    term, boost), everything else (title matches, partial words) as queries."""
    weighted: list[tuple[str, str, float]] = []
    extra: list[Query] = []
    for clause in clauses:
        parts = clause.subqueries if isinstance(clause, Or) and clause.boost == 1.0 else [clause]
        for part in parts:
            if isinstance(part, Term) and part.fieldname in WORD_FIELDS:
                weighted.append((part.fieldname, part.text, part.boost))
            else:
                extra.append(part)
    return weighted, extra


def query_weight(qtf: int, k3: float = 1.2) -> float:
    """BM25's weight of a term the query holds ``qtf`` times: qtf (k3 + 1) / (qtf + k3), 1 for
    once, at most k3 + 1, so a word a long question repeats does not outweigh the rest."""
    return qtf * (k3 + 1) / (qtf + k3)


def repeat_weight(draft: Draft, term: str) -> float:
    """How much the query's repeats of ``term`` count: in a pasted passage (``mark_long``) its
    frequency says what the passage is about; in a few typed words a repeat is incidental
    ("ฟักทองเป็นพืชในวงศ์ของพืชชนิดใด"), and weighing it cost short questions MRR."""
    return query_weight(draft.counts[term]) if draft.long else 1.0


def any_of(clauses: list[Query], *, whole_query: bool) -> Query | None:
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    # The whole query: Whoosh's own Or may pick its faster preloading matcher here.
    return WhooshOr(clauses) if whole_query else Or(clauses)


def partial_units(parsed: ParsedQuery, tokens: Sequence[Any], context: Context) -> list[str]:
    """Strings that may be parts of words: short chunks, and pieces the dictionary lacks.

    A half-typed word ("สหกร") is cut by the segmenter into short known pieces (สห, กร), so
    a short chunk is tried whole, and runs of one- or two-letter pieces are joined up.
    """
    c = context.config
    words = dictionary_words(getattr(context.analyzer, "custom", True))
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


def partial_clause(snap: Any, unit: str, config: EngineConfig) -> Query | None:
    """Where ``unit`` is part of a word: its n-grams in a row in the title's partial field, or
    the body's words that begin with it."""
    options: list[Query] = []
    grams = ngrams(unit, config.gram_size, normalized=True)
    if len(grams) == 1 and all(snap.doc_frequency("partial", g) for g in grams[0]):
        run = grams[0]
        options.append(Term("partial", run[0]) if len(run) == 1 else Phrase("partial", run))
    words = expansions(snap, unit, config.expand_limit) if config.expand_limit else []
    if words:
        options.append(Or([Term("body", word) for word in words]))
    return weighted(options, config.partial_weight)


def weighted(options: list[Query], weight: float) -> Query | None:
    """Any of ``options``, boosted by ``weight``."""
    if not options:
        return None
    if len(options) > 1:
        return Or(options, boost=weight)
    options[0].boost = weight
    return options[0]


def expansions(snap: Any, prefix: str, limit: int, scan: int = 300) -> list[str]:
    """The body's most common words that begin with ``prefix`` (longer than it)."""
    found: list[tuple[int, str]] = []
    for index, word in enumerate(snap.reader.expand_prefix("body", prefix)):
        if index >= scan:
            break
        if word != prefix:
            found.append((snap.doc_frequency("body", word), word))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in found[:limit]]


def phrase_query(words: list[str], fields: tuple[str, ...]) -> Query:
    if len(words) == 1:
        return Or([Term(name, words[0]) for name in fields])
    return Or([Phrase(name, words) for name in fields])
