"""Teams and appointment orders in search."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register

from .models import AppointmentOrder, Membership, Team


def team_fields(team: Team) -> dict:
    # Every term, past and future too, as on the team's page: an entry that kept only today's
    # members would go stale the day a term starts or ends, with nothing saved.
    memberships = ordered(team.memberships.all(), lambda m: m.start_date)
    members = [f"{m.person.get_full_name()} {m.get_role_display()}" for m in memberships]
    duties = [duty.text for duty in ordered(team.duties.all(), lambda d: (d.role, d.order))]
    return {
        "title": team.name,
        "body": "\n".join([team.topic, team.description, *members, *duties]),
        "team": [team.pk],
    }


def team_labels(values: Sequence[str]) -> dict[str, str]:
    """Names of the teams whose ids are among ``values`` (the search page's team facet)."""
    ids = [value for value in values if value.isdigit()]
    rows = Team.objects.filter(pk__in=ids).order_by().values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def order_fields(order: AppointmentOrder) -> dict:
    teams = ordered(order.teams.all())
    return {
        "title": f"{order.issuing_office} ที่ {order.reference} {order.subject}",
        "body": "\n".join(team.name for team in teams),
        "code": order.reference,
        "doc_type": "order",
        "team": [team.pk for team in teams],
        "date": order.issued_on,
        "year": order.year,
        "data": {"filename": order.scan_filename or None},
    }


register(
    Searchable(
        kind="team",
        model=Team,
        label=_("KM teams"),
        icon="people",
        fields=team_fields,
        visible=lambda user: Team.objects.all(),
        may_open=lambda user, team: user.has_perm("teams.view_team", team),
        queryset=lambda: Team.objects.prefetch_related("memberships__person", "duties"),
        snippet=lambda team: "\n".join([team.topic, team.description]),
        depends={Membership: lambda membership: [membership.team_id]},
        facet_labels={"team": team_labels},
    )
)
register(
    Searchable(
        kind="order",
        model=AppointmentOrder,
        label=_("Appointment orders"),
        icon="file-earmark-ruled",
        fields=order_fields,
        visible=lambda user: AppointmentOrder.objects.all(),
        may_open=lambda user, order: user.has_perm("teams.view_order", order),
        queryset=lambda: AppointmentOrder.objects.prefetch_related("teams"),
        snippet=lambda order: order.subject,
    )
)
