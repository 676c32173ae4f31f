"""The shared edit-page base (form → service → message → redirect) and the 404/403 rule."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import DetailView

from apps.core.permissions import ObjectPermissionMixin, require, visible_or_404
from apps.core.views.forms import ServiceFormView
from apps.teams.models import Team
from tests.factories import TeamFactory


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


class Saved:
    def get_absolute_url(self):
        return "/saved/"


def _request(method="get", data=None, user=None):
    request = getattr(RequestFactory(), method)("/edit/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = user
    return request


def _view(perform):
    class View(ServiceFormView):
        form_class = NameForm
        template_name = "core/home.html"
        success_message = "done"

        def perform(self, form):
            return perform(form.cleaned_data)

        def render_to_response(self, context, **kwargs):
            self.rendered = context
            response = super().render_to_response(context, **kwargs)
            response.context_data = context
            return response

    return View.as_view()


def _texts(request):
    return [str(message) for message in get_messages(request)]


def test_a_valid_form_goes_to_the_service_then_redirects_with_the_message():
    calls = []
    request = _request("post", {"name": "ก"})
    response = _view(lambda data: calls.append(data) or Saved())(request)
    assert calls == [{"name": "ก"}]
    assert response.status_code == 302 and response.url == "/saved/"
    assert _texts(request) == ["done"]


def test_a_service_refusal_shows_the_form_again_with_the_reason_on_its_field():
    def refuse(data):
        raise ValidationError({"name": "ชื่อนี้มีอยู่แล้ว"})

    request = _request("post", {"name": "ก"})
    response = _view(refuse)(request)
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors == {"name": ["ชื่อนี้มีอยู่แล้ว"]}
    assert form.data["name"] == "ก"
    assert _texts(request) == ["ชื่อนี้มีอยู่แล้ว"]


def test_a_refusal_naming_no_field_goes_to_the_top_of_the_form():
    def refuse(data):
        raise ValidationError("ปิดรับแล้ว")

    request = _request("post", {"name": "ก"})
    response = _view(refuse)(request)
    assert response.context_data["form"].non_field_errors() == ["ปิดรับแล้ว"]


def test_an_invalid_form_never_reaches_the_service_and_says_nothing_was_saved():
    calls = []
    request = _request("post", {"name": "x" * 21})
    response = _view(lambda data: calls.append(data))(request)
    assert response.status_code == 200 and calls == []
    assert response.context_data["form"].errors["name"]
    assert len(_texts(request)) == 1


@pytest.mark.django_db
def test_a_record_one_may_not_open_is_404_and_an_action_one_may_not_do_is_403(user):
    team = TeamFactory()

    class TeamPage(ObjectPermissionMixin, DetailView):
        model = Team
        template_name = "core/home.html"

    hidden = type("Hidden", (TeamPage,), {"view_permission": "teams.no_such_rule"})
    with pytest.raises(Http404):
        hidden.as_view()(_request(user=user), pk=team.pk)
    refused = type(
        "Refused",
        (TeamPage,),
        {"view_permission": "teams.view_team", "permission_required": "teams.manage_team"},
    )
    with pytest.raises(PermissionDenied):
        refused.as_view()(_request(user=user), pk=team.pk)
    with pytest.raises(Http404):
        visible_or_404(Team, user, "teams.no_such_rule", pk=team.pk)
    assert visible_or_404(Team, user, "teams.view_team", pk=team.pk) == team
    with pytest.raises(PermissionDenied):
        require(user, "teams.manage_team", team)
