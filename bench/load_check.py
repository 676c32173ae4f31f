"""The database side of ``bench/load.py``: run with the portal's environment, prints JSON.

    python bench/load_check.py plan                 what each demo account may read and write
    python bench/load_check.py settle               extractions waiting, index updates queued
    python bench/load_check.py verify LEDGER.json   acknowledged writes against the database
    python bench/load_check.py imported FOLDER      each file of an import in the library once?

``verify`` reads the ledger of writes the server acknowledged and looks for each in the
database: a comment by its id and text, an edit by its text in the set's body (and, when the
body no longer has it, in the audit trail, which says the edit was saved and then overwritten),
a progress report by its narrative and evidence file, an upload by its document, its file's
SHA-256 and the bytes on disk. It also counts stored files a row points to that are missing,
files in ``media/`` that no row points to, and upload temp files left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_ACCOUNTS = ("admin", "staff", "somchai", "wilai", "pranee", "anan", "kannika", "suwit")


def setup() -> None:
    sys.path.insert(0, os.environ.get("KM_LOAD_APP", str(ROOT)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmportal.settings.prod")
    import django

    django.setup()


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def plan() -> dict:
    from apps.accounts.models import User
    from apps.knowledge.models import KnowledgeSet, Status
    from apps.knowledge.workflow import can_edit_now
    from apps.library.models import Document
    from apps.plans.models import Activity

    sets = list(KnowledgeSet.objects.all())
    activities = list(Activity.objects.select_related("plan"))
    out = {}
    for user in User.objects.filter(username__in=DEMO_ACCOUNTS):
        out[user.username] = {
            "read_sets": [s.pk for s in sets if user.has_perm("knowledge.view_set", s)],
            "comment_sets": [
                s.pk
                for s in sets
                if s.status == Status.PUBLISHED and user.has_perm("knowledge.comment", s)
            ],
            "edit_sets": [
                s.pk
                for s in sets
                if user.has_perm("knowledge.change_set", s) and can_edit_now(user, s)
            ],
            "report_activities": [
                a.pk for a in activities if user.has_perm("plans.report_progress", a)
            ],
            "documents": list(
                Document.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)
            ),
            "upload": user.has_perm("library.add_document"),
            "add_set": user.has_perm("knowledge.add_set"),
            "office": user.has_perm("dashboard.view_office"),
        }
    return out


def settle() -> dict:
    from apps.library.models import DocumentFile, TextStatus
    from apps.search.models import IndexTask

    return {
        "extraction_pending": DocumentFile.objects.filter(text_status=TextStatus.PENDING).count(),
        "index_queued": IndexTask.objects.count(),
    }


def _stored_names() -> tuple[set[str], list[str]]:
    """Every file name a row points to, and those whose file is missing on disk."""
    from django.apps import apps
    from django.db import models

    names, missing = set(), []
    for model in apps.get_models():
        fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        for f in fields:
            for name in model._default_manager.exclude(**{f.name: ""}).values_list(
                f.name, flat=True
            ):
                if not name:
                    continue
                names.add(name)
                if not f.storage.exists(name):
                    missing.append(f"{model._meta.label}.{f.name}: {name}")
    return names, missing


def _edit_outcomes(edits: list[dict]) -> dict:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from apps.knowledge.models import KnowledgeSet

    bodies = dict(KnowledgeSet.objects.values_list("pk", "body"))
    set_type = ContentType.objects.get_for_model(KnowledgeSet)
    audited: dict[int, str] = {}
    outcome = Counter()
    lost, overwritten = [], []
    for edit in edits:
        token, pk = edit["token"], edit["set"]
        if token in bodies.get(pk, ""):
            outcome["kept"] += 1
            continue
        if pk not in audited:
            entries = LogEntry.objects.filter(content_type=set_type, object_pk=str(pk))
            audited[pk] = "\n".join(json.dumps(e.changes, ensure_ascii=False) for e in entries)
        if token in audited[pk]:
            outcome["overwritten"] += 1
            overwritten.append(edit)
        else:
            outcome["missing"] += 1
            lost.append(edit)
    return {"outcome": dict(outcome), "overwritten": overwritten, "lost": lost}


def verify(ledger_path: Path) -> dict:
    from django.conf import settings

    from apps.knowledge.models import Comment
    from apps.library.models import Document, DocumentFile, TextStatus
    from apps.plans.models import EvidenceFile, ProgressReport

    ledger = json.loads(ledger_path.read_text())
    by_kind: dict[str, list[dict]] = {}
    for entry in ledger:
        by_kind.setdefault(entry["kind"], []).append(entry)
    result: dict = {"kinds": {}}

    lost = []
    for entry in by_kind.get("comment", []):
        found = Comment.objects.filter(
            pk=entry["pk"], knowledge_set_id=entry["set"], body__contains=entry["token"]
        ).exists()
        if not found:
            lost.append(entry)
    result["kinds"]["comment"] = {"acknowledged": len(by_kind.get("comment", [])), "lost": lost}

    edits = _edit_outcomes(by_kind.get("edit", []))
    result["kinds"]["edit"] = {
        "acknowledged": len(by_kind.get("edit", [])),
        "lost": edits["lost"],
        "overwritten": edits["overwritten"],
        "outcome": edits["outcome"],
    }

    lost = []
    for entry in by_kind.get("report", []):
        report = ProgressReport.objects.filter(
            activity_id=entry["activity"], narrative__contains=entry["token"]
        ).first()
        ok = report is not None
        if ok and entry.get("evidence_sha256"):
            files = EvidenceFile.objects.filter(report=report)
            ok = any(sha256_of(Path(f.file.path)) == entry["evidence_sha256"] for f in files)
        if not ok:
            lost.append(entry)
    result["kinds"]["report"] = {"acknowledged": len(by_kind.get("report", [])), "lost": lost}

    lost, text = [], Counter()
    for entry in by_kind.get("upload", []):
        document = Document.objects.filter(pk=entry["pk"], title__contains=entry["token"]).first()
        stored = (
            DocumentFile.objects.filter(document=document, sha256=entry["sha256"]).first()
            if document
            else None
        )
        if stored is None or sha256_of(Path(stored.file.path)) != entry["sha256"]:
            lost.append(entry)
            continue
        text[stored.text_status] += 1
    result["kinds"]["upload"] = {
        "acknowledged": len(by_kind.get("upload", [])),
        "lost": lost,
        "text_status": dict(text),
    }

    names, missing = _stored_names()
    media = Path(settings.MEDIA_ROOT)
    on_disk = {
        p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()
    }  # fmt: skip
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR)
    result["files"] = {
        "rows_with_missing_file": missing[:20],
        "rows_with_missing_file_count": len(missing),
        "orphaned_in_media": sorted(on_disk - names)[:20],
        "orphaned_in_media_count": len(on_disk - names),
        "temp_files_left": sum(1 for p in temp.rglob("*") if p.is_file()) if temp.exists() else 0,
    }
    result["library"] = {
        "documents": Document.objects.count(),
        "pending_extraction": DocumentFile.objects.filter(text_status=TextStatus.PENDING).count(),
    }
    return result


def imported(folder: Path) -> dict:
    """Each file of an import folder in the library exactly once (by SHA-256)?"""
    from apps.library.models import DocumentFile

    digests = {p.name: sha256_of(p) for p in folder.rglob("*") if p.is_file()}
    counts = Counter(
        DocumentFile.objects.filter(sha256__in=list(digests.values())).values_list(
            "sha256", flat=True
        )
    )
    return {
        "files": len(digests),
        "in_library": sum(1 for d in digests.values() if counts[d] == 1),
        "missing": sorted(n for n, d in digests.items() if counts[d] == 0)[:20],
        "duplicated": sorted(n for n, d in digests.items() if counts[d] > 1)[:20],
    }


def main() -> None:
    setup()
    command = sys.argv[1]
    if command == "plan":
        out = plan()
    elif command == "settle":
        out = settle()
    elif command == "verify":
        out = verify(Path(sys.argv[2]))
    elif command == "imported":
        out = imported(Path(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
