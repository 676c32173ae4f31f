"""Writes to the KM organisation: teams, their duties, rosters and appointment orders.

Each function is the only way to make its change (views, the demo data and the admin call it):
it takes plain data, checks the caller's permission itself (``PermissionDenied``) and the
record's rules (``ValidationError``), and runs in one transaction. An edit passes the
``expected_version`` its page showed: a record saved since is not overwritten
(``StaleEditError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import bump_version, lock_for_edit
from apps.core.files import replacing_file
from apps.core.permissions import require
from apps.core.races import refused_if_taken
from apps.core.uploads import check_scan
from apps.core.writes import checked_fields

from .models import AppointmentOrder, Membership, Role, RoleDuty, Team

ORDER_SCAN_MAX_BYTES = 20 * 1024 * 1024

# What a form (or the demo data) may set; anything else is a bug in the caller.
TEAM_FIELDS = frozenset({"name", "kind", "parent", "topic", "description", "order", "is_active"})
MEMBERSHIP_FIELDS = frozenset({"person", "role", "start_date", "end_date", "order", "note"})
ORDER_FIELDS = frozenset({"number", "year", "issued_on", "subject", "issuing_office"})

# The duties seed 003 sets out for each role (ขั้นตอนการดำเนินงานการจัดการความรู้ระดับกรมฯ);
# a new team starts from these and may edit its own.
DEFAULT_DUTIES: dict[str, list[str]] = {
    Role.CKO: [
        "ให้การสนับสนุนในด้านต่าง ๆ เช่น ทรัพยากร",
        "ให้คำปรึกษาแนะนำและร่วมประชุมเพื่อการตัดสินใจแก่คณะทำงาน",
    ],
    Role.HEAD: [
        "อำนวยการในการจัดทำแผนการจัดการความรู้ในองค์กรเพื่อนำเสนอประธาน",
        "รายงานผลการดำเนินงานและความคืบหน้าต่อประธาน",
        "ผลักดันติดตามความก้าวหน้าและประเมินผลเพื่อปรับปรุงแก้ไข",
        "ประสานงานกับคณะทีมงานและหน่วยงานที่เกี่ยวข้อง",
    ],
    Role.SECRETARY: [
        "นัดประชุมคณะทำงานและทำรายงานการประชุม",
        "รวบรวมรายงานความคืบหน้าและการดำเนินงาน",
        "ประสานงานกับคณะทีมงานและหัวหน้า KM Team",
    ],
    Role.MEMBER: [
        "ดำเนินการตามแผนงานที่ได้รับมอบหมาย",
        "จัดทำรายงานความคืบหน้าของงานในความรับผิดชอบ",
        "เป็นแบบอย่างที่ดีในเรื่องการจัดการความรู้",
        "เป็น Master Trainer ด้านการจัดการความรู้",
    ],
}


# --- Teams ---------------------------------------------------------------------------------------
def _save_team(team: Team, *, update_fields: list[str] | None = None) -> Team:
    if team.pk is not None and team.parent_id == team.pk:
        raise ValidationError({"parent": _("A team cannot be part of itself.")})
    team.full_clean()
    # full_clean found the name free; one taken meanwhile by another request is refused by
    # the database, and reported the same way.
    pk, name = team.pk, team.name
    with refused_if_taken(
        lambda: Team.objects.filter(name=name).exclude(pk=pk).exists(),
        lambda: ValidationError({"name": Team().unique_error_message(Team, ("name",))}),
    ):
        team.save(update_fields=update_fields)
    return team


@transaction.atomic
def team_create(*, by: User, fields: Mapping[str, Any]) -> Team:
    """Add a team (the KM office's work); it starts with the default duties of every role.

    Raises ``ValidationError`` for a name already taken, also by a request at the same moment.
    """
    require(by, "teams.manage_team")
    team = _save_team(Team(**checked_fields(fields, TEAM_FIELDS)))
    _replace_duties(team, DEFAULT_DUTIES)
    return team


@transaction.atomic
def team_update(
    *, by: User, team: Team, fields: Mapping[str, Any], expected_version: int | None = None
) -> Team:
    """Change a team's details. Raises ``ValidationError`` for a name already taken or a team
    made part of itself, ``StaleEditError`` for an edit based on an older version."""
    require(by, "teams.manage_team", team)
    lock_for_edit(team, expected_version=expected_version)
    changes = checked_fields(fields, TEAM_FIELDS)
    for name, value in changes.items():
        setattr(team, name, value)
    return _save_team(team, update_fields=[*changes, "updated_at"])


def _replace_duties(team: Team, duties: Mapping[str, Iterable[str]]) -> None:
    team.duties.all().delete()
    RoleDuty.objects.bulk_create(
        RoleDuty(team=team, role=role, text=text, order=index)
        for role, lines in duties.items()
        for index, text in enumerate(lines)
    )


@transaction.atomic
def duties_replace(
    *,
    by: User,
    team: Team,
    duties: Mapping[str, Iterable[str]],
    expected_version: int | None = None,
) -> None:
    """Make ``duties`` (role → lines) the team's duties, in the given order. The duties count as
    part of the team: ``expected_version`` is the team's, and the change raises it."""
    require(by, "teams.edit_duties", team)
    unknown = set(duties) - set(Role.values)
    if unknown:
        raise TypeError(f"not roles: {sorted(unknown)}")
    lock_for_edit(team, expected_version=expected_version)
    _replace_duties(team, duties)
    bump_version(team)


# --- Rosters -------------------------------------------------------------------------------------
def overlap_error(person: User) -> ValidationError:
    """The refusal of a term that overlaps the person's term of the same role in the team."""
    return ValidationError(
        _("%(person)s already holds this role in this team for an overlapping term.")
        % {"person": person},
        code="overlap",
    )


def term_order_error() -> ValidationError:
    """The refusal of a term that ends before it starts."""
    return ValidationError(
        {"end_date": _("The term cannot end before it starts.")}, code="term_order"
    )


def _save_membership(membership: Membership) -> Membership:
    # The team's row is locked, so two secretaries adding the same person at the same moment
    # cannot both pass the overlap check below.
    Team.objects.select_for_update().filter(pk=membership.team_id).exists()
    if membership.end_date and membership.end_date < membership.start_date:
        raise term_order_error()
    overlapping = Membership.objects.overlapping(
        person=membership.person,
        team=membership.team,
        role=membership.role,
        start=membership.start_date,
        end=membership.end_date,
        exclude=membership.pk,
    )
    if overlapping.exists():
        raise overlap_error(membership.person)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_add(*, by: User, team: Team, fields: Mapping[str, Any]) -> Membership:
    """Add a person to ``team`` for a term (the KM office, or the team's own head).

    Raises ``ValidationError`` for a term that ends before it starts or overlaps the person's
    term of the same role in the team (checked again under the team's lock, so a request at
    the same moment is refused too)."""
    require(by, "teams.manage_roster", team)
    return _save_membership(Membership(team=team, **checked_fields(fields, MEMBERSHIP_FIELDS)))


@transaction.atomic
def membership_update(
    *,
    by: User,
    membership: Membership,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
) -> Membership:
    """Change a term's role, dates, order or note. Who holds it does not change (end it and add
    another instead). Raises ``ValidationError`` as ``membership_add`` does and
    ``StaleEditError`` for an edit based on an older version."""
    require(by, "teams.manage_roster", membership.team)
    changes = checked_fields(fields, MEMBERSHIP_FIELDS)
    if "person" in changes and changes.pop("person").pk != membership.person_id:
        raise ValidationError(
            {"person": _("Who holds a term does not change; end it and add another instead.")}
        )
    lock_for_edit(membership, expected_version=expected_version)
    for name, value in changes.items():
        setattr(membership, name, value)
    return _save_membership(membership)


@transaction.atomic
def membership_end(
    *, by: User, membership: Membership, end_date: dt.date, expected_version: int | None = None
) -> Membership:
    """Close a term. The membership stays as history; the roles it gave lapse after ``end_date``.
    Raises ``ValidationError`` for a day before the term started."""
    require(by, "teams.manage_roster", membership.team)
    if end_date < membership.start_date:
        raise term_order_error()
    lock_for_edit(membership, expected_version=expected_version)
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    return membership


# --- Appointment orders --------------------------------------------------------------------------
def _save_order(
    order: AppointmentOrder,
    *,
    teams: Iterable[Team],
    scan: File | None,
    clear_scan: bool,
) -> AppointmentOrder:
    old_name = ""
    if order.pk:
        stored = AppointmentOrder.objects.filter(pk=order.pk).values_list("scan", flat=True)
        old_name = stored.first() or ""
    if scan is not None:
        try:
            content_type = check_scan(scan, max_bytes=ORDER_SCAN_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"scan": error.messages}) from None
        order.scan = scan
        order.scan_filename = scan.name[:255]
        order.scan_content_type = content_type
    elif clear_scan:
        order.scan = ""
        order.scan_filename = order.scan_content_type = ""
    order.full_clean(exclude=["scan"])
    pk, key = order.pk, ("issuing_office", "number", "year")
    same_number = {name: getattr(order, name) for name in key}
    # A new scan written to disk before the row (or its links) was refused is removed again;
    # the replaced one is removed once the change is committed.
    with (
        replacing_file(order, "scan", old_name=old_name),
        refused_if_taken(
            lambda: AppointmentOrder.objects.filter(**same_number).exclude(pk=pk).exists(),
            lambda: order.unique_error_message(AppointmentOrder, key),
        ),
    ):
        order.save()
        order.teams.set(teams)
    return order


@transaction.atomic
def order_create(
    *,
    by: User,
    fields: Mapping[str, Any],
    teams: Iterable[Team] = (),
    scan: File | None = None,
) -> AppointmentOrder:
    """Record an appointment order, the teams it appoints and its signed scan (a PDF or an
    image, checked by its content; its original name is kept for downloads).

    Raises ``ValidationError`` for a bad scan or a number the office already used (also by a
    request at the same moment); a scan written before a refusal is removed."""
    require(by, "teams.manage_order")
    order = AppointmentOrder(**checked_fields(fields, ORDER_FIELDS))
    return _save_order(order, teams=teams, scan=scan, clear_scan=False)


@transaction.atomic
def order_update(
    *,
    by: User,
    order: AppointmentOrder,
    fields: Mapping[str, Any],
    teams: Iterable[Team] | None = None,
    scan: File | None = None,
    clear_scan: bool = False,
    expected_version: int | None = None,
) -> AppointmentOrder:
    """Change an order; a new ``scan`` replaces the old one (``clear_scan`` removes it), whose
    file is deleted once the change is committed. ``teams=None`` keeps its teams. Raises as
    ``order_create`` does, and ``StaleEditError`` for an edit based on an older version."""
    require(by, "teams.manage_order", order)
    lock_for_edit(order, expected_version=expected_version)
    for name, value in checked_fields(fields, ORDER_FIELDS).items():
        setattr(order, name, value)
    keep = list(order.teams.all()) if teams is None else teams
    return _save_order(order, teams=keep, scan=scan, clear_scan=clear_scan)
