"""Files attached to a set: checked by their content (size, real type, not attached already)
and stored while the set may be edited, all of a batch or none of it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.files import atomic_with_files, delete_after_commit, stored_files
from apps.core.permissions import require
from apps.core.races import refused_if_taken
from apps.core.uploads import CheckedUpload, check_upload

from ..models import Attachment, KnowledgeSet
from ..workflow import can_edit_now, edit_problem
from .common import WorkflowError, locked

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Documents, spreadsheets, slides, text and pictures (the core's shareable types): web pages,
# SVG, archives and programs are refused, since everyone who reads a set opens its attachments.
WRONG_TYPE = gettext_lazy(
    "“%(name)s” is a kind of file that cannot be attached (%(kind)s). Attach PDF, "
    "Word, Excel, PowerPoint, text or picture files."
)


def check_attachment(upload: File) -> CheckedUpload:
    """Size, emptiness and the real type (from the content, never from the name)."""
    return check_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES, wrong_type=WRONG_TYPE)


def attached_digests(knowledge_set: KnowledgeSet) -> set[str]:
    """The SHA-256 of every file attached to the set."""
    return set(
        Attachment.objects.filter(knowledge_set=knowledge_set).values_list("sha256", flat=True)
    )


def already_attached(name: str) -> ValidationError:
    """The refusal of a file the set has already."""
    return ValidationError(
        {"files": ValidationError(_("“%(name)s” is already attached.") % {"name": name},
                                  code="duplicate")}
    )  # fmt: skip


def _checked(knowledge_set: KnowledgeSet, files: Sequence[File]) -> list[CheckedUpload]:
    """Every file checked; all the reasons at once when any is refused."""
    if not files:
        raise ValidationError({"files": ValidationError(_("Add at least one file."),
                                                        code="required")})  # fmt: skip
    errors: list[ValidationError] = []
    checked: list[CheckedUpload] = []
    seen: set[str] = set()
    existing = attached_digests(knowledge_set)
    for upload in files:
        try:
            item = check_attachment(upload)
        except ValidationError as error:
            errors.append(error)
            continue
        if item.sha256 in seen or item.sha256 in existing:
            errors.extend(already_attached(upload.name).error_dict["files"])
            continue
        seen.add(item.sha256)
        checked.append(item)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def attachments_add(
    *, by: User, knowledge_set: KnowledgeSet, files: Sequence[File]
) -> list[Attachment]:
    """Store ``files`` (uploads or any Django ``File`` with a name) on the set, while it may be
    edited.

    Raises ``PermissionDenied`` for someone who never edits the set, ``WorkflowError`` when they
    may not edit it now, and ``ValidationError`` (on ``files``) for an empty, too large or
    unwanted file or one the set has already, also when the same file is attached meanwhile by
    someone else; nothing is then kept, on disk or in the database.
    """
    with atomic_with_files() as written:
        current = locked(knowledge_set)
        require(by, "knowledge.change_set", current)
        if not can_edit_now(by, current):
            raise WorkflowError(edit_problem(current))
        stored = []
        for item in _checked(current, files):
            attachment = Attachment(
                knowledge_set=current,
                original_name=Path(item.upload.name).name[:255],
                size=item.upload.size,
                sha256=item.sha256,
                mime=item.kind.mime,
                kind_label=item.kind.label,
                inline_safe=item.kind.inline_safe,
                uploaded_by=by,
            )
            attachment.file.save(item.upload.name, item.upload, save=False)
            written.append((attachment.file.storage, attachment.file.name))
            # The check found the file not yet attached; the same file attached meanwhile by
            # another request is refused here with the same message.
            with refused_if_taken(
                lambda digest=item.sha256: current.attachments.filter(sha256=digest).exists(),
                lambda name=attachment.original_name: already_attached(name),
            ):
                attachment.save()
            stored.append(attachment)
        current.save(update_fields=["updated_at"])
    return stored


@transaction.atomic
def attachment_delete(*, by: User, attachment: Attachment) -> None:
    """Remove an attachment while the set may be edited; its file goes once that has committed."""
    current = locked(attachment.knowledge_set)
    require(by, "knowledge.change_set", current)
    if not can_edit_now(by, current):
        raise WorkflowError(edit_problem(current))
    names = stored_files([attachment.file])
    attachment.delete()
    delete_after_commit(names)
