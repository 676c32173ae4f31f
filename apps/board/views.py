"""The Q&A board's pages: the list, a thread, ask, answer, comment, edit, and the POST-only
steps (accept, vote, hide). Views validate input and call one service; the services check the
permissions again. A question a person may not open answers 404; one they may open but may not
act on, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from apps.core import searchables
from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import PagePermissionMixin, require, require_visible
from apps.core.views.forms import ServiceFormView

from . import notices, selectors, services, spaces
from .filters import QuestionFilter
from .forms import AnswerForm, AskPeopleForm, CommentForm, QuestionForm
from .models import Answer, Question

VIEW = "board.view_question"
SIMILAR_LIMIT = 5


def _question(request, pk) -> Question:
    question = get_object_or_404(
        Question.objects.select_related(
            "asker", "accepted_answer", "document", "knowledge_set", "hidden_by"
        ),
        pk=pk,
    )
    require_visible(request.user, VIEW, question)
    return question


def _answer(request, pk) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("question", "author"), pk=pk)
    require_visible(request.user, VIEW, answer.question)
    if answer.hidden and not (
        answer.author_id == request.user.pk or request.user.has_perm("board.moderate", answer)
    ):
        from django.http import Http404

        raise Http404
    return answer


class QuestionListView(PagePermissionMixin, FilterView):
    permission_required = "board.browse"
    filterset_class = QuestionFilter
    paginate_by = 20
    template_name = "board/question_list.html"

    def get_queryset(self):
        return selectors.list_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        context["filtered"] = any(params.values())
        context["waiting"] = list(selectors.waiting_for(self.request.user)[:5])
        context["space"] = _space(self.request, "GET", post=False)
        return context


def _space(request, method: str, *, post: bool) -> dict | None:
    """The space a page's ``space`` parameter names ("cop:12"), for one the person may read
    (and, with ``post``, ask in); a missing or unknown one, or one they may not open, is None:
    the page then shows the office-wide board, and names nothing it should not."""
    found = spaces.parse(getattr(request, method).get("space", ""))
    if found is None:
        return None
    kind, pk = found
    user = request.user
    if not kind.may_read(user, pk) or (post and not kind.may_post(user, pk)):
        return None
    return {
        "param": f"{kind.code}:{pk}",
        "kind": kind,
        "pk": pk,
        "title": kind.title(pk),
        "url": kind.url(pk),
    }


class QuestionDetailView(DetailView):
    template_name = "board/question_detail.html"
    context_object_name = "question"

    def get_object(self, queryset=None):
        return _question(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        question = self.object
        context.update(selectors.thread(question, user))
        context["answer_form"] = AnswerForm()
        context["comment_form"] = CommentForm()
        context["document"] = (
            question.document
            if question.document and user.has_perm("library.view_document", question.document)
            else None
        )
        context["knowledge_set"] = (
            question.knowledge_set
            if question.knowledge_set
            and user.has_perm("knowledge.view_set", question.knowledge_set)
            else None
        )
        return context


class QuestionAskView(PagePermissionMixin, ServiceFormView):
    permission_required = "board.ask"
    form_class = QuestionForm
    template_name = "board/question_form.html"
    extra_context = {"mode": "ask"}

    def get_initial(self):
        return {"title": self.request.GET.get("title", "")[:300]}

    @cached_property
    def space(self) -> dict | None:
        """Asked from a space's page (``?space=cop:12``): the question goes there, if the
        person may ask in it; otherwise to the office-wide board."""
        return _space(self.request, "GET", post=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["space"] = self.space
        return context

    def perform(self, form) -> Question:
        document, knowledge_set = form.cleaned_data["link"]
        space = self.space or {}
        return services.question_ask(
            space_kind=space["kind"].code if space else "",
            space_id=space.get("pk"),
            by=self.request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            tags=form.cleaned_data["tag_names"],
            km_step=form.cleaned_data["km_step"],
            document=document,
            knowledge_set=knowledge_set,
            ask=form.people(),
        )

    def get_success_message(self) -> str:
        return _("Your question is on the board.")


class QuestionEditView(ServiceFormView):
    form_class = QuestionForm
    template_name = "board/question_form.html"
    extra_context = {"mode": "edit"}
    success_message = gettext_lazy("The changes have been saved.")

    @cached_property
    def question(self) -> Question:
        question = _question(self.request, self.kwargs["pk"])
        require(self.request.user, "board.edit_post", question)
        return question

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.question  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.question, "asking": False}

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.question, **kwargs)

    def perform(self, form) -> Question:
        document, knowledge_set = form.cleaned_data["link"]
        return services.question_update(
            by=self.request.user,
            question=self.question,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            tags=form.cleaned_data["tag_names"],
            km_step=form.cleaned_data["km_step"],
            document=document,
            knowledge_set=knowledge_set,
            expected_version=form.expected_version,
        )


class QuestionActionMixin:
    """A form page about one question: 404 unless the person may open it, 403 unless they may
    take ``permission_required`` on it."""

    permission_required = ""

    @cached_property
    def question(self) -> Question:
        question = _question(self.request, self.kwargs["pk"])
        require(self.request.user, self.permission_required, question)
        return question

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.question  # noqa: B018
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.question, **kwargs)

    def get_success_url(self) -> str:
        return self.saved.get_absolute_url() if self.saved else self.question.get_absolute_url()


class AnswerPostView(QuestionActionMixin, ServiceFormView):
    permission_required = "board.answer"
    form_class = AnswerForm
    template_name = "board/answer_form.html"
    extra_context = {"mode": "answer"}
    success_message = gettext_lazy("Thank you: your answer is posted.")

    def perform(self, form) -> Answer:
        return services.answer_post(
            by=self.request.user, question=self.question, body=form.cleaned_data["body"]
        )


class AnswerEditView(ServiceFormView):
    form_class = AnswerForm
    template_name = "board/answer_form.html"
    extra_context = {"mode": "edit"}
    success_message = gettext_lazy("The changes have been saved.")

    @cached_property
    def answer(self) -> Answer:
        answer = _answer(self.request, self.kwargs["pk"])
        require(self.request.user, "board.edit_post", answer)
        return answer

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.answer  # noqa: B018
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.answer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.answer.question, **kwargs)

    def perform(self, form) -> Answer:
        return services.answer_update(
            by=self.request.user,
            answer=self.answer,
            body=form.cleaned_data["body"],
            expected_version=form.expected_version,
        )


class CommentAddView(QuestionActionMixin, ServiceFormView):
    permission_required = "board.comment"
    form_class = CommentForm
    template_name = "board/comment_form.html"
    success_message = gettext_lazy("Your comment is posted.")

    def perform(self, form):
        answer = None
        if form.cleaned_data.get("answer"):
            answer = self.question.answers.filter(pk=form.cleaned_data["answer"]).first()
            if answer is None:
                raise ValidationError(_("That answer is not part of this question."))
        return services.comment_add(
            by=self.request.user,
            question=self.question,
            answer=answer,
            text=form.cleaned_data["text"],
        )


class AskPeopleView(QuestionActionMixin, ServiceFormView):
    permission_required = "board.ask_people"
    form_class = AskPeopleForm
    template_name = "board/ask_people_form.html"

    def perform(self, form):
        told = services.question_ask_people(
            by=self.request.user, question=self.question, people=form.people()
        )
        self.told = told
        return None

    def get_success_message(self) -> str:
        if not self.told:
            return _("Everyone chosen was asked already.")
        return _("Asked: %(people)s.") % {"people": ", ".join(str(p) for p in self.told)}


class UnansweredView(PagePermissionMixin, ListView):
    """Questions waiting longer than ``KM_UNANSWERED_DAYS`` without an answer, among those the
    person moderates, oldest first."""

    permission_required = "board.view_unanswered"
    template_name = "board/unanswered.html"
    context_object_name = "questions"
    paginate_by = 20

    def get_queryset(self):
        waiting = notices.unanswered_since(timezone.localdate())
        return (
            waiting.filter(pk__in=Question.objects.moderated_by(self.request.user).values("pk"))
            .select_related("asker")
            .prefetch_related("tags")
            .order_by("created_at", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(days=notices.unanswered_days(), **kwargs)


# --- POST-only steps -----------------------------------------------------------------------------
def _refused(request, error, back):
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.warning(request, str(error))
    return redirect(back)


@require_POST
def answer_accept(request, pk):
    """Accept an answer (POST-only); posting it again for the accepted one takes it back."""
    answer = _answer(request, pk)
    question = answer.question
    require(request.user, "board.accept", question)
    chosen = None if question.accepted_answer_id == answer.pk else answer
    try:
        services.answer_accept(
            by=request.user,
            question=question,
            answer=chosen,
            expected_version=posted_version(request.POST),
        )
    except (ValidationError, StaleEditError) as error:
        return _refused(request, error, question)
    if chosen is None:
        messages.success(request, _("The answer is no longer marked as accepted."))
    else:
        messages.success(request, _("The answer is marked as accepted."))
    return redirect(answer)


@require_POST
def question_vote(request, pk):
    """Mark a question useful, or take the mark back (POST-only)."""
    question = _question(request, pk)
    require(request.user, "board.vote", question)
    services.vote_toggle(by=request.user, question=question)
    return redirect(question)


@require_POST
def answer_vote(request, pk):
    """Mark an answer useful, or take the mark back (POST-only)."""
    answer = _answer(request, pk)
    require(request.user, "board.vote", answer)
    services.vote_toggle(by=request.user, question=answer.question, answer=answer)
    return redirect(answer)


def _hide_flag(request) -> bool:
    return request.POST.get("hidden", "1") != "0"


@require_POST
def question_hide(request, pk):
    """Hide a question, or show it again (POST-only, ``hidden=0``)."""
    question = _question(request, pk)
    require(request.user, "board.hide_post", question)
    hidden = _hide_flag(request)
    try:
        services.question_hide(
            by=request.user,
            question=question,
            hidden=hidden,
            expected_version=posted_version(request.POST),
        )
    except StaleEditError as error:
        return _refused(request, error, question)
    messages.success(
        request,
        _("The question is hidden from the board and search.")
        if hidden
        else _("The question is shown again."),
    )
    return redirect(question)


@require_POST
def answer_hide(request, pk):
    """Hide an answer, or show it again (POST-only, ``hidden=0``)."""
    answer = _answer(request, pk)
    require(request.user, "board.hide_post", answer)
    hidden = _hide_flag(request)
    try:
        services.answer_hide(
            by=request.user,
            answer=answer,
            hidden=hidden,
            expected_version=posted_version(request.POST),
        )
    except StaleEditError as error:
        return _refused(request, error, answer.question)
    messages.success(
        request, _("The answer is hidden.") if hidden else _("The answer is shown again.")
    )
    return redirect(answer.question)


@require_safe
def similar(request):
    """Questions like the title being typed (JSON, for the ask page): through the search
    engine, with the person's own permissions."""
    require(request.user, "board.browse")
    text = " ".join(request.GET.get("q", "").split())[:300]
    if len(text) < 3:
        return JsonResponse({"results": []})
    found = searchables.find(user=request.user, text=text, kinds=["question"], limit=SIMILAR_LIMIT)
    return JsonResponse({"results": [{"title": r["title"], "url": r["url"]} for r in found]})
