import pytest

from .instance import FILL_EVERY_MODEL, Instance


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory, migrated_data_dir):
    """An archive of the demo office plus a row in every model the demo leaves empty, made by
    ``manage.py backup`` in its own SQLite instance; returns (instance, archive path)."""
    source = Instance(tmp_path_factory.mktemp("source"))
    migrated_data_dir(source.data_dir, "kmportal.settings.test")
    source.manage("seed_demo")
    source.python(FILL_EVERY_MODEL)
    path = tmp_path_factory.mktemp("archives") / "demo.tar.gz"
    source.manage("backup", "--output", str(path))
    return source, path


@pytest.fixture
def instance_dirs(settings, tmp_path):
    """This test process's data folder, stored files, index and backups in ``tmp_path``."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.BACKUP_DIR = tmp_path / "backups"
    for folder in ("media", "index", "backups"):
        (tmp_path / folder).mkdir()
    return tmp_path
