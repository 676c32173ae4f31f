"""The people of ``bench/load.py``: signed-in demo accounts that read and write through the
portal's pages and forms, and the ledger of the writes the server acknowledged."""

from __future__ import annotations

import hashlib
import random
import secrets
import string
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from load_client import (
    Browser,
    NoResponseError,
    Recorder,
    field_errors,
    forms_in,
    messages_in,
    pdf_file,
    text_file,
)

ACCOUNTS = ("admin", "staff", "somchai", "wilai", "pranee", "anan", "kannika", "suwit")
SEARCH_TERMS = (
    "สหกรณ์", "ระเบียบ", "การจัดการความรู้", "บัญชี", "ตรวจการ", "กลุ่มเกษตรกร",
    "คู่มือ", "หนังสือเวียน", "type:doc", "year:2567", "5/2551", "ชุดความรู้",
)  # fmt: skip
# Relative weights of what a person does next (writes only where their role allows).
WEIGHTS = {
    "home": 8, "library": 8, "document": 8, "search": 14, "suggest": 5, "knowledge": 6,
    "set": 8, "office": 5, "mine": 5,
    "comment": 7, "edit": 7, "report": 5, "upload": 5,
}  # fmt: skip


def token() -> str:
    """A unique word the search index keeps whole (letters only)."""
    return "zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


# --- Virtual people -------------------------------------------------------------------------------
@dataclass
class Ledger:
    """Writes the server acknowledged, and what happened to the others."""

    acknowledged: list[dict] = field(default_factory=list)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    phase: str = "load"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str, outcome: str) -> None:
        with self.lock:
            kinds = self.outcomes.setdefault(kind, {})
            kinds[outcome] = kinds.get(outcome, 0) + 1

    def ack(self, entry: dict) -> None:
        with self.lock:
            self.acknowledged.append({**entry, "phase": self.phase})
        self.count(entry["kind"], "acknowledged")

    def note(self, text: str) -> None:
        with self.lock:
            if len(self.notes) < 200:
                self.notes.append(text)


class Person(threading.Thread):
    """One signed-in person clicking through the portal until ``stop_at``."""

    def __init__(self, index, username, browser: Browser, caps: dict, ledger, rng, stop_at):
        super().__init__(name=f"person-{index}-{username}", daemon=True)
        self.username, self.browser, self.caps = username, browser, caps
        self.ledger, self.rng, self.stop_at = ledger, rng, stop_at
        self.uploaded: list[tuple[str, int]] = []  # (token, document id) acknowledged
        able = {
            "comment": bool(caps["comment_sets"]),
            "edit": bool(caps["edit_sets"]),
            "report": bool(caps["report_activities"]),
            "upload": caps["upload"],
            "document": bool(caps["documents"]),
            "set": bool(caps["read_sets"]),
            "office": caps["office"],
        }
        self.actions = [a for a in WEIGHTS if able.get(a, True)]
        self.weights = [WEIGHTS[a] for a in self.actions]

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            action = self.rng.choices(self.actions, self.weights)[0]
            try:
                getattr(self, f"do_{action}")()
            except NoResponseError as error:
                if action in {"comment", "edit", "report", "upload"}:
                    self.ledger.count(action, "no answer")
                self.ledger.note(f"{self.username}: {error}")
                time.sleep(0.2)  # the server may be restarting
            except Exception as error:  # a bug in the benchmark must not hide the figures
                self.ledger.note(f"{self.username}: {action}: {type(error).__name__}: {error}")

    # Reads.
    def do_home(self):
        self.browser.get("/", label="home")

    def do_library(self):
        query = self.rng.choice(["", "?sort=-added", "?sort=title", f"?q={_quote('สหกรณ์')}"])
        self.browser.get(f"/library/{query}", label="library")

    def do_document(self):
        self.browser.get(f"/library/{self.rng.choice(self.caps['documents'])}/", label="document")

    def do_search(self):
        term, pk = self.rng.choice(SEARCH_TERMS), None
        if self.uploaded and self.rng.random() < 0.3:
            # One's own upload must be findable at once: its title is indexed on commit.
            term, pk = self.rng.choice(self.uploaded)
        response = self.browser.get(f"/search/?q={_quote(term)}", label="search")
        if pk and response.status == 200:
            found = f'href="/library/{pk}/"' in response.text
            self.ledger.count("search own upload", "found" if found else "missed")

    def do_suggest(self):
        term = self.rng.choice(SEARCH_TERMS)[:3]
        self.browser.get(f"/search/suggest/?q={_quote(term)}", label="search suggest")

    def do_knowledge(self):
        self.browser.get("/knowledge/", label="knowledge sets")

    def do_set(self):
        self.browser.get(
            f"/knowledge/{self.rng.choice(self.caps['read_sets'])}/", label="knowledge set"
        )

    def do_office(self):
        self.browser.get("/dashboard/office/", label="office dashboard")

    def do_mine(self):
        self.browser.get("/dashboard/me/", label="my dashboard")

    # Writes, through the forms a person fills in.
    def _settled(self, kind: str, response, entry: dict, landing: str) -> bool:
        """Acknowledged when redirected to a page that says the change was saved."""
        if response.status in {301, 302, 303}:
            try:
                page = self.browser.follow(response, label=landing)
            except NoResponseError:  # redirected, but the page saying how it went never came
                self.ledger.count(kind, "redirected, outcome unseen")
                return False
            found = messages_in(page.text) if page else []
            if "success" in {level for level, _text in found}:
                self.ledger.ack({**entry, "kind": kind, "user": self.username, "at": time.time()})
                return True
            self.ledger.count(kind, "refused")
            self.ledger.note(f"{self.username}: {kind} refused: {found[:2]}")
        elif response.status in {200, 409} and "km-edit-conflict" in response.text:
            # Someone saved the record since this form was read: refused, nothing is lost.
            self.ledger.count(kind, f"refused as out of date ({response.status})")
        elif response.status in {200, 409}:
            self.ledger.count(kind, f"form returned ({response.status})")
            problems = messages_in(response.text)[:2] + field_errors(response.text)[:3]
            self.ledger.note(f"{self.username}: {kind} {response.status}: {problems}")
        else:
            self.ledger.count(kind, f"status {response.status}")
        return False

    def do_comment(self):
        pk = self.rng.choice(self.caps["comment_sets"])
        page = self.browser.get(f"/knowledge/{pk}/", label="knowledge set")
        form = next(
            (f for f in forms_in(page.text) if "km-comment-form" in f.attrs.get("class", "")), None
        )
        if form is None:
            self.ledger.count("comment", "no form")
            return
        word = token()
        response = self.browser.post(
            form.action, form.values({"body": f"ความเห็นทดสอบ {word}"}), label="write: comment"
        )
        comment_pk = response.location.rpartition("#comment-")[2]
        if response.status == 302 and comment_pk.isdigit():
            self.browser.follow(response, label="knowledge set")
            self.ledger.ack({"kind": "comment", "set": pk, "pk": int(comment_pk), "token": word,
                             "user": self.username, "at": time.time()})  # fmt: skip
        else:
            self._settled("comment", response, {"set": pk, "token": word}, "knowledge set")

    def do_edit(self):
        pk = self.rng.choice(self.caps["edit_sets"])
        path = f"/knowledge/{pk}/edit/"
        page = self.browser.get(path, label="edit form")
        form = next(
            (f for f in forms_in(page.text) if "body" in f.names and f.method == "post"), None
        )
        if page.status != 200 or form is None:
            self.ledger.count("edit", f"no form ({page.status})")
            return
        word = token()
        body = form.get("body").rstrip() + f"\n\n- แก้ไขทดสอบ {word}\n"
        response = self.browser.post(
            form.action or path, form.values({"body": body}), label="write: edit"
        )
        self._settled("edit", response, {"set": pk, "token": word}, "knowledge set")

    def do_report(self):
        pk = self.rng.choice(self.caps["report_activities"])
        path = f"/plans/activities/{pk}/report/"
        page = self.browser.get(path, label="report form")
        form = next((f for f in forms_in(page.text) if "narrative" in f.names), None)
        if page.status != 200 or form is None:
            self.ledger.count("report", f"no form ({page.status})")
            return
        word = token()
        changes = {
            "narrative": f"รายงานความก้าวหน้าทดสอบ {word}",
            "status": "in_progress",
            "percent": str(self.rng.randrange(5, 100, 5)),
        }
        files, entry = [], {"activity": pk, "token": word}
        if self.rng.random() < 0.4:
            data = text_file(word, 2000)
            files.append(("files", f"หลักฐาน-{word}.txt", data, "text/plain"))
            entry["evidence_sha256"] = _sha256(data)
        response = self.browser.post(
            form.action or path, form.values(changes), label="write: report", files=files
        )
        self._settled("report", response, entry, "activity")

    def do_upload(self):
        page = self.browser.get("/library/new/", label="upload form")
        form = next((f for f in forms_in(page.text) if "files" in f.names), None)
        if page.status != 200 or form is None:
            self.ledger.count("upload", f"no form ({page.status})")
            return
        word = token()
        if self.rng.random() < 0.5:
            data, name, mime = pdf_file(word), f"เอกสารทดสอบ-{word}.pdf", "application/pdf"
        else:
            data, name, mime = (
                text_file(word, self.rng.randrange(500, 60_000)),
                f"บันทึก-{word}.txt",
                "text/plain",
            )
        changes = {"title": f"เอกสารทดสอบภาระงาน {word}"}
        response = self.browser.post("/library/new/", form.values(changes), label="write: upload",
                                     files=[("files", name, data, mime)])  # fmt: skip
        doc_pk = response.location.rstrip("/").rpartition("/")[2]
        entry = {
            "pk": int(doc_pk) if doc_pk.isdigit() else None,
            "token": word,
            "sha256": _sha256(data),
        }
        if self._settled("upload", response, entry, "document"):
            self.uploaded.append((word, entry["pk"]))


def _quote(text: str) -> str:
    return urllib.parse.quote(text)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Setting the scene ----------------------------------------------------------------------------
def sign_in_everyone(port: int, users: int, recorder: Recorder) -> list[tuple[str, Browser]]:
    """``users`` browsers, the demo accounts in turn, each from its own address."""
    people = []
    for index in range(users):
        username = ACCOUNTS[index % len(ACCOUNTS)]
        browser = Browser(port, recorder, client_ip=f"10.20.{index // 250}.{index % 250 + 1}")
        if not browser.sign_in(username):
            raise SystemExit(f"load: {username} could not sign in")
        people.append((username, browser))
    return people


def write_drafts(people: list[tuple[str, Browser]], caps: dict) -> int:
    """Each account that may write a knowledge set starts a draft of its own through the form,
    so that every writer has a set to edit (its two browsers edit it at the same time)."""
    written = 0
    for username, browser in dict(reversed(people)).items():
        if not caps[username]["add_set"]:
            continue
        choice = browser.get("/knowledge/new/", label="setup")
        kind = choice.text.split('href="?kind=', 1)[1].split('"', 1)[0]
        page = browser.get(f"/knowledge/new/?kind={kind}", label="setup")
        form = next(f for f in forms_in(page.text) if "body" in f.names)
        fields = {"title": f"ชุดความรู้ทดสอบภาระงานของ {username}", "summary": "ทดสอบภาระงาน"}
        response = browser.post("/knowledge/new/", form.values(fields), label="setup")
        if response.status != 302:
            raise SystemExit(
                f"load: {username} could not start a draft: {messages_in(response.text)}"
            )
        written += 1
    return written


def run_people(people, caps, seconds: float, ledger: Ledger, seed: int) -> tuple[float, float]:
    start = time.monotonic()
    stop_at = start + seconds
    threads = [
        Person(i, username, browser, caps[username], ledger, random.Random(seed + i), stop_at)  # noqa: S311
        for i, (username, browser) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, stop_at - time.monotonic()) + 180)
    return start, time.monotonic()
