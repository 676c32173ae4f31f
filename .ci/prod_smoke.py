#!/usr/bin/env python3
"""Production smoke test: the README's Deploying section, run for real.

In a fresh temporary data folder (SQLite, or the empty PostgreSQL database named by
``KM_SMOKE_DATABASE_URL``) with ``kmportal.settings.prod``: ``check --deploy``,
``migrate``, ``collectstatic``, the demo office (``seed_demo``), then gunicorn on a free port
of 127.0.0.1. Every request says ``X-Forwarded-Proto: https`` and a public host name, as the
TLS-terminating proxy does. It fetches the login page and a hashed static file, signs in with
the login form (CSRF token and all), opens the main pages as an administrator and as plain
staff, and checks the status and the security headers of each. Prints one line a check and
exits non-zero if any failed. gunicorn is stopped however the script ends.

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
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

    def request(self, method: str, path: str, form: dict | None = None, https: bool = True):
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

    print("Signed in as plain staff")
    browser = Browser(port)
    if sign_in(browser, "staff"):
        check_page(browser, "/")
        check_page(browser, "/library/")
        check_page(browser, "/dashboard/me/")
        check_page(browser, "/audit/", status=403)


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
        KM_EXTRACTION="inline",
    )
    # The same recipe on PostgreSQL: `.ci/run` passes a fresh, empty database here.
    if os.environ.get("KM_SMOKE_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["KM_SMOKE_DATABASE_URL"]
    server = None
    log = data_dir / "gunicorn.log"

    def stop(*_args):
        raise SystemExit("prod smoke: interrupted")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        where = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
        print(f"Production smoke test in {data_dir} on {where}")
        run(env, "check", "--deploy", "--fail-level", "WARNING")
        run(env, "migrate", "--noinput", "-v", "0")
        run(env, "collectstatic", "--noinput", "-v", "0")
        run(env, "seed_demo")
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
        if server.poll() is not None:
            failures.append(f"gunicorn exited with {server.returncode}")
        else:
            smoke(port, data_dir)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if failures and log.exists():
            print("--- gunicorn log (last 6000 characters) ---")
            print(log.read_text(errors="replace")[-6000:])
        shutil.rmtree(data_dir, ignore_errors=True)
    if failures:
        print(f"prod smoke: {len(failures)} check(s) failed:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("prod smoke: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
