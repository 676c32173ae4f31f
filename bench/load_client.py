"""The HTTP side of ``bench/load.py``: a small browser (cookies, CSRF, forms, multipart) on
``http.client``, the figures it records, and files with unique content to upload.

Standard library only, so the benchmark needs nothing the portal does not already install.
Every request goes to 127.0.0.1 as the TLS-terminating proxy would send it: a public host name,
``X-Forwarded-Proto: https`` and the client's own address in ``X-Forwarded-For``.
"""

from __future__ import annotations

import http.client
import re
import secrets
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

HOST = "km.example.go.th"
PASSWORD = "km-demo-2551"  # noqa: S105 - seed_demo's password for every demo account
TIMEOUT = 120.0


# --- Figures -------------------------------------------------------------------------------------
@dataclass
class Sample:
    label: str
    status: int  # 0: no response (connection refused or reset, timeout)
    seconds: float
    at: float
    error: str = ""


class Recorder:
    """Every request's page label, status and time, from all the virtual users."""

    def __init__(self):
        self.samples: list[Sample] = []
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def since(self, start: float) -> list[Sample]:
        with self._lock:
            return [s for s in self.samples if s.at >= start]


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- Forms ---------------------------------------------------------------------------------------
@dataclass
class Form:
    action: str
    method: str
    enctype: str
    attrs: dict[str, str]
    # (name, value) in document order, as a browser would send them without any change.
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def values(self, changes: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """The form's fields with ``changes`` replacing (or adding) single values."""
        changes = changes or {}
        kept = [(name, value) for name, value in self.fields if name not in changes]
        return kept + [(name, value) for name, value in changes.items()]

    def get(self, name: str, default: str = "") -> str:
        return next((value for key, value in self.fields if key == name), default)


class _FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit (checked boxes and radios,
    selected options, or a select's first option, textareas' text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._option: list[str] | None = None
        self._option_value: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", "application/x-www-form-urlencoded"),
                attrs=a,
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.names.add(name)
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea = (name, [])
        elif tag == "select" and name:
            form.names.add(name)
            self._select = (name, "multiple" in a, [], [])
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option, self._option_value = [], a.get("value")
            self._option_selected = "selected" in a

    def _close_option(self):
        if self._option is None or self._select is None:
            return
        value = self._option_value
        if value is None:
            value = " ".join("".join(self._option).split())
        _name, _multiple, options, selected = self._select
        options.append(value)
        if self._option_selected:
            selected.append(value)
        self._option = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea and self._form:
            name, parts = self._textarea
            text = "".join(parts)
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select and self._form:
            self._close_option()
            name, multiple, options, selected = self._select
            if not selected and not multiple and options:
                selected = options[:1]
            self._form.fields.extend((name, value) for value in selected)
            self._select = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option.append(data)


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


MESSAGE = re.compile(r'<div class="alert alert-(\w+)[^"]*" role="\w+">\s*(.*?)\s*<button', re.S)


FIELD_ERROR = re.compile(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</', re.S)


def field_errors(html: str) -> list[str]:
    """The form's error texts beside its fields."""
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in FIELD_ERROR.findall(html)]


def messages_in(html: str) -> list[tuple[str, str]]:
    """The flash messages on a page: (level, text), level being success, info, warning, danger."""
    return [(level, re.sub(r"\s+", " ", text)) for level, text in MESSAGE.findall(html)]


# --- The browser ---------------------------------------------------------------------------------
@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class NoResponseError(Exception):
    """The connection was refused, reset or timed out: the request was never answered."""


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes, str]]):
    """A multipart/form-data body: (content type, bytes). ``files``: (field, name, data, mime)."""
    boundary = "----km-bench-" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, data, mime in files:
        quoted = urllib.parse.quote(filename)
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f"filename=\"{quoted}\"; filename*=UTF-8''{quoted}\r\n"
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


class Browser:
    """One signed-in person's browser behind the proxy: cookies (Secure ones too), the CSRF
    token, no automatic redirects. Each request is timed into the shared recorder."""

    def __init__(self, port: int, recorder: Recorder, client_ip: str):
        self.port = port
        self.recorder = recorder
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}

    def _headers(self, path: str, content_type: str | None) -> dict[str, str]:
        headers = {
            "Host": HOST,
            "User-Agent": "km-load-bench",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_ip,
            "Accept-Language": "th",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        return headers

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def request(
        self,
        method: str,
        path: str,
        *,
        label: str,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Response:
        headers = self._headers(path, content_type)
        connection = self.connect()
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            elapsed = time.monotonic() - started
            self.recorder.add(Sample(label, 0, elapsed, started, type(error).__name__))
            raise NoResponseError(f"{method} {path}: {type(error).__name__}: {error}") from None
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        self.recorder.add(Sample(label, response.status, elapsed, started))
        self.take_cookies(response.getheaders())
        headers_out = {k.lower(): v for k, v in response.getheaders() if k.lower() != "set-cookie"}
        return Response(response.status, headers_out, content, elapsed)

    def take_cookies(self, headers: list[tuple[str, str]]) -> None:
        for header, value in headers:
            if header.lower() != "set-cookie":
                continue
            name, _, rest = value.partition("=")
            cookie_value, _, attributes = rest.partition(";")
            lowered = attributes.lower()
            if "max-age=0" in lowered or "1970" in lowered:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value

    def get(self, path: str, *, label: str) -> Response:
        return self.request("GET", path, label=label)

    def post(
        self,
        path: str,
        fields: list[tuple[str, str]],
        *,
        label: str,
        files: list[tuple[str, str, bytes, str]] | None = None,
    ) -> Response:
        if files is not None:
            content_type, body = multipart(fields, files)
        else:
            content_type = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, label=label, body=body, content_type=content_type)

    def follow(self, response: Response, *, label: str) -> Response | None:
        """GET the page a redirect points to (same site only), as a browser would."""
        if response.status not in {301, 302, 303} or not response.location:
            return None
        target = urllib.parse.urlsplit(response.location)
        path = target.path + (f"?{target.query}" if target.query else "")
        return self.get(path, label=label)

    def sign_in(self, username: str) -> bool:
        page = self.get("/accounts/login/", label="sign in")
        form = next(f for f in forms_in(page.text) if "password" in f.names)
        response = self.post(
            "/accounts/login/",
            form.values({"username": username, "password": PASSWORD}),
            label="sign in",
        )
        return response.status == 302 and "sessionid" in self.cookies


def slow_post(
    port: int,
    browser: Browser,
    path: str,
    fields: list[tuple[str, str]],
    files: list[tuple[str, str, bytes, str]],
    *,
    on_partial,
    fraction: float,
    chunk: int = 64 * 1024,
    pause: float = 0.02,
) -> tuple[int, str]:
    """POST a multipart body in chunks; ``on_partial(local_port)`` is called once ``fraction``
    of it has been sent (1.0: after the last byte, before the answer is read).

    Returns (status, location); status 0 when the connection died first. Not recorded in the
    figures: it is the fault injector's own request.
    """
    content_type, body = multipart(fields, files)
    headers = browser._headers(path, content_type)
    headers["Content-Length"] = str(len(body))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        local_port = connection.sock.getsockname()[1]
        cut = int(len(body) * fraction)
        sent, called = 0, False
        while sent < len(body):
            if not called and sent >= cut:
                on_partial(local_port)
                called = True
            connection.send(body[sent : sent + chunk])
            sent += chunk
            time.sleep(pause)
        if not called:
            on_partial(local_port)
        response = connection.getresponse()
        response.read()
        browser.take_cookies(response.getheaders())
        return response.status, response.getheader("Location") or ""
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


# --- Files with unique content -------------------------------------------------------------------
THAI_LINES = (
    "ระเบียบนายทะเบียนสหกรณ์ว่าด้วยการจัดทำบัญชีของสหกรณ์",
    "แนวทางการตรวจการสหกรณ์และกลุ่มเกษตรกร ประจำปีงบประมาณ",
    "การจัดการความรู้ในสำนักงานสหกรณ์จังหวัด",
    "คู่มือการปฏิบัติงานส่งเสริมสหกรณ์",
)


def text_file(token: str, size: int = 0) -> bytes:
    """A UTF-8 text file that names ``token``; padded with Thai lines up to ``size`` bytes."""
    lines = [f"เอกสารทดสอบภาระงาน {token}", *THAI_LINES]
    length = sum(len(line.encode()) + 1 for line in lines)
    while length < size:
        line = f"{THAI_LINES[len(lines) % len(THAI_LINES)]} {len(lines)} {token}"
        lines.append(line)
        length += len(line.encode()) + 1
    return "\n".join(lines).encode()


def pdf_file(token: str) -> bytes:
    """A one-page PDF whose text is ``token`` (ASCII, Helvetica), built by hand."""
    stream = zlib.compress(f"BT /F1 18 Tf 72 720 Td (KM load test {token}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
