"""Restore checks before it changes anything: a damaged, foreign or newer archive, and a target
that is not empty, are refused with a clear message and the target is left as it was."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.ops import archive
from apps.ops.restore import RestoreRefusedError, restore_archive
from tests.factories import UserFactory


def rewrite(source, target, *, member=None, change=None, drop=None, manifest=None):
    """Copy an archive, changing one member's bytes, dropping one, or editing the manifest."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old:
            if info.name == drop:
                continue
            data = old.extractfile(info).read()
            if info.name == "manifest.json" and manifest:
                body = json.loads(data)
                manifest(body)
                data = json.dumps(body).encode()
            if info.name == member:
                data = change(data)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def first_member(path, prefix):
    manifest = archive.read_manifest(path)
    return sorted(name for name in manifest["files"] if name.startswith(prefix))[0]


def assert_target_untouched(folder):
    assert not User.objects.exists()
    assert not any((folder / "media").iterdir())
    assert not list(folder.glob(".restore-*")), "the unpacked archive is cleaned up"


@pytest.fixture
def damaged(demo_archive, tmp_path):
    _source, path = demo_archive

    def make(**changes):
        return rewrite(path, tmp_path / "damaged.tar.gz", **changes)

    return make


def flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0xFF]) + data[1:]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["media/", "data/accounts.User"])
def test_a_changed_member_is_refused(demo_archive, damaged, instance_dirs, prefix):
    member = first_member(demo_archive[1], prefix)
    path = damaged(member=member, change=flip_first_byte)
    with pytest.raises(archive.ArchiveError, match="does not match its checksum"):
        restore_archive(path=path)
    assert_target_untouched(instance_dirs)


@pytest.mark.django_db
def test_a_missing_member_is_refused(demo_archive, damaged, instance_dirs):
    path = damaged(drop=first_member(demo_archive[1], "media/"))
    with pytest.raises(archive.ArchiveError, match="missing"):
        restore_archive(path=path)
    assert_target_untouched(instance_dirs)


@pytest.mark.django_db
def test_a_truncated_archive_is_refused(demo_archive, instance_dirs, tmp_path):
    data = demo_archive[1].read_bytes()
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path))
    assert_target_untouched(instance_dirs)


@pytest.mark.django_db
def test_something_else_is_refused(instance_dirs, tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_bytes(b"not an archive at all")
    with pytest.raises(CommandError, match="not a KM Portal backup"):
        call_command("restore", str(path))
    assert_target_untouched(instance_dirs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(portal_version="99.0.0"),
        lambda m: m.update(format_version=archive.FORMAT_VERSION + 1),
        lambda m: m["migrations"]["library"].append("0099_from_the_future"),
    ],
    ids=["newer portal", "newer format", "unknown migration"],
)
def test_an_archive_from_a_newer_portal_is_refused(damaged, instance_dirs, edit):
    path = damaged(manifest=edit)
    with pytest.raises(CommandError, match="newer KM Portal"):
        call_command("restore", str(path))
    assert_target_untouched(instance_dirs)


@pytest.mark.django_db
def test_a_target_with_rows_is_refused(demo_archive, instance_dirs):
    UserFactory(username="already_here")
    with pytest.raises(RestoreRefusedError, match="not empty"):
        restore_archive(path=demo_archive[1])
    assert list(User.objects.values_list("username", flat=True)) == ["already_here"]


@pytest.mark.django_db
def test_a_target_with_files_is_refused(demo_archive, instance_dirs):
    (instance_dirs / "media" / "left-over.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(demo_archive[1]))
    assert (instance_dirs / "media" / "left-over.pdf").exists()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_force_replaces_what_is_there(demo_archive, instance_dirs):
    UserFactory(username="already_here")
    (instance_dirs / "media" / "left-over.pdf").write_bytes(b"%PDF")
    manifest = archive.read_manifest(demo_archive[1])
    out = io.StringIO()
    call_command("restore", str(demo_archive[1]), "--force", stdout=out)
    assert "check_index: clean" in out.getvalue()
    assert not User.objects.filter(username="already_here").exists()
    assert User.objects.count() == manifest["counts"]["accounts.User"]
    assert not (instance_dirs / "media" / "left-over.pdf").exists()
    stored = {name for name, _path in archive.iter_media(instance_dirs / "media")}
    assert stored == {n.removeprefix("media/") for n in manifest["files"] if n[:6] == "media/"}
