"""Writes to knowledge sets: the only way to create or change a set, its workflow, its
attachments, comments, votes and readings. Views, the demo data and scripts call these.

Each function takes plain data (never a form), checks the caller's permission itself (views
check first, for the 403 page) and the set's state, and runs in one transaction, so a refused,
invalid or out-of-date request leaves nothing behind. Workflow steps lock the set's row, so two
people clicking at once cannot both move it.

- ``sets``: a set's text and catalogue data (``SetData``): create, update, delete;
- ``steps``: the workflow (``workflow.STEPS``), restoring a version, confirming currency,
  choosing reviewers;
- ``responses``: comments, votes, readings and notices;
- ``attachments``: files attached to a set.
"""

from .attachments import (
    ATTACHMENT_MAX_BYTES,
    WRONG_TYPE,
    already_attached,
    attached_digests,
    attachment_delete,
    attachments_add,
    check_attachment,
)
from .common import WorkflowError
from .responses import (
    REVIEWABLE,
    comment_add,
    comment_delete,
    notifications_mark_read,
    reading_record,
    vote_cast,
)
from .sets import SetData, set_create, set_delete, set_update
from .steps import reviewers_assign, set_confirm_current, set_transition, version_restore

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "REVIEWABLE",
    "WRONG_TYPE",
    "SetData",
    "WorkflowError",
    "already_attached",
    "attached_digests",
    "attachment_delete",
    "attachments_add",
    "check_attachment",
    "comment_add",
    "comment_delete",
    "notifications_mark_read",
    "reading_record",
    "reviewers_assign",
    "set_confirm_current",
    "set_create",
    "set_delete",
    "set_transition",
    "set_update",
    "version_restore",
    "vote_cast",
]
