"""Whoosh analyzers for the index's fields, built on ``analysis``.

Whoosh pickles them into the index's schema, so they are plain top-level classes whose state is a
few strings and flags; caches live at module level (in ``analysis``). Indexes made before the
engine became a package name them under ``apps.search.analysis``: that module still exists and
points here, so those indexes open and compare equal (``SearchEngine.is_current``).
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from .analysis import (
    DEFAULT_ENGINE,
    WORD,
    Tok,
    analyse,
    ngrams,
    normalize,
    phrase_terms,
    word_prefixes,
)


class _Options(Tokenizer):
    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))


class ThaiWordTokenizer(_Options):
    """Whole words: segmented Thai, compound parts, Latin words, numbers and document numbers."""

    def __init__(
        self,
        engine: str = DEFAULT_ENGINE,
        custom: bool = True,
        decompose: bool = True,
        join: bool = True,
    ):
        self.engine = engine
        self.custom = custom
        self.decompose = decompose
        self.join = join

    def options(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "custom": self.custom,
            "decompose": self.decompose,
            "join": getattr(self, "join", True),
        }

    def analyse(self, text: str) -> tuple[Tok, ...]:
        return analyse(text, **self.options())

    def phrase_terms(self, text: str) -> list[str]:
        return phrase_terms(text, **self.options())

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            items = [Tok(normalize(value), 0, 0, len(value), WORD)]
        else:
            items = self.analyse(value)
        for item in items:
            token.text = item.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = item.text
            if positions:
                token.pos = start_pos + item.pos
            if chars:
                token.startchar = start_char + item.start
                token.endchar = start_char + item.end
            yield token


class ThaiPartialTokenizer(_Options):
    """Terms for parts of words, such as "สหกร" for สหกรณ์.

    ``mode="prefix"`` (the default): the beginnings of every word and compound part, 3 to 12
    characters, so a half-typed word is one term; a word inside a compound is found through the
    compound's parts. ``mode="ngram"``: character ``size``-grams over each Thai/Latin run at
    consecutive positions, so a phrase of a query's grams matches any substring. The n-gram
    field has about twice the postings and made indexing 2-3 times slower (bench/).
    """

    def __init__(self, mode: str = "ngram", size: int = 3, words: ThaiWordTokenizer | None = None):
        self.mode = mode
        self.size = size
        self.words = words or ThaiWordTokenizer()

    def terms(self, text: str) -> list[str]:
        """The partial-field terms of ``text`` in position order."""
        if self.mode == "ngram":
            return [gram for run in ngrams(text, self.size) for gram in run]
        # Indexes pickled before ``words`` existed kept the word options on this object.
        words = getattr(self, "words", None) or ThaiWordTokenizer(
            engine=getattr(self, "engine", DEFAULT_ENGINE),
            custom=getattr(self, "custom", True),
            decompose=getattr(self, "decompose", True),
        )
        return sorted(word_prefixes(words.analyse(text), self.size))

    def __call__(  # Whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        if self.mode == "ngram":
            runs = ngrams(value, self.size)
        else:
            runs = [self.terms(value)] if tokenize else [[normalize(value)]]
        for run in runs:
            for gram in run:
                token.text = gram
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = gram
                if positions:
                    token.pos = pos
                yield token
                pos += 1
            pos += 1


def word_analyzer(
    engine: str = DEFAULT_ENGINE, custom: bool = True, decompose: bool = True, join: bool = True
) -> ThaiWordTokenizer:
    """The analyzer for title, body and code."""
    return ThaiWordTokenizer(engine=engine, custom=custom, decompose=decompose, join=join)


def partial_analyzer(
    mode: str = "ngram", size: int = 3, words: ThaiWordTokenizer | None = None
) -> ThaiPartialTokenizer:
    """The analyzer for the partial-word field (``words``: the word analysis it builds on)."""
    return ThaiPartialTokenizer(mode=mode, size=size, words=words)
