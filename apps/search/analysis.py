"""Where indexes made before the engine became a package (``apps/search/engine/``) look for their
analyzers: Whoosh pickled them into the index's table of contents under this module's name.

Keep it while such indexes may exist (``rebuild_index`` writes the new name); nothing else
imports it.
"""

from .engine.analyzers import ThaiPartialTokenizer, ThaiWordTokenizer

__all__ = ["ThaiPartialTokenizer", "ThaiWordTokenizer"]
