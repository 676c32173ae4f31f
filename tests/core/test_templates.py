"""Every template in ``templates/`` renders, in Thai and in English, through a real request."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.core.views import server_error
from apps.search import indexing
from tests.conftest import PASSWORD
from tests.experts.factories import EngagementFactory, ExpertFactory
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory, UserFactory
from tests.library.factories import CategoryFactory, DocumentFileFactory, TagFactory

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"


def all_project_templates() -> set[str]:
    return {
        str(path.relative_to(TEMPLATE_DIR))
        for path in TEMPLATE_DIR.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt"}
    }


@pytest.fixture
def rendered():
    names: set[str] = set()

    def record(sender, template, context, **kwargs):
        names.add(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def visit_every_page(client, rf, user, admin_user):
    """GET (and POST where a page has a second state) every page a person can reach."""
    pages = []

    def get(url, expected=200, data=None, **kwargs):
        response = client.get(url, data, **kwargs)
        assert response.status_code == expected, (url, response.status_code)
        pages.append(response)
        return response

    get(reverse("login"))
    get(reverse("password_reset"))
    client.post(reverse("password_reset"), {"email": user.email})
    get(reverse("password_reset_done"))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    get(reverse("password_reset_confirm", args=[uid, "bad-token"]))
    token = default_token_generator.make_token(user)
    response = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    get(reverse("password_reset_complete"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": admin_user.username, "password": "wrong"})

    client.force_login(user)
    get("/")
    get(user.get_absolute_url())
    get(reverse("accounts:profile_edit"))
    get(reverse("password_change"))
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "อีก-2568-ยาวพอ",
            "new_password2": "อีก-2568-ยาวพอ",
        },
    )
    get(reverse("password_change_done"))
    get("/no-such-page/", expected=404)
    get(reverse("core:audit"), expected=403)
    client.handler.enforce_csrf_checks = True
    client.post(reverse("accounts:profile_edit"), {})
    client.handler.enforce_csrf_checks = False

    client.force_login(admin_user)
    get(reverse("core:audit"))
    server_error(rf.get("/"))

    # The teams app, as the KM secretary sees it (an admin sees the same buttons).
    team = MembershipFactory(person=user, team=TeamFactory(name="กลุ่ม KM ที่ 1")).team
    membership = team.memberships.get()
    order = AppointmentOrderFactory()
    get(reverse("teams:list"))
    get(team.get_absolute_url())
    get(reverse("teams:create"))
    get(reverse("teams:update", args=[team.pk]))
    get(reverse("teams:duties", args=[team.pk]))
    get(reverse("teams:membership_add", args=[team.pk]))
    get(reverse("teams:membership_edit", args=[membership.pk]))
    get(reverse("teams:order_list"))
    get(order.get_absolute_url())
    get(reverse("teams:order_create"))
    get(reverse("teams:order_update", args=[order.pk]))
    get(reverse("teams:directory"))
    get(user.get_absolute_url())

    # The expert directory.
    expert = ExpertFactory()
    EngagementFactory(expert=expert)
    pending = ExpertFactory(pending=True)
    get(reverse("experts:list"))
    get(expert.get_absolute_url())
    get(pending.get_absolute_url())
    get(reverse("experts:suggest"))
    get(reverse("experts:update", args=[expert.pk]))
    get(reverse("experts:review"))
    get(reverse("experts:engagement_add", args=[expert.pk]))

    # The library, with a category tree, tags and a replaced document.
    category = CategoryFactory(name="กฎหมาย")
    CategoryFactory(name="พระราชบัญญัติ", parent=category)
    newer = DocumentFileFactory(document__category=category).document
    older = DocumentFileFactory(document__replaced_by=newer).document
    older.tags.add(TagFactory())
    get(reverse("library:list"))
    get(newer.get_absolute_url())
    get(older.get_absolute_url())
    get(reverse("library:create"))
    get(reverse("library:update", args=[older.pk]))
    get(reverse("library:add_files", args=[older.pk]))
    get("/")  # the home page lists the new documents

    # Search: the empty page, and results with facets (the index follows the records above).
    get(reverse("search:results"))
    indexing.flush()
    get(reverse("search:results"), data={"q": "หนังสือเวียน"})
    return pages


@pytest.fixture
def home_section():
    """A landing-page section like the ones later apps register, listing people."""
    from apps.accounts.models import User
    from apps.core import portal

    section = portal.HomeSection("test-people", "People", lambda request: list(User.objects.all()))
    portal.register_home_section(section)
    yield section
    portal._home.pop(section.key)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_template_renders(client, rf, rendered, language, home_section, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    user = UserFactory(username="somchai")
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    visit_every_page(client, rf, user, admin_user)
    missing = all_project_templates() - rendered
    assert missing == set(), f"templates no test renders: {sorted(missing)}"
