"""A backup taken while another process uploads and deletes documents is consistent: every file
row points to a file in the archive with the checksum the row records, nothing acknowledged
before the backup began is missing, and the archive restores with a clean index."""

import json
import time

from .instance import Instance, read_archive

WRITER = """
import time
from pathlib import Path
from apps.accounts.models import User
from apps.library import services
from apps.library.models import Document
from tests.library.factories import DocumentFileFactory

admin = User.objects.create_superuser("backup-writer", password="backup-writer-1")
log = open(LOG, "a", buffering=1)
end = time.monotonic() + 120
made = 0
while time.monotonic() < end and not Path(STOP).exists():
    stored = DocumentFileFactory()
    made += 1
    log.write(f"+ {stored.document_id} {time.time()}\\n")
    if made % 3 == 0:
        victim = Document.objects.order_by("?").first()
        victim_pk = victim.pk
        services.document_delete(by=admin, document=victim)
        log.write(f"- {victim_pk} {time.time()}\\n")
"""


def test_a_backup_during_writes_is_consistent(tmp_path):
    live = Instance(tmp_path / "live")
    live.manage("migrate", "-v0")
    log = tmp_path / "writes.log"
    stop = tmp_path / "stop"
    writer = live.popen(f"LOG = {str(log)!r}\nSTOP = {str(stop)!r}\n" + WRITER)
    try:
        deadline = time.monotonic() + 60
        while (not log.exists() or log.read_text().count("\n") < 10) and writer.poll() is None:
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.2)
        archives = []
        for number in range(2):
            started = time.time()
            path = tmp_path / f"live-{number}.tar.gz"
            live.manage("backup", "--output", str(path))
            archives.append((started, path))
        assert writer.poll() is None, "the writes went on during both backups"
    finally:
        stop.touch()
        _out, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors

    events = [line.split() for line in log.read_text().splitlines()]
    deleted = {int(pk) for sign, pk, _at in events if sign == "-"}
    for started, path in archives:
        contents = read_archive(path)
        assert contents.manifest["missing_files"] == []
        files = [json.loads(line)["fields"] for line in contents.rows["library.DocumentFile"]]
        assert files
        for fields in files:
            assert contents.files[fields["file"]] == fields["sha256"]
        documents = {json.loads(line)["pk"] for line in contents.rows["library.Document"]}
        acknowledged = {int(pk) for sign, pk, at in events if sign == "+" and float(at) < started}
        assert acknowledged - deleted <= documents

    restored = Instance(tmp_path / "restored")
    result = restored.manage("restore", str(archives[-1][1]))
    assert "check_index: clean" in result.stdout
