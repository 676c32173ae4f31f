"""Many people saving the same record at the same moment, from the same version of the page:
exactly one save wins, every other is refused (never acknowledged and then lost).

SQLite: real processes (like the web server's workers) on a real database file, since the test
database of the other tests lives in memory. PostgreSQL: threads, each with its own connection.
"""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.core.concurrency import StaleEditError

ROOT = Path(__file__).resolve().parents[2]
ENV_DROP = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
WRITERS = 8


# --- SQLite: processes ---------------------------------------------------------------------------
def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env.update(KM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kmportal.settings.dev")
    return env


def _python(data_dir: Path, code: str, *args: str, wait: bool = True):
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    command = [sys.executable, "-c", script, *args]
    if not wait:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and code
            command, cwd=ROOT, env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=_env(data_dir), capture_output=True, text=True, timeout=300
    )


SETUP = """
import json
from apps.accounts.models import User
from apps.knowledge.models import KnowledgeSet
from apps.plans.models import Plan
author = User.objects.create(username="writer")
knowledge_set = KnowledgeSet.objects.create(title="ชุดความรู้", body="## เดิม", created_by=author)
knowledge_set.authors.add(author)
plan = Plan.objects.create(fiscal_year=2568, title="แผน", status="approved", version=1)
print(json.dumps({"set": knowledge_set.pk, "version": knowledge_set.lock_version,
                  "plan": plan.pk}))
"""

# Each writer gets ready (Django loaded, form checked), says so, waits for the start signal and
# then saves: the saves overlap as closely as separate processes allow.
WRITER = """
import sys, time
from pathlib import Path
from apps.accounts.models import User
from apps.core.concurrency import StaleEditError
from apps.knowledge import services as knowledge
from apps.knowledge.forms import KnowledgeSetForm
from apps.knowledge.models import KnowledgeSet
from apps.plans.models import Plan
from apps.plans.services import progress
n, what, pk, version, folder = sys.argv[1:6]
n, pk, version, folder = int(n), int(pk), int(version), Path(folder)
author = User.objects.get(username="writer")
if what == "set":
    instance = KnowledgeSet.objects.get(pk=pk)
    form = KnowledgeSetForm(
        {"title": instance.title, "kind": instance.kind, "summary": f"สรุปของคนที่ {n}",
         "body": instance.body, "authors": [author.pk], "tag_names": ""},
        instance=instance, user=author,
    )
    assert form.is_valid(), form.errors
    save = lambda: knowledge.set_update(
        by=author, knowledge_set=instance, data=form.set_data(), expected_version=version
    )
else:
    plan = Plan.objects.get(pk=pk)
    save = lambda: progress.summary_save(
        plan=plan, quarter=1, by=author, summary=f"สรุปของคนที่ {n}", issues="",
        expected_version=version,
    )
(folder / f"ready-{n}").touch()
while not (folder / "go").exists():
    time.sleep(0.002)
try:
    save()
    print("won")
except StaleEditError:
    print("refused")
"""


def _race_processes(data_dir: Path, what: str, pk: int, version: int) -> list[tuple[int, str]]:
    signals = data_dir / f"signals-{what}"
    signals.mkdir()
    writers = [
        _python(data_dir, WRITER, str(n), what, str(pk), str(version), str(signals), wait=False)
        for n in range(WRITERS)
    ]
    deadline = time.monotonic() + 240
    while len(list(signals.glob("ready-*"))) < WRITERS:
        assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
        assert time.monotonic() < deadline, "the writers did not get ready"
        time.sleep(0.05)
    (signals / "go").touch()
    outcomes = []
    for n, writer in enumerate(writers):
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        outcomes.append((n, out.strip().splitlines()[-1]))
    return outcomes


@pytest.fixture
def sqlite_data(tmp_path):
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    setup = _python(tmp_path, SETUP)
    assert setup.returncode == 0, setup.stderr
    return tmp_path, json.loads(setup.stdout.strip().splitlines()[-1])


def test_sqlite_processes_saving_one_set_at_once_lose_no_acknowledged_edit(sqlite_data):
    data_dir, ids = sqlite_data
    outcomes = _race_processes(data_dir, "set", ids["set"], ids["version"])
    winners = [n for n, outcome in outcomes if outcome == "won"]
    assert len(winners) == 1, outcomes
    assert sorted(outcome for _n, outcome in outcomes) == ["refused"] * (WRITERS - 1) + ["won"]
    final = _python(
        data_dir,
        "from apps.knowledge.models import KnowledgeSet\n"
        f"print(KnowledgeSet.objects.get(pk={ids['set']}).summary)",
    )
    assert final.stdout.strip() == f"สรุปของคนที่ {winners[0]}"


def test_sqlite_processes_writing_the_first_summary_at_once(sqlite_data):
    """Nobody's page showed a summary (version 0): one is written, the rest are refused (no
    duplicate, no error page, no overwrite)."""
    data_dir, ids = sqlite_data
    outcomes = _race_processes(data_dir, "summary", ids["plan"], 0)
    winners = [n for n, outcome in outcomes if outcome == "won"]
    assert len(winners) == 1, outcomes
    final = _python(
        data_dir,
        "from apps.plans.models import ProgressSummary\n"
        "print(ProgressSummary.objects.count(), ProgressSummary.objects.get().summary)",
    )
    assert final.stdout.strip() == f"1 สรุปของคนที่ {winners[0]}"


# --- PostgreSQL: threads -------------------------------------------------------------------------
def _race_threads(saves) -> tuple[list[int], list[int]]:
    barrier = threading.Barrier(len(saves))
    won, refused, failed = [], [], []

    def run(n):
        try:
            barrier.wait()
            saves[n]()
            won.append(n)
        except StaleEditError:
            refused.append(n)
        except Exception as error:
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(saves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed, failed
    return won, refused


def _activity_saves(people):
    from apps.plans.forms.plans import ActivityForm
    from apps.plans.models import Activity
    from apps.plans.services import plans
    from tests.plans.factories import ActivityFactory, PlanFactory

    activity = ActivityFactory(plan=PlanFactory())
    version = Activity.objects.get(pk=activity.pk).lock_version
    saves = []
    for n in range(WRITERS):
        instance = Activity.objects.get(pk=activity.pk)
        unbound = ActivityForm(instance=instance, plan=instance.plan)
        data = {name: unbound[name].value() for name in unbound.fields}
        data = {key: value for key, value in data.items() if value is not None}
        data["method"] = f"วิธีของคนที่ {n}"
        form = ActivityForm(data, instance=instance, plan=instance.plan)
        assert form.is_valid(), form.errors
        saves.append(
            lambda form=form: plans.part_save(
                form=form, plan=form.plan, by=people["head"], expected_version=version
            )
        )
    return saves, lambda: Activity.objects.get(pk=activity.pk).method, "วิธีของคนที่ {}"


def _expert_saves(people):
    from apps.experts import services
    from apps.experts.models import Expert
    from tests.experts.factories import ExpertFactory

    expert = ExpertFactory()
    version = Expert.objects.get(pk=expert.pk).lock_version
    saves = [
        lambda n=n: services.expert_update(
            by=people["secretary"],
            expert=Expert.objects.get(pk=expert.pk),
            fields={"bio": f"ประวัติของคนที่ {n}"},
            expected_version=version,
        )
        for n in range(WRITERS)
    ]
    return saves, lambda: Expert.objects.get(pk=expert.pk).bio, "ประวัติของคนที่ {}"


def _action_item_saves(people):
    from apps.plans.forms.meetings import ActionItemForm
    from apps.plans.models import ActionItem
    from apps.plans.services import meetings
    from tests.plans.factories import ActionItemFactory

    action = ActionItemFactory()
    version = ActionItem.objects.get(pk=action.pk).lock_version
    saves = []
    for n in range(WRITERS):
        instance = ActionItem.objects.select_related("meeting").get(pk=action.pk)
        unbound = ActionItemForm(instance=instance, meeting=instance.meeting)
        data = {name: unbound[name].value() for name in unbound.fields}
        data = {key: value for key, value in data.items() if value is not None}
        data["description"] = f"งานของคนที่ {n}"
        form = ActionItemForm(data, instance=instance, meeting=instance.meeting)
        assert form.is_valid(), form.errors
        saves.append(
            lambda form=form: meetings.action_save(
                meeting=form.meeting, form=form, by=people["secretary"], expected_version=version
            )
        )
    return saves, lambda: ActionItem.objects.get(pk=action.pk).description, "งานของคนที่ {}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("make", [_activity_saves, _expert_saves, _action_item_saves])
def test_postgresql_threads_saving_at_once_lose_no_acknowledged_edit(people, make):
    if connection.vendor != "postgresql":
        pytest.skip("threads share the test database only on PostgreSQL; SQLite races above")
    saves, saved, expected = make(people)
    won, refused = _race_threads(saves)
    assert len(won) == 1 and len(refused) == WRITERS - 1
    assert saved() == expected.format(won[0])
