"""What the KM plan tells people: the right kinds to the right people, never to someone who may
not open the record; progress reminders at the fiscal quarters' ends, each once; the
secretary's "remind those who have not reported" button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from apps.notifications import reminders
from apps.notifications.kinds import Delivery
from apps.notifications.models import Notification, SentReminder
from apps.plans import reminding
from apps.plans.periods import Period, period_of
from apps.plans.services import plans as plan_services
from apps.plans.services import progress as progress_services
from apps.teams.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.plans.factories import ActivityFactory, PlanFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db


def kinds_of(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


@pytest.fixture
def owner(db):
    """A member of staff outside every KM team: a draft plan is closed to them."""
    return UserFactory(
        username="owner", title="นาง", first_name="สมศรี", last_name="ทำงาน", email="o@x.go.th"
    )


# --- The plan's workflow --------------------------------------------------------------------------
def test_submit_tells_the_cko_at_once_and_return_approve_tell_the_keepers(people, owner):
    head, cko, secretary = people["head"], people["cko"], people["secretary"]
    plan = PlanFactory(fiscal_year=2570, created_by=head)
    data = plan_services.ActivityData(
        title="ถอดบทเรียนการตรวจการสหกรณ์",
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2027, 9, 30),
        indicator="ชุดความรู้",
        target="1 ชุด",
        owners=[owner, people["member"]],
        km_step="create",
    )
    activity = plan_services.part_save(by=head, plan=plan, data=data)
    # The draft is for the KM teams: the member hears at once, the outside owner not yet.
    assert kinds_of(people["member"]) == ["plans.activity_assigned"]
    assert kinds_of(owner) == []

    plan_services.plan_submit(by=head, plan=plan)
    submitted = Notification.objects.get(kind="plans.submitted")
    assert submitted.recipient == cko and submitted.delivery == Delivery.IMMEDIATE
    assert kinds_of(head) == []  # the actor is never told

    plan_services.plan_return(by=cko, plan=plan, note="เพิ่มงบประมาณกิจกรรม")
    returned = Notification.objects.filter(kind="plans.returned")
    assert {n.recipient for n in returned} == {head, secretary}
    assert {n.delivery for n in returned} == {Delivery.DIGEST}
    assert returned.first().note == "เพิ่มงบประมาณกิจกรรม"

    plan_services.plan_submit(by=head, plan=plan)
    plan_services.plan_approve(by=cko, plan=plan)
    approved = Notification.objects.filter(kind="plans.approved")
    assert {n.recipient for n in approved} == {head, secretary}
    # Approved, the plan is open to all: the outside owner now hears of their activity, once;
    # the member, told already, is not told again.
    assert kinds_of(owner) == ["plans.activity_assigned"]
    assert kinds_of(people["member"]) == ["plans.activity_assigned"]
    assert Notification.objects.get(recipient=owner).target == activity


def test_only_new_owners_hear_of_an_activity(people):
    head, plan = people["head"], PlanFactory(fiscal_year=2570, approved=True, status="draft")
    first, second = UserFactory(), UserFactory()
    data = {
        "title": "CoP การตรวจการสหกรณ์",
        "start_date": dt.date(2026, 10, 1),
        "end_date": dt.date(2027, 9, 30),
        "indicator": "จำนวนครั้ง",
        "target": "10 ครั้ง",
        "km_step": "share",
    }
    activity = plan_services.part_save(
        by=head, plan=plan, data=plan_services.ActivityData(owners=[first], **data)
    )
    plan_services.part_save(
        by=head,
        plan=plan,
        part=activity,
        data=plan_services.ActivityData(owners=[first, second], **data),
    )
    assert kinds_of(first) == ["plans.activity_assigned"]
    assert kinds_of(second) == ["plans.activity_assigned"]


def test_a_report_is_told_to_the_secretary_in_the_digest(people, owner):
    plan = PlanFactory(approved=True)
    activity = ActivityFactory(plan=plan, owners=[owner])
    report = progress_services.progress_report_create(
        by=owner,
        activity=activity,
        data=progress_services.ReportData(
            as_of=activity.start_date, percent=40, status="in_progress", narrative="ประชุมแล้ว"
        ),
    )
    notice = Notification.objects.get(kind="plans.report_filed")
    assert notice.recipient == people["secretary"] and notice.delivery == Delivery.DIGEST
    assert notice.target == report and notice.note == "40%"
    assert activity.title in notice.sentence()


def test_the_return_email_is_thai_with_an_absolute_link(
    people, settings, django_capture_on_commit_callbacks
):
    from apps.notifications.services import set_preferences

    settings.KM_SITE_URL = "https://km.example.go.th"
    head, cko = people["head"], people["cko"]
    head.email = "head@example.go.th"
    head.save()
    plan = PlanFactory(fiscal_year=2570, created_by=head)
    ActivityFactory(plan=plan)
    # Returned goes in the digest by default: the head asks for it at once.
    set_preferences(by=head, person=head, choices={"plans.returned": Delivery.IMMEDIATE})
    plan_services.plan_submit(by=head, plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_return(by=cko, plan=plan, note="ทบทวนตัวชี้วัด")
    [message] = [m for m in mail.outbox if m.to == ["head@example.go.th"]]
    assert "ส่งแผนการจัดการความรู้" in message.subject and "กลับมาให้แก้ไข" in message.subject
    assert "ทบทวนตัวชี้วัด" in message.body
    assert f"https://km.example.go.th{reverse('plans:detail', args=[2570])}" in message.body
    html = message.alternatives[0][0]
    assert f"https://km.example.go.th{reverse('plans:detail', args=[2570])}" in html


# --- Quarters -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "year", "quarter", "start", "end"),
    [
        (dt.date(2026, 10, 1), 2570, 1, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 12, 31), 2570, 1, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), 2570, 2, dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 3, 31), 2570, 2, dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 6, 30), 2570, 3, dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        (dt.date(2027, 9, 30), 2570, 4, dt.date(2027, 7, 1), dt.date(2027, 9, 30)),
        (dt.date(2026, 9, 30), 2569, 4, dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ],
)
def test_fiscal_quarters_end_31_dec_31_mar_30_jun_30_sep(day, year, quarter, start, end):
    period = period_of(day)
    assert (period.fiscal_year, period.quarter) == (year, quarter)
    assert (period.start, period.end) == (start, end)
    assert reminding.quarter_code(period) == f"{quarter}/{year}"


# --- Scheduled reminders --------------------------------------------------------------------------
@pytest.fixture
def in_force(people, owner, settings):
    """Plan 2570 in force: the owner has not reported on two activities; another owner has."""
    settings.KM_PROGRESS_REMINDER_DAYS = 7
    settings.KM_PROGRESS_MISSING_DAYS = 14
    plan = PlanFactory(fiscal_year=2570, approved=True)
    first = ActivityFactory(plan=plan, owners=[owner])
    second = ActivityFactory(plan=plan, owners=[owner])
    diligent = UserFactory(username="diligent")
    done = ActivityFactory(plan=plan, owners=[diligent])
    ProgressReportFactory(activity=done, reported_by=diligent, as_of=dt.date(2026, 11, 15))
    later = ActivityFactory(plan=plan, owners=[diligent], start_date=dt.date(2027, 2, 1))
    return {"plan": plan, "first": first, "second": second, "diligent": diligent, "later": later}


def run(day):
    return reminders.run(today=day, only=["plans.progress"])


def test_nothing_is_due_before_the_last_days_of_a_quarter(in_force, owner):
    assert run(dt.date(2026, 12, 23)).due == 0  # 8 days before 31 December
    assert run(dt.date(2026, 11, 1)).due == 0
    assert Notification.objects.count() == 0


def test_owners_who_have_not_reported_are_reminded_once_before_and_once_after(
    in_force, owner, people
):
    first_run = run(dt.date(2026, 12, 24))  # 7 days before the end of quarter 1
    assert (first_run.sent, first_run.people) == (3, 3)  # two activities + the secretary's copy
    notices = Notification.objects.filter(recipient=owner)
    assert {n.kind for n in notices} == {"plans.progress_due"}
    assert {n.target for n in notices} == {in_force["first"], in_force["second"]}
    assert {n.note for n in notices} == {"1/2570"}
    # The diligent owner reported in the quarter, and the later activity had not started.
    assert kinds_of(in_force["diligent"]) == []
    copy = Notification.objects.get(recipient=people["secretary"])
    assert copy.kind == "plans.progress_due_copy" and copy.target == in_force["plan"]
    assert copy.note == "1/2570: นางสมศรี ทำงาน (2)"
    assert copy.get_absolute_url() == reverse("plans:progress", args=[2570])

    # Again the same day, and the next days of the window: nothing new.
    for day in (dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 31)):
        again = run(day)
        assert (again.sent, again.already) == (0, 3)
    assert Notification.objects.count() == 3

    # After the end: "missing", once, for quarter 1 (now in quarter 2).
    after = run(dt.date(2027, 1, 2))
    assert after.sent == 3
    assert kinds_of(owner).count("plans.progress_missing") == 2
    assert run(dt.date(2027, 1, 3)).sent == 0
    assert kinds_of(people["secretary"]) == [
        "plans.progress_due_copy",
        "plans.progress_missing_copy",
    ]
    # Past the missing window nothing more about quarter 1.
    assert run(dt.date(2027, 1, 20)).due == 0


def test_reminders_stop_for_who_reports(in_force, owner):
    ProgressReportFactory(activity=in_force["first"], reported_by=owner, as_of=dt.date(2026, 12, 1))
    run(dt.date(2026, 12, 30))
    assert [n.target for n in Notification.objects.filter(recipient=owner)] == [in_force["second"]]


def test_quarter_4_is_chased_in_october_on_last_years_plan(people, owner):
    plan = PlanFactory(fiscal_year=2569, approved=True)
    activity = ActivityFactory(plan=plan, owners=[owner])
    report = run(dt.date(2026, 10, 1))  # the first day of fiscal year 2570
    assert report.sent == 2
    notice = Notification.objects.get(recipient=owner)
    assert notice.kind == "plans.progress_missing"
    assert (notice.note, notice.target) == ("4/2569", activity)
    assert SentReminder.objects.filter(key__startswith="plans.progress:2569-Q4:missing:").exists()


def test_a_draft_plan_reminds_nobody(people, owner):
    ActivityFactory(plan=PlanFactory(fiscal_year=2570), owners=[owner])
    assert run(dt.date(2026, 12, 31)).due == 0


def test_nobody_is_told_about_what_they_may_no_longer_open(people, owner):
    """A draft is for the KM teams: an owner outside them is not told of its activity, and
    the secretary's copy (about progress) reaches only those who follow progress."""
    plan = PlanFactory(fiscal_year=2570)
    activity = ActivityFactory(plan=plan, owners=[])
    from apps.notifications.services import notify

    told = notify(
        kind="plans.activity_assigned",
        recipients=[owner, people["member"], people["staff"]],
        target=activity,
        actor=people["head"],
    )
    assert [n.recipient for n in told] == [people["member"]]
    told = notify(
        kind="plans.progress_due_copy",
        recipients=[people["member"], people["secretary"]],
        target=plan,
    )
    assert [n.recipient for n in told] == [people["secretary"]]  # progress is for the secretary


# --- The secretary's button -----------------------------------------------------------------------
def test_remind_tells_each_owner_at_once_and_not_twice_a_day(
    in_force, owner, people, django_capture_on_commit_callbacks
):
    owner.email = "owner@example.go.th"
    owner.save()
    secretary, plan = people["secretary"], in_force["plan"]
    day = dt.date(2026, 11, 20)
    with django_capture_on_commit_callbacks(execute=True):
        result = progress_services.progress_remind(by=secretary, plan=plan, quarter=1, today=day)
    assert [(p, len(a)) for p, a in result.reminded] == [(owner, 2)]
    assert result.already == []
    notices = Notification.objects.filter(recipient=owner, kind="plans.progress_asked")
    assert notices.count() == 2 and {n.delivery for n in notices} == {Delivery.IMMEDIATE}
    assert {n.actor for n in notices} == {secretary}
    assert len([m for m in mail.outbox if m.to == ["owner@example.go.th"]]) == 2

    # The head clicks too, the same day: already reminded, nobody told again.
    again = progress_services.progress_remind(by=people["head"], plan=plan, quarter=1, today=day)
    assert again.reminded == [] and [(p, len(a)) for p, a in again.already] == [(owner, 2)]
    assert Notification.objects.filter(recipient=owner).count() == 2
    # The next day they may be reminded again.
    later = progress_services.progress_remind(
        by=secretary, plan=plan, quarter=1, today=day + dt.timedelta(days=1)
    )
    assert [(p, len(a)) for p, a in later.reminded] == [(owner, 2)]


def test_remind_skips_who_the_schedule_reminded_today(owner, people):
    from django.utils import timezone

    day = timezone.localdate()
    period = period_of(day)
    plan = PlanFactory(fiscal_year=period.fiscal_year, approved=True)
    activity = ActivityFactory(plan=plan, owners=[owner], start_date=period.start)
    reminders.send(
        reminders.Reminder(
            key=reminding.key(period, reminding.DUE, activity, owner),
            kind="plans.progress_due",
            recipients=(owner,),
            target=activity,
        )
    )
    result = progress_services.progress_remind(
        by=people["secretary"], plan=plan, quarter=period.quarter
    )
    assert result.reminded == [] and result.already == [(owner, [activity])]


def test_remind_is_for_this_quarter_or_the_one_just_ended(in_force, people):
    from django.core.exceptions import PermissionDenied, ValidationError

    plan, secretary = in_force["plan"], people["secretary"]
    with pytest.raises(ValidationError):  # quarter 3 has not started on 20 November
        progress_services.progress_remind(
            by=secretary, plan=plan, quarter=3, today=dt.date(2026, 11, 20)
        )
    # Quarter 1 is chased in January still.
    progress_services.progress_remind(by=secretary, plan=plan, quarter=1, today=dt.date(2027, 1, 5))
    with pytest.raises(PermissionDenied):
        progress_services.progress_remind(
            by=people["member"], plan=plan, quarter=1, today=dt.date(2026, 11, 20)
        )
    with pytest.raises(ValidationError):
        progress_services.progress_remind(
            by=secretary,
            plan=PlanFactory(fiscal_year=2571),
            quarter=1,
            today=dt.date(2027, 11, 20),
        )


@pytest.fixture
def this_quarter(people, owner):
    from django.utils import timezone

    period = period_of(timezone.localdate())
    plan = PlanFactory(fiscal_year=period.fiscal_year, approved=True)
    ActivityFactory(plan=plan, owners=[owner], start_date=period.start, title="จัดทำทำเนียบวิทยากร")
    return plan, period


def test_the_button_twice_the_page_shows_who_and_when(client_as, this_quarter, owner):
    plan, period = this_quarter
    client = client_as("secretary")
    page = reverse("plans:progress", args=[plan.fiscal_year])
    response = client.get(page)
    assert 'id="remind-form"' in response.content.decode()
    assert "ยังไม่มีการแจ้งเตือนในไตรมาสนี้" in response.content.decode()

    url = reverse("plans:progress_remind", args=[plan.fiscal_year])
    response = client.post(url, {"quarter": period.quarter}, follow=True)
    text = response.content.decode()
    assert "แจ้งเตือนแล้ว 1 คน: นางสมศรี ทำงาน" in text
    assert 'class="list-group-item sent-reminder" data-person="owner" data-phase="asked"' in text
    assert "แจ้งเตือนโดย" in text

    response = client.post(url, {"quarter": period.quarter}, follow=True)
    text = response.content.decode()
    assert "วันนี้แจ้งเตือนไปแล้ว: นางสมศรี ทำงาน" in text
    assert Notification.objects.filter(recipient=owner).count() == 1
    assert SentReminder.objects.count() == 1


def test_the_button_is_only_for_who_follows_progress(client_as, this_quarter):
    plan, _period = this_quarter
    page = reverse("plans:progress", args=[plan.fiscal_year])
    assert 'id="remind-form"' in client_as("cko").get(page).content.decode()
    assert client_as("member").get(page).status_code == 403


def test_the_page_reads_who_and_when_back_from_the_keys(in_force, owner):
    plan = in_force["plan"]
    period = Period(2570, 1)
    for offset in range(3):
        reminders.send(
            reminders.Reminder(
                key=reminding.key(
                    period,
                    reminding.ASKED,
                    in_force["first"],
                    owner,
                    dt.date(2026, 11, 1) + dt.timedelta(days=offset),
                ),
                kind="plans.progress_asked",
                recipients=(owner,),
                target=in_force["first"],
            )
        )
    SentReminder.objects.create(key="plans.progress:2570-Q1:due-copy", kind="x")
    rows = reminding.sent(plan, period)
    assert len(rows) == 3 and {row.person for row in rows} == {owner}
    assert {row.phase for row in rows} == {"asked"}


def test_secretary_role_only_counts_in_the_km_team(people, owner):
    """A secretary of a working group is not the plan's secretary: no copy for them."""
    from tests.factories import TeamFactory

    group = TeamFactory(name="คณะทำงาน", kind="working_group")
    other = UserFactory()
    MembershipFactory(person=other, team=group, role=Role.SECRETARY)
    assert reminding.secretaries() == [people["secretary"]]
