"""Two people take the last seat of an event at the same moment, in separate processes on the
SQLite database the portal runs on: one gets the seat, the other a place on the waiting list,
never two seats for one. Then the seated one cancels while a third registers: the waiting person
is promoted exactly once."""

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.core.test_races import _env

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import datetime as dt, json
from django.utils import timezone
from apps.accounts.models import User
from apps.learning.models import LearningEvent, Registration
today = timezone.localdate()
event = LearningEvent.objects.create(
    title="อบรม", kind="training", km_step="share", date=today + dt.timedelta(days=3),
    start_time=dt.time(9, 0), place="ห้องประชุม", seats=2,
)
first = User.objects.create(username="first")
Registration.objects.create(event=event, person=first, status="confirmed", queued_at=timezone.now())
for name in ("one", "two", "three"):
    User.objects.create(username=name)
print(json.dumps({"event": event.pk}))
"""

# Each worker gets ready, says so, waits for the start signal, then acts.
WORKER = """
import sys, time
from pathlib import Path
from django.core.exceptions import ValidationError
from apps.accounts.models import User
from apps.learning import services
from apps.learning.models import LearningEvent
username, action, pk, folder = sys.argv[1:5]
folder = Path(folder)
user = User.objects.get(username=username)
event = LearningEvent.objects.get(pk=int(pk))
act = services.event_register if action == "register" else services.registration_cancel
(folder / f"ready-{username}").touch()
while not (folder / "go").exists():
    time.sleep(0.002)
try:
    print(act(by=user, event=event).status)
except ValidationError as error:
    print("refused", error.messages)
"""


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


def _race(data_dir: Path, pk: int, name: str, moves: list[tuple[str, str]]) -> dict[str, str]:
    signals = data_dir / f"signals-{name}"
    signals.mkdir()
    workers = {
        username: _python(data_dir, WORKER, username, action, str(pk), str(signals), wait=False)
        for username, action in moves
    }
    deadline = time.monotonic() + 240
    while len(list(signals.glob("ready-*"))) < len(workers):
        assert all(w.poll() is None for w in workers.values()), [
            w.communicate() for w in workers.values()
        ]
        assert time.monotonic() < deadline, "the workers did not get ready"
        time.sleep(0.05)
    (signals / "go").touch()
    outcomes = {}
    for username, worker in workers.items():
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        outcomes[username] = out.strip().splitlines()[-1]
    return outcomes


def _statuses(data_dir: Path, pk: int) -> dict[str, str]:
    result = _python(
        data_dir,
        "import json\nfrom apps.learning.models import Registration\n"
        f"print(json.dumps(dict(Registration.objects.filter(event_id={pk})"
        ".values_list('person__username', 'status'))))",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_registrations_for_the_last_seat_and_a_cancellation_during_a_registration(
    tmp_path, migrated_data_dir
):
    migrated_data_dir(tmp_path, "kmportal.settings.dev")
    setup = _python(tmp_path, SETUP)
    assert setup.returncode == 0, setup.stderr
    pk = json.loads(setup.stdout.strip().splitlines()[-1])["event"]

    outcomes = _race(tmp_path, pk, "last-seat", [("one", "register"), ("two", "register")])
    assert sorted(outcomes.values()) == ["confirmed", "waiting"], outcomes
    statuses = _statuses(tmp_path, pk)
    assert sorted(statuses.values()) == ["confirmed", "confirmed", "waiting"]
    waiting = next(name for name, status in statuses.items() if status == "waiting")

    # The first person gives up their seat while a third registers: one seat frees, and it
    # goes to whoever was first in line then, never to two people.
    # Whichever runs first, the one waiting already is ahead of the newcomer.
    outcomes = _race(tmp_path, pk, "cancel", [("first", "cancel"), ("three", "register")])
    assert outcomes == {"first": "cancelled", "three": "waiting"}, outcomes
    statuses = _statuses(tmp_path, pk)
    assert statuses["first"] == "cancelled"
    assert statuses[waiting] == "confirmed"
    assert statuses["three"] == "waiting"
    assert list(statuses.values()).count("confirmed") == 2, statuses
