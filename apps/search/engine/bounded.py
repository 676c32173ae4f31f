"""A least-recently-used cache bounded by the total size of what it holds, not by entries.

The snapshot's caches hold sets of document numbers and postings arrays whose size grows with
the index: 2,048 term sets are a few megabytes at 2,000 documents and could be two gigabytes at
20,000. Bounding by weight (elements held) keeps a worker's memory flat however many different
queries it answers.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Bounded(Generic[V]):
    """``get``/``put`` with LRU order; entries go, oldest first, while the weights held exceed
    ``budget``. A value heavier than the whole budget is returned but never kept."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = len):
        self.budget = budget
        self.weigh = weigh
        self.held = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: V) -> V:
        weight = self.weigh(value) + 1  # an empty value still costs its entry
        old = self._entries.pop(key, None)
        if old is not None:
            self.held -= old[1]
        if weight > self.budget:
            return value
        self._entries[key] = (value, weight)
        self.held += weight
        while self.held > self.budget:
            _key, (_value, gone) = self._entries.popitem(last=False)
            self.held -= gone
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries
