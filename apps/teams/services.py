"""Writes to the KM organisation. Each is one transaction; views call exactly one of these.

An edit passes the ``expected_version`` its page showed: a record saved since is not
overwritten (``StaleEditError``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.concurrency import bump_version, lock_for_edit
from apps.core.files import replacing_file
from apps.core.races import refused_if_taken

from .forms import AppointmentOrderForm, MembershipForm, TeamForm, overlap_error
from .models import AppointmentOrder, Membership, Role, RoleDuty, Team

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


@transaction.atomic
def team_save(*, form: TeamForm, expected_version: int | None = None) -> Team:
    """Create or update a team; a new team starts with the default duties of every role.
    Raises ``ValidationError`` when another request took the name meanwhile and
    ``StaleEditError`` for an edit based on an older version."""
    is_new = form.instance.pk is None
    if not is_new:
        lock_for_edit(form.instance, expected_version=expected_version)
    pk, name = form.instance.pk, form.cleaned_data["name"]
    with refused_if_taken(
        lambda: Team.objects.filter(name=name).exclude(pk=pk).exists(),
        lambda: ValidationError({"name": Team().unique_error_message(Team, ("name",))}),
    ):
        team = form.save()
    if is_new:
        duties_replace(team=team, duties=DEFAULT_DUTIES)
    return team


@transaction.atomic
def duties_replace(
    *, team: Team, duties: dict[str, list[str]], expected_version: int | None = None
) -> None:
    """Make ``duties`` (role → lines) the team's duties, in the given order. The duties count as
    part of the team: ``expected_version`` is the team's, and the change raises it."""
    lock_for_edit(team, expected_version=expected_version)
    team.duties.all().delete()
    RoleDuty.objects.bulk_create(
        RoleDuty(team=team, role=role, text=text, order=index)
        for role, lines in duties.items()
        for index, text in enumerate(lines)
    )
    bump_version(team)


@transaction.atomic
def membership_save(*, form: MembershipForm, expected_version: int | None = None) -> Membership:
    """Add a person to the form's team, or change a term, role or order.

    The form checked that the person holds no overlapping term of the same role; the check is
    made again here with the team's row locked, so two secretaries adding the same person at
    the same moment cannot both succeed. Raises ``ValidationError`` for an overlap and
    ``StaleEditError`` for an edit based on an older version."""
    Team.objects.select_for_update().filter(pk=form.team.pk).exists()
    if form.instance.pk is not None:
        lock_for_edit(form.instance, expected_version=expected_version)
    membership = form.save(commit=False)
    membership.team = form.team
    overlapping = Membership.objects.overlapping(
        person=membership.person,
        team=form.team,
        role=membership.role,
        start=membership.start_date,
        end=membership.end_date,
        exclude=membership.pk,
    )
    if overlapping.exists():
        raise overlap_error(membership.person)
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, end_date: dt.date, expected_version: int | None = None
) -> Membership:
    """Close a term. The membership stays as history; the roles it gave lapse after ``end_date``."""
    lock_for_edit(membership, expected_version=expected_version)
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    return membership


@transaction.atomic
def order_save(
    *, form: AppointmentOrderForm, expected_version: int | None = None
) -> AppointmentOrder:
    """Save an order and its scan (already checked by the form); an old scan file is removed
    once the new one is committed."""
    old_name = None
    if form.instance.pk:
        lock_for_edit(form.instance, expected_version=expected_version)
        old_name = (
            AppointmentOrder.objects.filter(pk=form.instance.pk)
            .values_list("scan", flat=True)
            .first()
        )
    order = form.save(commit=False)
    scan = form.cleaned_data.get("scan")
    if scan is False:
        order.scan_filename = order.scan_content_type = ""
    elif scan and form.scan_content_type:
        order.scan_filename = scan.name[:255]
        order.scan_content_type = form.scan_content_type
    pk, key = order.pk, ("issuing_office", "number", "year")
    same_number = {name: getattr(order, name) for name in key}
    with (
        replacing_file(order, "scan", old_name=old_name),
        refused_if_taken(
            lambda: AppointmentOrder.objects.filter(**same_number).exclude(pk=pk).exists(),
            lambda: order.unique_error_message(AppointmentOrder, key),
        ),
    ):
        order.save()
        form.save_m2m()
    return order
