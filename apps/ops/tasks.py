"""The operations app's periodic job: the worker's heartbeat, which also tidies the job records."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import FailedJob, RunningJob

#: A "running" row this old belongs to a worker that was killed mid-job.
RUNNING_FORGOTTEN = timedelta(days=1)
#: Failed jobs are kept this long on the jobs page.
FAILED_KEPT = timedelta(days=90)


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Each minute: prove the worker and its scheduler run (its run is the heartbeat, recorded
    by ``jobwatch``), and drop job records nobody needs any more."""
    now = timezone.now()
    RunningJob.objects.filter(started_at__lt=now - RUNNING_FORGOTTEN).delete()
    FailedJob.objects.filter(failed_at__lt=now - FAILED_KEPT).delete()
