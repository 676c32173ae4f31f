"""What the KM plan tells people (found by ``apps.notifications`` at startup).

- the plan sent for approval → the CKO and the head (at once: a review waits for them);
- the plan returned or approved → who drafted it, the head and the secretary (daily digest);
- an activity given to an owner → the owner (at once: an assignment);
- a progress report filed → the secretary, who compiles the quarter (daily digest);
- progress reports due before a quarter's end, and missing after it → the owners who have not
  reported, with one copy a phase for the secretary (``reminding``); the secretary's own
  reminder from the progress page goes at once.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, Kind, register
from apps.notifications.reminders import register as register_reminders

from . import reminding

GROUP = _("KM plan")


def _report_may_open(user, report) -> bool:
    return user.has_perm("plans.view_plan", report.activity.plan)


def _progress_may_open(user, plan) -> bool:
    return user.has_perm("plans.view_plan", plan) and user.has_perm("plans.view_progress", plan)


def _progress_url(plan) -> str:
    return reverse("plans:progress", kwargs={"year": plan.fiscal_year})


for kind in (
    Kind(
        code="plans.submitted",
        group=GROUP,
        label=_("A KM plan is sent to the CKO for approval"),
        sentence=_("%(actor)s sent the KM plan “%(title)s” to the CKO for approval."),
        default=Delivery.IMMEDIATE,
        icon="send",
    ),
    Kind(
        code="plans.returned",
        group=GROUP,
        label=_("The CKO returns the KM plan for changes"),
        sentence=_("%(actor)s returned the KM plan “%(title)s” for changes: %(note)s"),
        default=Delivery.DIGEST,
        icon="arrow-return-left",
    ),
    Kind(
        code="plans.approved",
        group=GROUP,
        label=_("The CKO approves the KM plan"),
        sentence=_("%(actor)s approved the KM plan “%(title)s”."),
        default=Delivery.DIGEST,
        icon="check2-circle",
    ),
    Kind(
        code="plans.activity_assigned",
        group=GROUP,
        label=_("You are made responsible for a KM plan activity"),
        sentence=_("%(actor)s made you responsible for the KM plan activity “%(title)s”."),
        default=Delivery.IMMEDIATE,
        icon="person-check",
    ),
    Kind(
        code="plans.report_filed",
        group=GROUP,
        label=_("A progress report is filed (for the secretary)"),
        sentence=_("%(actor)s reported progress on “%(title)s”: %(note)s"),
        default=Delivery.DIGEST,
        title=lambda report: report.activity.title,
        may_open=_report_may_open,
        icon="graph-up",
    ),
    Kind(
        code=reminding.KIND[reminding.DUE],
        group=GROUP,
        label=_("Your progress report is due before the quarter ends"),
        sentence=_(
            "Your progress report on “%(title)s” for quarter %(note)s is due before the "
            "quarter ends."
        ),
        default=Delivery.DIGEST,
        icon="alarm",
    ),
    Kind(
        code=reminding.KIND[reminding.MISSING],
        group=GROUP,
        label=_("Your progress report is missing after the quarter ended"),
        sentence=_(
            "Quarter %(note)s has ended and your progress report on “%(title)s” is missing."
        ),
        default=Delivery.DIGEST,
        icon="exclamation-triangle",
    ),
    Kind(
        code=reminding.KIND[reminding.ASKED],
        group=GROUP,
        label=_("The secretary asks for your progress report"),
        sentence=_("%(actor)s asks for your progress report on “%(title)s” for quarter %(note)s."),
        default=Delivery.IMMEDIATE,
        icon="megaphone",
    ),
    Kind(
        code=reminding.COPY_KIND[reminding.DUE],
        group=GROUP,
        label=_("Copy: who was reminded of progress reports due (for the secretary)"),
        sentence=_(
            "Owners who have not reported on the plan “%(title)s” were reminded that the "
            "quarter ends soon. Quarter %(note)s"
        ),
        default=Delivery.DIGEST,
        may_open=_progress_may_open,
        url=_progress_url,
        icon="people",
    ),
    Kind(
        code=reminding.COPY_KIND[reminding.MISSING],
        group=GROUP,
        label=_("Copy: who was told their progress report is missing (for the secretary)"),
        sentence=_(
            "Owners whose progress reports on the plan “%(title)s” are missing were reminded. "
            "Quarter %(note)s"
        ),
        default=Delivery.DIGEST,
        may_open=_progress_may_open,
        url=_progress_url,
        icon="people",
    ),
):
    register(kind)

register_reminders("plans.progress", reminding.scheduled)
