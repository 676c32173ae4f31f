"""Questions in search: the title, the details, the tags and the accepted answer.

The accepted answer's text is indexed into its question's entry, so a search with the
question's words finds the thread that holds the answer, and a search with the answer's words
finds the question (whose title weighs most). Answers are not entries of their own: a thread is
read as a whole. Hidden questions are not in the index; who may find a question is its space's
``may_read`` (``spaces.SpaceKind.index_access``), every staff member on the office-wide board.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Extension, Searchable, extend, ordered, register
from apps.library.models import Tag

from . import spaces
from .models import Answer, Question


def access(question: Question) -> dict:
    if not question.space_kind:
        return {"access": "all"}
    kind = spaces.get(question.space_kind)
    if kind is None:
        return dict(spaces.PRIVATE)
    return kind.index_access(question.space_id)


def accepted_text(question: Question) -> str:
    answer = question.accepted_answer
    return answer.body if answer is not None and not answer.hidden else ""


def fields(question: Question) -> dict:
    tags = [tag.name for tag in ordered(question.tags.all(), lambda tag: tag.name)]
    return {
        "title": question.title,
        "body": "\n".join(filter(None, [question.body, *tags, accepted_text(question)])),
        "date": question.created_at,
        **access(question),
        "extra": ["accepted" if question.accepted_answer_id else "open"],
    }


def snippet(question: Question) -> str:
    return "\n".join(filter(None, [accepted_text(question), question.body]))


register(
    Searchable(
        kind="question",
        model=Question,
        label=_("Questions and answers"),
        icon="chat-square-text",
        fields=fields,
        visible=lambda user: Question.objects.visible_to(user),
        may_open=lambda user, question: user.has_perm("board.view_question", question),
        queryset=lambda: Question.objects.select_related("accepted_answer").prefetch_related(
            "tags"
        ),
        snippet=snippet,
        results=lambda: Question.objects.select_related("accepted_answer"),
        depends={Answer: lambda answer: [answer.question_id]},
        include=lambda question: not question.hidden,
    )
)


# --- "Who knows about X": a person's entry carries the topics of their accepted answers --------
def answered_topics(person) -> str:
    """The tags and titles of the office-wide questions whose accepted answer ``person`` wrote.
    Only the office-wide board's: a person's entry is open to every staff member, a space's
    questions are not."""
    accepted = (
        Question.objects.filter(space_kind="", hidden=False, accepted_answer__author_id=person.pk)
        .filter(accepted_answer__hidden=False)
        .order_by("pk")
    )
    titles = list(accepted.values_list("title", flat=True))
    tags = Tag.objects.filter(board_questions__in=accepted).distinct().order_by("name", "pk")
    return "\n".join([*tags.values_list("name", flat=True), *titles])


def answer_authors(question: Question) -> list[int]:
    """Everyone who answered: the accepted answer may have changed hands (or gone)."""
    return sorted(set(question.answers.values_list("author_id", flat=True)))


extend(
    Extension(
        kind="person",
        body=answered_topics,
        depends={Question: answer_authors, Answer: lambda answer: [answer.author_id]},
    )
)
