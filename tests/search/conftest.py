import pytest

from apps.search import indexing


@pytest.fixture
def search_index(settings, tmp_path, db):
    """A fresh, empty index for the test; ``search_index()`` applies the queued updates (the
    test's transaction never commits, so the on-commit flush would not run by itself)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"

    def sync() -> int:
        return indexing.flush()

    yield sync
    indexing.get_engine().close()
