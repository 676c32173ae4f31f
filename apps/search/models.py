from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _


class IndexTask(models.Model):
    """A record whose index entry must be brought up to date.

    Written in the same transaction as the change itself, so a committed change always leaves
    a task behind; the task is removed only once the index has taken it. If the index is busy
    or the process dies, the task stays and the next flush (or ``check_index --repair``) does it:
    no update is lost.
    """

    uid = models.CharField(max_length=100, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("index task")
        verbose_name_plural = _("index tasks")

    def __str__(self) -> str:
        return self.uid


def latest_task_uids(limit: int) -> list[str]:
    """``IndexTask.objects.order_by("-pk").values_list("uid", flat=True)[:limit]``, in one
    plain statement: every search asks, the queue is nearly always empty, and the ORM cost
    several times the answer to build it (issue 20). The tests compare the two."""
    connection = connections[router.db_for_read(IndexTask)]
    quote = connection.ops.quote_name
    meta = IndexTask._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    uid = quote(meta.get_field("uid").column)
    # Names from the model's meta, quoted; the limit is a parameter.
    sql = f"SELECT {uid} FROM {table} ORDER BY {pk} DESC LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(limit)])
        return [row[0] for row in cursor.fetchall()]


class QueryStat(models.Model):
    """How often a query was searched on a day, and how often it found nothing.

    No user is recorded. Queries that find nothing are evidence of knowledge gaps (step 1 of
    the KM process); the dashboard lists them.
    """

    query = models.CharField(_("query"), max_length=200)
    day = models.DateField(_("day"))
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name = _("search statistic")
        verbose_name_plural = _("search statistics")
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="one_stat_per_query_and_day")
        ]
        # The dashboard sums a fiscal year's rows.
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.query} ({self.day})"


class RelatedList(models.Model):
    """The items most like one index entry ("related items" of a detail page), worked out by
    the worker (``related.sweep``) rather than on the page: more-like-this was most of a
    document page's time at department scale (issue 20).

    Worked out for one who may see everything; each page shows only those the reader may
    open, checked against the database. ``changed_at``: when the entry itself last changed in
    the index (``indexing.flush``); a list made before it is not used.
    """

    uid = models.CharField(max_length=100, unique=True)
    items = models.JSONField(default=list)  # [uid, score] pairs, best first
    made_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("related items list")
        verbose_name_plural = _("related items lists")
        indexes = [models.Index(fields=["made_at"])]

    def __str__(self) -> str:
        return self.uid
