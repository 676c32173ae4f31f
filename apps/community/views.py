"""Pages of communities of practice: the list, a community's space, its roster, its sessions
and their notes, its knowledge assets and their promotion.

Views validate input and call one service; the services check permissions again and write. A
community (or its session or asset) the person may not open answers 404; one they may open but
not act on, 403. Joining, leaving, removing a member and promoting are POST-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, UpdateView

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    visible_or_404,
)
from apps.core.views.forms import ServiceFormMixin, ServiceFormView
from apps.meetings.models import AttendanceStatus

from . import board, selectors, services
from .forms import AssetForm, CommunityForm, MembersForm, SessionForm, SessionNotesForm
from .models import Community, KnowledgeAsset, Member, Session

VIEW = "community.view_community"


class CommunityListView(PagePermissionMixin, ListView):
    permission_required = "community.browse"
    template_name = "community/community_list.html"
    context_object_name = "communities"
    paginate_by = 20

    def get_queryset(self):
        return selectors.communities_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        communities = list(context["communities"])
        roles = selectors.my_community_roles(self.request.user, communities)
        for community in communities:
            community.my_role = roles.get(community.pk)
        context["communities"] = communities
        return context


class CommunityCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "community.add_community"
    form_class = CommunityForm
    template_name = "community/community_form.html"
    success_message = gettext_lazy("The community has been started.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form) -> Community:
        return services.community_create(
            by=self.request.user,
            data=form.data_for_service(),
            facilitators=list(form.cleaned_data.get("facilitators") or []),
        )


class CommunityDetailView(ObjectPermissionMixin, DetailView):
    view_permission = VIEW
    model = Community
    template_name = "community/community_detail.html"
    context_object_name = "community"

    def get_queryset(self):
        return Community.objects.select_related("activity", "activity__plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.space(self.object, self.request.user))
        context.update(board.questions_of(self.object, self.request.user))
        return context


class CommunityUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = "community.change_community"
    model = Community
    form_class = CommunityForm
    template_name = "community/community_form.html"
    success_message = gettext_lazy("The changes have been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form) -> Community:
        return services.community_update(
            by=self.request.user,
            community=self.object,
            data=form.data_for_service(),
            expected_version=form.expected_version,
        )


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_POST
def community_join(request, pk):
    """Join an open community (POST-only)."""
    community = visible_or_404(Community, request.user, VIEW, pk=pk)
    require(request.user, "community.join", community)
    try:
        services.community_join(by=request.user, community=community)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Welcome to the community “%(name)s”.") % {"name": community})
    return redirect(community)


@require_POST
def community_leave(request, pk):
    """Leave a community (POST-only)."""
    community = visible_or_404(Community, request.user, VIEW, pk=pk)
    require(request.user, "community.leave", community)
    try:
        services.community_leave(by=request.user, community=community)
    except ValidationError as error:
        _refused(request, error)
        return redirect(community)
    messages.success(request, _("You have left the community “%(name)s”.") % {"name": community})
    if request.user.has_perm(VIEW, community):
        return redirect(community)
    return redirect("community:list")


class CommunityPartMixin:
    """A page about one community: 404 unless the person may open it, 403 unless they have
    ``permission_required`` on it."""

    permission_required = ""

    @cached_property
    def community(self) -> Community:
        community = visible_or_404(Community, self.request.user, VIEW, pk=self.kwargs["pk"])
        require(self.request.user, self.permission_required, community)
        return community

    def dispatch(self, request, *args, **kwargs):
        self.community  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, **kwargs)


class MembersAddView(CommunityPartMixin, ServiceFormView):
    permission_required = "community.manage_members"
    form_class = MembersForm
    template_name = "community/members_form.html"
    success_message = gettext_lazy("The roster has been updated.")

    def perform(self, form):
        return services.members_add(
            by=self.request.user,
            community=self.community,
            people=list(form.cleaned_data["people"]),
            role=form.cleaned_data["role"],
        )

    def get_success_url(self) -> str:
        return f"{self.community.get_absolute_url()}#members"


@require_POST
def member_remove(request, pk):
    """Take someone off a roster (POST-only)."""
    member = get_object_or_404(Member.objects.select_related("community", "person"), pk=pk)
    community = visible_or_404(Community, request.user, VIEW, pk=member.community_id)
    require(request.user, "community.manage_members", community)
    try:
        services.member_remove(by=request.user, member=member)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("%(person)s is no longer a member.") % {"person": member.person}
        )
    return redirect(f"{community.get_absolute_url()}#members")


class SessionScheduleView(CommunityPartMixin, ServiceFormView):
    permission_required = "community.schedule_session"
    form_class = SessionForm
    template_name = "community/session_form.html"
    success_message = gettext_lazy("The session has been scheduled and the invitations sent.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community}

    def perform(self, form) -> Session:
        return services.session_schedule(
            by=self.request.user,
            community=self.community,
            data=form.data_for_service(),
            invitees=list(form.cleaned_data.get("invitees") or []),
        )


class SessionDetailView(ObjectPermissionMixin, DetailView):
    view_permission = "community.view_session"
    template_name = "community/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return Session.objects.select_related("community", "meeting")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        attendances = list(session.meeting.attendances.select_related("person"))
        context.update(
            community=session.community,
            meeting=session.meeting,
            present=[a for a in attendances if a.status == AttendanceStatus.PRESENT],
            invited_count=len(attendances),
            assets=list(session.assets.select_related("written_by").order_by("-created_at")),
            can_view_meeting=self.request.user.has_perm("meetings.view_meeting", session.meeting),
        )
        return context


class SessionNotesView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = "community.view_session"
    permission_required = "community.change_session"
    form_class = SessionNotesForm
    template_name = "community/session_notes_form.html"
    context_object_name = "session"
    success_message = gettext_lazy("The session's notes have been saved.")

    def get_queryset(self):
        return Session.objects.select_related("community", "meeting")

    def perform(self, form) -> Session:
        return services.session_notes_save(
            by=self.request.user,
            session=self.object,
            notes=form.data_for_service(),
            expected_version=form.expected_version,
        )


class AssetCreateView(CommunityPartMixin, ServiceFormView):
    permission_required = "community.add_asset"
    form_class = AssetForm
    template_name = "community/asset_form.html"
    success_message = gettext_lazy("The knowledge asset has been captured.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community}

    def get_initial(self):
        initial = super().get_initial()
        wanted = self.request.GET.get("session", "")
        if wanted.isascii() and wanted.isdigit() and len(wanted) < 10:
            initial["session"] = self.community.sessions.filter(pk=int(wanted)).first()
        return initial

    def perform(self, form) -> KnowledgeAsset:
        return services.asset_create(
            by=self.request.user,
            community=self.community,
            data=form.data_for_service(),
            session=form.cleaned_data.get("session"),
        )


class AssetDetailView(ObjectPermissionMixin, DetailView):
    view_permission = "community.view_asset"
    template_name = "community/asset_detail.html"
    context_object_name = "asset"

    def get_queryset(self):
        return KnowledgeAsset.objects.select_related(
            "community", "written_by", "session__meeting", "knowledge_set"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asset = self.object
        context["community"] = asset.community
        context["people"] = list(asset.who_to_ask.order_by("first_name", "last_name"))
        set_ = asset.knowledge_set
        context["set_visible"] = set_ is not None and self.request.user.has_perm(
            "knowledge.view_set", set_
        )
        return context


class AssetUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = "community.view_asset"
    permission_required = "community.change_asset"
    form_class = AssetForm
    template_name = "community/asset_form.html"
    context_object_name = "asset"
    success_message = gettext_lazy("The changes have been saved.")

    def get_queryset(self):
        return KnowledgeAsset.objects.select_related("community")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.object.community}

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.object.community, **kwargs)

    def perform(self, form) -> KnowledgeAsset:
        return services.asset_update(
            by=self.request.user,
            asset=self.object,
            data=form.data_for_service(),
            session=form.cleaned_data.get("session"),
            expected_version=form.expected_version,
        )


@require_POST
def asset_promote(request, pk):
    """Make a knowledge-set draft of an asset (POST-only); the draft's page opens."""
    asset = visible_or_404(
        KnowledgeAsset.objects.select_related("community"),
        request.user,
        "community.view_asset",
        pk=pk,
    )
    require(request.user, "community.promote_asset", asset)
    try:
        asset = services.asset_promote(
            by=request.user, asset=asset, expected_version=posted_version(request.POST)
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
        return redirect(asset)
    except ValidationError as error:
        _refused(request, error)
        return redirect(asset)
    messages.success(
        request,
        _(
            "A knowledge-set draft has been made of “%(title)s”. Complete it and send it for "
            "review when it is ready."
        )
        % {"title": asset.title},
    )
    return redirect(asset.knowledge_set)
