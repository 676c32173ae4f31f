"""Knowledge-set pages: browse, read, print, write, review, publish, keep current.

A set the person may not open is "not found" (nobody learns a draft's title); a step their role
may not take is refused (403); a step that does not fit the set's state, such as the same POST
sent twice, changes nothing and says why. Views validate input and call one service; workflow
steps and other writes are POST-only.
"""

from .actions import (
    comment_add,
    comment_delete,
    confirm_current,
    notifications_read,
    reviewers_assign,
    set_transition,
    version_restore,
    vote,
)
from .reading import (
    AttachmentDownloadView,
    CompareView,
    HistoryView,
    SetDetailView,
    SetListView,
    SetPrintView,
    SetWorkingView,
    VersionDetailView,
    WorkbenchView,
)
from .writing import (
    AttachmentAddView,
    SetCreateView,
    SetUpdateView,
    attachment_delete,
    preview,
    set_delete,
)

__all__ = [
    "AttachmentAddView",
    "AttachmentDownloadView",
    "CompareView",
    "HistoryView",
    "SetCreateView",
    "SetDetailView",
    "SetListView",
    "SetPrintView",
    "SetUpdateView",
    "SetWorkingView",
    "VersionDetailView",
    "WorkbenchView",
    "attachment_delete",
    "comment_add",
    "comment_delete",
    "confirm_current",
    "notifications_read",
    "preview",
    "reviewers_assign",
    "set_delete",
    "set_transition",
    "version_restore",
    "vote",
]
