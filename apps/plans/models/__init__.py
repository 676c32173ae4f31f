"""The plans app's models: the yearly plan (``plan``) and progress on it (``progress``). The
meetings of the KM team are the ``meetings`` app's."""

from .plan import (
    CLOSED_STATUSES,
    Activity,
    ActivityStatus,
    ChangeElement,
    DesiredState,
    FocusArea,
    KnowledgeForm,
    KnowledgeNeed,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanStatus,
    PlanVersion,
    Priority,
)
from .progress import EvidenceFile, EvidenceLink, ProgressReport, ProgressSummary

__all__ = [
    "CLOSED_STATUSES",
    "Activity",
    "ActivityStatus",
    "ChangeElement",
    "DesiredState",
    "EvidenceFile",
    "EvidenceLink",
    "FocusArea",
    "KnowledgeForm",
    "KnowledgeNeed",
    "Plan",
    "PlanEvent",
    "PlanEventKind",
    "PlanStatus",
    "PlanVersion",
    "Priority",
    "ProgressReport",
    "ProgressSummary",
]
