"""What the knowledge services share: the refusal of a step that does not fit the set's state,
the locked copy of a set, the workflow's record and the rendering of the text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import User

from ..content import render
from ..models import KnowledgeSet, Transition


class WorkflowError(ValidationError):
    """A request that does not fit the set's present state, e.g. approving an approved set.

    A ``ValidationError`` (the state rules of every app are), told apart so that pages can say
    "nothing was done" rather than "please correct the form"; ``str()`` is the reason itself.
    """

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.messages)


def locked(knowledge_set: KnowledgeSet) -> KnowledgeSet:
    """The set re-read and locked for the rest of the transaction."""
    return KnowledgeSet.objects.select_for_update().get(pk=knowledge_set.pk)


def check_expected(current: KnowledgeSet, expected: str) -> None:
    """Refuse when the set is no longer in the ``expected`` state the person's page showed."""
    if expected and expected != current.status:
        raise WorkflowError(
            _("The set has changed since you opened the page: it is now %(status)s.")
            % {"status": current.get_status_display().lower()}
        )


def record(
    knowledge_set: KnowledgeSet,
    *,
    action: str,
    by: User,
    from_status: str,
    note: str = "",
    version_number: int | None = None,
) -> Transition:
    """Write one line of the set's workflow history (the set already in its new state)."""
    return Transition.objects.create(
        knowledge_set=knowledge_set,
        action=action,
        from_status=from_status,
        to_status=knowledge_set.status,
        actor=by,
        note=note,
        version_number=version_number,
    )


def apply_text(knowledge_set: KnowledgeSet) -> None:
    """Render and sanitise the body into the stored HTML and table of contents."""
    rendered = render(knowledge_set.body)
    knowledge_set.body_html, knowledge_set.toc = rendered.html, rendered.toc
