import pytest

from apps.library.models import AccessLevel
from apps.search import indexing
from apps.search.engine import SearchEngine
from tests.library.factories import DocumentFactory


@pytest.fixture
def search_index(settings, tmp_path, db):
    """A fresh, empty index for the test; ``search_index()`` applies the queued updates (the
    test's transaction never commits, so the on-commit flush would not run by itself)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"

    def sync() -> int:
        return indexing.flush()

    yield sync
    indexing.get_engine().close()


@pytest.fixture
def asked(monkeypatch):
    """The uids the engine was asked more-like-this for (related items)."""
    uids = []
    real = SearchEngine.more_like

    def more_like(self, uid, *args, **kwargs):
        uids.append(uid)
        return real(self, uid, *args, **kwargs)

    monkeypatch.setattr(SearchEngine, "more_like", more_like)
    return uids


@pytest.fixture
def savings(search_index):
    """Three documents alike: two for all staff, one for the KM team only (related items)."""
    first = DocumentFactory(title="ระเบียบการรับสมาชิกสหกรณ์ออมทรัพย์", access=AccessLevel.ALL_STAFF)
    second = DocumentFactory(title="แนวทางการรับสมาชิกสหกรณ์ออมทรัพย์ใหม่", access=AccessLevel.ALL_STAFF)
    secret = DocumentFactory(title="บันทึกการรับสมาชิกสหกรณ์ออมทรัพย์ของทีม", access=AccessLevel.KM_TEAM)
    search_index()
    return first, second, secret
