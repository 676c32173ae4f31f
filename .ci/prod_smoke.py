#!/usr/bin/env python3
"""Production smoke test: the README's Deploying section, run for real.

In a fresh temporary data folder (SQLite, or the empty PostgreSQL database named by
``KM_SMOKE_DATABASE_URL``) with ``kmportal.settings.prod``: ``check --deploy``,
``migrate``, ``collectstatic``, the demo office (``seed_demo``), then gunicorn on a free port
of 127.0.0.1 and the background worker (``manage.py run_huey``) beside it, as the README's
Procfile does; on PostgreSQL the queue is on Redis (``KM_SMOKE_REDIS_URL``, a queue name of its
own), on SQLite in the data folder. Every request says ``X-Forwarded-Proto: https`` and a public
host name, as the TLS-terminating proxy does. It fetches the login page and a hashed static
file, signs in with the login form (CSRF token and all), opens the main pages as an
administrator and as plain staff, and checks the status and the security headers of each; it
checks ``/healthz`` and that uploads through the real form get their text from the worker and
are found by search (printing how long that took). Prints one line a check and exits non-zero
if any failed. gunicorn and the worker are stopped however the script ends.

Run from the checkout: ``.venv/bin/python .ci/prod_smoke.py`` (``.ci/run`` does, after the
tests). It installs ``requirements-prod.txt`` (gunicorn) into the running interpreter when
gunicorn is missing.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load_client import forms_in, multipart  # noqa: E402  (the load benchmark's form parser)

PYTHON = sys.executable
HOST = "km.example.go.th"
PASSWORD = "km-demo-2551"  # seed_demo's password for every demo account
failures: list[str] = []


def say(ok: bool, what: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        failures.append(what)


def run(env: dict, *args: str) -> None:
    print(f"$ manage.py {' '.join(args)}", flush=True)
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"prod smoke: manage.py {' '.join(args)} failed")


def gunicorn_command(port: int) -> list[str]:
    # The README's Deploying command.
    return [PYTHON, "-m", "gunicorn", "kmportal.wsgi", "--worker-class", "gthread",
            "--workers", "2", "--threads", "4", "--timeout", "120",
            "--bind", f"127.0.0.1:{port}"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser behind the proxy: cookies (Secure ones too), no redirects."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        https: bool = True,
        upload: tuple[str, bytes] | None = None,
    ):
        headers = {"Host": HOST, "User-Agent": "km-prod-smoke"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        if upload is not None:  # (content type, multipart body)
            headers["Content-Type"], body = upload
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content.decode("utf-8", "replace")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise SystemExit("prod smoke: no CSRF token in the login form")
    return match.group(1)


def sign_in(browser: Browser, username: str) -> bool:
    response, html = browser.request("GET", "/accounts/login/")
    response, _html = browser.request(
        "POST",
        "/accounts/login/",
        form={"csrfmiddlewaretoken": csrf_token(html), "username": username, "password": PASSWORD},
    )
    ok = response.status == 302 and "sessionid" in browser.cookies
    say(ok, f"{response.status} sign in as {username} (session cookie set)")
    return ok


def check_page(browser: Browser, path: str, status: int = 200, signed_in: bool = True) -> str:
    response, html = browser.request("GET", path)
    ok = response.status == status
    say(ok, f"{response.status} GET {path}")
    if ok and status == 200 and "text/html" in (response.getheader("Content-Type") or ""):
        say(bool(response.getheader("Content-Security-Policy")), f"    CSP on {path}")
        if signed_in:
            cache = response.getheader("Cache-Control") or ""
            say("no-store" in cache, f"    Cache-Control: {cache} on {path}")
    return html


def check_health(browser: Browser) -> None:
    """``/healthz`` answers without signing in, in JSON; 200 once the worker has given a sign
    of life (it does when it starts), every part in order."""
    deadline = time.monotonic() + 60
    while True:
        response, body = browser.request("GET", "/healthz")
        if response.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    try:
        report = json.loads(body)
    except ValueError:
        report = {}
    say(response.status == 200, f"{response.status} GET /healthz: {body[:300]}")
    say(
        {"database", "index", "worker", "disk"} <= set(report)
        and report["worker"].get("state") == "ok",
        "    database, index, worker (heartbeat fresh) and disk reported",
    )


def upload_and_wait(browser: Browser, number: int) -> tuple[float, float] | None:
    """Upload a text file through the real form; seconds until the worker extracted its text
    (the document's page says so) and until search finds its unique word (the index job)."""
    page = check_page(browser, "/library/new/")
    form = next((f for f in forms_in(page) if "files" in f.names), None)
    if form is None:
        say(False, "    the upload form on /library/new/")
        return None
    word = f"smoketoken{secrets.token_hex(4)}"
    text = f"บันทึกทดสอบการทำงานเบื้องหลัง {word} ฉบับที่ {number}\n".encode()
    body = multipart(
        form.values({"title": f"เอกสารทดสอบงานเบื้องหลัง {number}"}),
        [("files", f"บันทึก-{number}.txt", text, "text/plain")],
    )
    response, _html = browser.request("POST", "/library/new/", upload=body)
    saved_at = time.monotonic()
    location = response.getheader("Location") or ""
    ok = response.status == 302 and re.search(r"/library/\d+/$", location) is not None
    say(ok, f"{response.status} POST /library/new/ (upload {number}) → {location}")
    if not ok:
        return None
    path = urllib.parse.urlsplit(location).path
    extracted = found = None
    while time.monotonic() - saved_at < 60 and (extracted is None or found is None):
        if extracted is None:
            _response, html = browser.request("GET", path)
            if 'data-text-status="done"' in html:
                extracted = time.monotonic() - saved_at
        if found is None:
            _response, html = browser.request("GET", "/search/?q=" + word)
            if f'href="{path}"' in html:
                found = time.monotonic() - saved_at
        time.sleep(0.05)
    say(extracted is not None, f"    text extracted by the worker after {extracted or 0:.2f} s")
    say(found is not None, f"    found by search after {found or 0:.2f} s")
    return (extracted, found) if extracted is not None and found is not None else None


def smoke(port: int, data_dir: Path) -> None:
    browser = Browser(port)

    print("Anonymous")
    response, _html = browser.request("GET", "/accounts/login/", https=False)
    say(
        response.status == 301 and response.getheader("Location", "").startswith("https://"),
        f"{response.status} plain HTTP is sent to HTTPS",
    )
    response, _html = browser.request("GET", "/")
    say(response.status == 302, f"{response.status} GET / sends an anonymous visitor to sign in")
    html = check_page(browser, "/accounts/login/", signed_in=False)
    say("csrfmiddlewaretoken" in html, "    the login form has its CSRF token")
    response, _html = browser.request("GET", "/accounts/login/")
    hsts = response.getheader("Strict-Transport-Security") or ""
    say("max-age=" in hsts, f"    Strict-Transport-Security: {hsts}")

    manifest = json.loads((data_dir / "staticfiles" / "staticfiles.json").read_text())
    for name in ["css/portal.css", "vendor/chartjs/chart.umd.min.js"]:
        hashed = manifest["paths"][name]
        response, _body = browser.request("GET", f"/static/{hashed}")
        cache = response.getheader("Cache-Control") or ""
        say(
            response.status == 200 and "no-store" not in cache and "max-age" in cache,
            f"{response.status} GET /static/{hashed} (Cache-Control: {cache})",
        )

    print("Signed in as the administrator")
    if not sign_in(browser, "admin"):
        return
    pages = [
        "/",
        "/library/",
        "/search/?q=" + urllib.parse.quote("สหกรณ์"),
        "/search/?q=" + urllib.parse.quote("ระเบียบ type:doc"),
        "/knowledge/",
        "/knowledge/mine/",
        "/plans/",
        "/plans/steps/",
        "/meetings/",
        "/dashboard/office/",
        "/dashboard/office/print/",
        "/dashboard/me/",
        "/teams/",
        "/directory/",
        "/orders/",
        "/experts/",
        "/audit/",
        "/ops/status/",
        "/ops/jobs/",
        "/ops/backups/",
        "/admin/",
    ]
    htmls = {path: check_page(browser, path) for path in pages}
    for path in ["/dashboard/", "/profile/"]:  # each sends the reader on to their own page
        check_page(browser, path, status=302)
    # Meetings moved out of the plans app: the old addresses (bookmarks, e-mails) still lead there.
    response, _html = browser.request("GET", "/plans/meetings/?page=1")
    moved_to = response.getheader("Location") or ""
    say(
        response.status == 301 and moved_to.endswith("/meetings/?page=1"),
        f"{response.status} GET /plans/meetings/?page=1 moved to {moved_to}",
    )
    source = "\n".join(htmls.values())
    for app in ["library", "knowledge", "plans", "meetings"]:
        pattern = rf'href="(/{app}/\d+/)"'
        match = re.search(pattern, source)
        say(bool(match), f"    a link matching {pattern} on the main pages")
        if match:
            detail = check_page(browser, match.group(1))
            download = re.search(r'href="(/library/files/\d+/)"', detail)
            if download:
                response, _body = browser.request("GET", download.group(1))
                cache = response.getheader("Cache-Control") or ""
                say(
                    response.status == 200 and "no-store" in cache,
                    f"{response.status} GET {download.group(1)} (Cache-Control: {cache})",
                )
    check_page(browser, "/no-such-page/", status=404)

    print("The background worker")
    check_health(Browser(port))
    waits = [upload_and_wait(browser, number) for number in range(1, 4)]
    waits = [wait for wait in waits if wait]
    if waits:
        print(
            f"  median wait of {len(waits)} uploads: text "
            f"{statistics.median(w[0] for w in waits):.2f} s, "
            f"found by search {statistics.median(w[1] for w in waits):.2f} s",
            flush=True,
        )
    jobs = check_page(browser, "/ops/jobs/")
    say('data-heartbeat="ok"' in jobs, "    the jobs page shows a fresh heartbeat")

    print("Signed in as plain staff")
    browser = Browser(port)
    if sign_in(browser, "staff"):
        check_page(browser, "/")
        check_page(browser, "/library/")
        check_page(browser, "/dashboard/me/")
        check_page(browser, "/audit/", status=403)
        check_page(browser, "/ops/jobs/", status=403)


def forget_queue(url: str, name: str) -> None:
    """Remove this run's keys from Redis (its queue, schedule and results)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{name}*"))
    if keys:
        client.delete(*keys)


def main() -> int:
    if subprocess.run([PYTHON, "-c", "import gunicorn"], capture_output=True).returncode:
        print("Installing requirements-prod.txt (gunicorn)", flush=True)
        subprocess.run(
            [PYTHON, "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements-prod.txt")],
            check=True,
        )
    data_dir = Path(tempfile.mkdtemp(prefix="kmportal-prod-smoke-"))
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kmportal.settings.prod",
        KM_DATA_DIR=str(data_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        KM_SITE_URL=f"https://{HOST}",
        KM_QUEUE_NAME=f"kmportal-smoke-{secrets.token_hex(6)}",
    )
    env.pop("REDIS_URL", None)
    env.pop("KM_EXTRACTION", None)
    # The same recipe on PostgreSQL: `.ci/run` passes a fresh, empty database here, and Redis
    # for the job queue (the production setting).
    if os.environ.get("KM_SMOKE_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["KM_SMOKE_DATABASE_URL"]
    if os.environ.get("KM_SMOKE_REDIS_URL"):
        env["REDIS_URL"] = os.environ["KM_SMOKE_REDIS_URL"]
    server = worker = None
    log = data_dir / "gunicorn.log"
    worker_log = data_dir / "worker.log"
    started = time.monotonic()

    def stop(*_args):
        raise SystemExit("prod smoke: interrupted")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        where = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
        queue = "Redis" if env.get("REDIS_URL") else "SQLite"
        print(f"Production smoke test in {data_dir} on {where}, job queue on {queue}")
        run(env, "check", "--deploy", "--fail-level", "WARNING")
        run(env, "migrate", "--noinput", "-v", "0")
        run(env, "collectstatic", "--noinput", "-v", "0")
        run(env, "seed_demo")
        print(f"  set-up took {time.monotonic() - started:.1f} s", flush=True)
        port = free_port()
        print(f"$ gunicorn kmportal.wsgi --bind 127.0.0.1:{port}", flush=True)
        with log.open("wb") as out:
            server = subprocess.Popen(
                gunicorn_command(port),
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for _ in range(120):
            if server.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            failures.append("gunicorn did not start")
        # The README's worker: `manage.py run_huey` (the Procfile's second line).
        print("$ manage.py run_huey", flush=True)
        with worker_log.open("wb") as out:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "run_huey"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if server.poll() is not None:
            failures.append(f"gunicorn exited with {server.returncode}")
        else:
            checks_started = time.monotonic()
            smoke(port, data_dir)
            print(f"  the checks took {time.monotonic() - checks_started:.1f} s", flush=True)
            if worker.poll() is not None:
                failures.append(f"the worker exited with {worker.returncode}")
    finally:
        # The worker first, gracefully (SIGINT lets a running job finish), then gunicorn.
        for process, first in [(worker, signal.SIGINT), (server, signal.SIGTERM)]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, first)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for name, path in [("gunicorn", log), ("worker", worker_log)]:
            if failures and path.exists():
                print(f"--- {name} log (last 6000 characters) ---")
                print(path.read_text(errors="replace")[-6000:])
        if env.get("REDIS_URL"):
            forget_queue(env["REDIS_URL"], env["KM_QUEUE_NAME"])
        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"  the smoke took {time.monotonic() - started:.1f} s in all", flush=True)
    if failures:
        print(f"prod smoke: {len(failures)} check(s) failed:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("prod smoke: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
