"""The engine variants bench/engine_experiments.py measures, kept out of the product.

The product fixes its analysis and query stages (``apps/search/engine``); the alternatives it
was tuned against live here: another segmenter or none of our dictionary, no compound parts or
joined unknown words, word prefixes instead of title n-grams in the partial field (over the
title or over title and body), stopwords kept, and kept stopwords scored only beside a real
word. ``BenchEngine(folder, BenchConfig(...))`` is a ``SearchEngine`` that runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from whoosh.fields import TEXT, Schema
from whoosh.query import AndMaybe, Phrase, Query, Term
from whoosh.query.compound import DefaultOr as Or

from apps.search.engine import EngineConfig, SearchEngine, build_schema, pipeline
from apps.search.engine.analysis import (
    DEFAULT_ENGINE,
    MAX_PREFIX,
    cluster_prefix,
    ngrams,
    word_prefixes,
)
from apps.search.engine.analyzers import partial_analyzer, word_analyzer


@dataclass(frozen=True)
class BenchConfig(EngineConfig):
    """The product's settings plus the variants it does not carry (defaults: the product)."""

    # Analysis (each builds its own index)
    segmenter: str = DEFAULT_ENGINE  # or "newmm" (PyThaiNLP's Python one)
    custom_dict: bool = True
    decompose: bool = True
    join: bool = True
    partial_mode: str = "ngram"  # or "prefix": word beginnings (ThaiPartialTokenizer)
    partial_source: str = "title"  # or "all": title and body (2-3x slower indexing)
    # Query building
    drop_stopwords: bool = True
    soft_stopwords: bool = False  # kept stopwords only add to hits that match another word


class BenchEngine(SearchEngine):
    """A ``SearchEngine`` with the analysis and query stages of a ``BenchConfig``."""

    config: BenchConfig

    def __init__(self, index_dir: Path | str, config: BenchConfig):
        super().__init__(index_dir, config)
        self.stages = stages_for(config)

    def new_schema(self) -> Schema:
        c = self.config
        words = word_analyzer(
            engine=c.segmenter, custom=c.custom_dict, decompose=c.decompose, join=c.join
        )
        schema = build_schema(c, words)
        if c.partial_mode != "ngram":
            schema.remove("partial")
            analyzer = partial_analyzer(mode=c.partial_mode, size=c.gram_size, words=words)
            schema.add("partial", TEXT(analyzer=analyzer, phrase=False))
        return schema

    def _partial(self, title: str, body: str, body_tokens: tuple[Any, ...]) -> str | list[str]:
        c = self.config
        text: str | list[str] = f"{title}\n{body}" if c.partial_source == "all" else title
        if c.partial_mode == "prefix":
            # The terms themselves, so the text is not analysed again.
            tokens = self._word_analyzer.analyse(title)
            if c.partial_source == "all":
                tokens = (*tokens, *body_tokens)
            text = sorted(word_prefixes(tokens, c.gram_size))
        return text


def stages_for(config: BenchConfig) -> tuple[pipeline.Stage, ...]:
    """The product's stages with this variant's in place of some."""
    swaps = {}
    if not config.drop_stopwords:
        swaps[pipeline.choose_stopwords] = no_stopwords
    if config.soft_stopwords:
        swaps[pipeline.merge_stopwords] = stopwords_beside_words
    if config.partial_mode != "ngram" or config.partial_source != "title":
        swaps[pipeline.partial_words] = partial(pipeline.partial_words, clause_for=partial_clause)
    return tuple(swaps.get(stage, stage) for stage in pipeline.STAGES)


def no_stopwords(draft: pipeline.Draft, context: pipeline.Context) -> None:
    """Every word counts, stopwords too."""
    draft.stop = frozenset()


def stopwords_beside_words(draft: pipeline.Draft, context: pipeline.Context) -> None:
    """Kept stopwords are scored only where a real word matched (AndMaybe), not OR-ed in."""
    if not draft.clauses and all(term in draft.stop for term in draft.counts):
        draft.clauses = draft.soft
    elif draft.clauses and draft.soft:
        words = draft.clauses[0] if len(draft.clauses) == 1 else Or(draft.clauses)
        soft = draft.soft[0] if len(draft.soft) == 1 else Or(draft.soft)
        draft.clauses = [AndMaybe(words, soft)]
    draft.soft = []


def partial_clause(snap: Any, unit: str, config: BenchConfig) -> Query | None:
    """``pipeline.partial_clause`` for a partial field of word prefixes, or over the body."""
    options: list[Query] = []
    if config.partial_mode == "prefix":
        prefix = cluster_prefix(unit[:MAX_PREFIX])
        if len(prefix) >= config.gram_size and snap.doc_frequency("partial", prefix):
            options.append(Term("partial", prefix))
    else:
        grams = ngrams(unit, config.gram_size, normalized=True)
        if len(grams) == 1 and all(snap.doc_frequency("partial", g) for g in grams[0]):
            run = grams[0]
            options.append(Term("partial", run[0]) if len(run) == 1 else Phrase("partial", run))
    if config.partial_source != "all" and config.expand_limit:
        words = pipeline.expansions(snap, unit, config.expand_limit)
        if words:
            options.append(Or([Term("body", word) for word in words]))
    return pipeline.weighted(options, config.partial_weight)
