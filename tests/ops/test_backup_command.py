"""``manage.py backup``: what it prints, --keep, and a failure that leaves nothing behind."""

import stat

from apps.ops import archive

from .instance import Instance


def test_backup_prints_the_path_and_figures_and_keeps_the_newest(tmp_path, migrated_data_dir):
    instance = Instance(tmp_path / "data")
    migrated_data_dir(instance.data_dir, "kmportal.settings.test")
    name = instance.python(
        "from tests.library.factories import DocumentFileFactory\n"
        "print(DocumentFileFactory().file.name)"
    ).strip()
    folder = tmp_path / "data" / "backups"
    folder.mkdir()
    for old in ("kmportal-20240101-000000.tar.gz", "kmportal-20240102-000000.tar.gz"):
        (folder / old).write_bytes(b"old")

    out = instance.manage("backup", "--keep", "2").stdout.splitlines()

    made = sorted(folder.glob("kmportal-2*.tar.gz"))[-1]
    assert out[0] == str(made)
    assert "rows in" in out[1] and "1 files" in out[1]
    assert "deleted old backup kmportal-20240101-000000.tar.gz" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "kmportal-20240102-000000.tar.gz",
        made.name,
    ]
    manifest = archive.read_manifest(made)
    assert manifest["counts"]["library.DocumentFile"] == 1
    assert f"media/{name}" in manifest["files"]
    assert stat.S_IMODE(made.stat().st_mode) == 0o600, "personal data: the owner only"
    assert not list((tmp_path / "data").glob(".backup-*"))


def test_a_backup_that_cannot_be_written_leaves_nothing(tmp_path, migrated_data_dir):
    instance = Instance(tmp_path / "data")
    migrated_data_dir(instance.data_dir, "kmportal.settings.test")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = instance.manage("backup", "--output", str(blocker / "km.tar.gz"), check=False)
    assert result.returncode == 1
    assert "could not be written" in result.stderr
    assert not list((tmp_path / "data").glob(".backup-*"))
    assert not list(tmp_path.rglob("*.partial"))
