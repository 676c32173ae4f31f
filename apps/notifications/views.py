"""The bell's page: my notices (all or unread), open one, mark read; my e-mail choices."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from apps.core.links import safe_next

from . import kinds, services
from .kinds import Delivery
from .models import Notification

PAGE_SIZE = 20


class NotificationListView(ListView):
    template_name = "notifications/list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "notices"

    def unread_only(self) -> bool:
        return self.request.GET.get("show") == "unread"

    def get_queryset(self):
        mine = Notification.objects.for_person(self.request.user).select_related(
            "actor", "target_type"
        )
        return mine.unread() if self.unread_only() else mine

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for notice in context["notices"]:
            kind = notice.kind_info
            target = notice.target
            visible = kind is not None and kinds.may_open(kind, self.request.user, target)
            # A record they can no longer open is named by no title, no link.
            rows.append(
                {
                    "notice": notice,
                    "visible": visible,
                    "sentence": notice.sentence() if visible else "",
                    "icon": kind.icon if kind else "bell",
                    "group": kind.group if kind else "",
                }
            )
        context["rows"] = rows
        context["unread_only"] = self.unread_only()
        mine = Notification.objects.for_person(self.request.user)
        context["unread_count"] = mine.unread().count()
        return context


def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read (and others about the same record) and go to its record."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(by=request.user, notice_ids=[notice.pk])
    kind = notice.kind_info
    target = notice.target
    if kind is None or not kinds.may_open(kind, request.user, target):
        messages.info(request, _("You can no longer open what this notice was about."))
        return redirect("notifications:list")
    services.mark_read(by=request.user, target=target)
    return redirect(kinds.url_of(kind, target))


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``notice``) or all of mine read."""
    ids = request.POST.getlist("notice")[:PAGE_SIZE]
    try:
        picked = [int(value) for value in ids]
    except ValueError:
        picked = []
    if picked:
        services.mark_read(by=request.user, notice_ids=picked)
    else:
        count = services.mark_read(by=request.user)
        messages.success(
            request,
            _("%(count)d notices marked as read.") % {"count": count}
            if count
            else _("Nothing was unread."),
        )
    return redirect(safe_next(request, reverse("notifications:list")))


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of my e-mails"), required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["language"].choices = [("", _("The portal's language (Thai)"))] + [
            (code, _(name)) for code, name in settings.LANGUAGES
        ]
        self.fields["language"].initial = person.language
        chosen = dict(person.notification_preferences.values_list("kind", "delivery"))
        self.groups: list[tuple[str, list[str]]] = []
        for kind in kinds.kinds():
            name = f"kind:{kind.code}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=chosen.get(kind.code, kind.default),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            group = str(kind.group)
            if not self.groups or self.groups[-1][0] != group:
                self.groups.append((group, []))
            self.groups[-1][1].append(name)

    def grouped(self):
        return [(group, [self[name] for name in names]) for group, names in self.groups]

    def choices(self) -> dict[str, str]:
        return {
            name.split(":", 1)[1]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind:")
        }


def preferences(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = PreferencesForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(by=person, person=person, choices=form.choices())
            services.set_language(by=person, person=person, language=form.cleaned_data["language"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
