"""Read a page's form the way a browser submits it: every named input with its value (ticked
boxes only), textareas and selected options. Tests change a field or two and post the rest
unchanged, hidden fields included, as a person editing the page would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, *, form_id: str | None, action: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.action = form_id, action
        self.depth = 0  # inside the wanted form while > 0
        self.found = False
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict | None = None
        self._select_options: list[tuple[str, bool]] = []

    def _wanted(self, attrs: dict) -> bool:
        if self.found:
            return False
        if self.form_id is not None:
            return attrs.get("id") == self.form_id
        if self.action is not None:
            return attrs.get("action") == self.action
        # The page's own form, not the language menu's or the sign-out button's.
        action = attrs.get("action", "")
        chrome = "/i18n/" in action or "logout" in action
        return attrs.get("method", "").lower() == "post" and not chrome

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            if self.depth == 0 and self._wanted(attrs):
                self.depth, self.found = 1, True
            return
        if not self.depth:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select, self._select_options = name, []
            self.fields.setdefault(name, [])
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth = 0
        elif tag == "textarea":
            # A browser drops the one newline that follows <textarea>.
            if self._textarea and self.fields[self._textarea][-1].startswith("\n"):
                self.fields[self._textarea][-1] = self.fields[self._textarea][-1][1:]
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value = self._option["value"]
            if value is None:
                value = self._option["text"].strip()
            self._select_options.append((value, self._option["selected"]))
            self._option = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and not self._multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self.fields[self._select].extend(chosen)
            self._select = None


def read_form(response, *, form_id: str | None = None, action: str | None = None) -> dict:
    """The data a browser would post from the page's form (by default its first POST form
    outside the navigation bar):
    one value per name as a string, several as a list."""
    reader = _FormReader(form_id=form_id, action=action)
    reader.feed(response.content.decode())
    assert reader.found, f"no such form on the page (id={form_id!r}, action={action!r})"
    return {
        name: values[0] if len(values) == 1 else values for name, values in reader.fields.items()
    }


def signed_in(person):
    """A browser tab of its own (a fresh test client) signed in as ``person``."""
    from django.test import Client

    tab = Client()
    tab.force_login(person)
    return tab


CONFLICT_TH = "ระหว่างที่คุณกำลังแก้ไข"  # in the Thai message for a refused, out-of-date save
STALE_TH = "หลังจากที่คุณเปิดหน้านี้"  # in the Thai message for a refused, out-of-date step


def save_from_two_tabs(url, first, second, *, first_changes, second_changes, form_id=None):
    """Open the edit page ``url`` in two tabs (signed in as ``first`` and ``second``), save
    ``first_changes`` from the first, then ``second_changes`` from the second, which still shows
    the page as it was. Returns the second tab's response and client."""
    tab_one, tab_two = signed_in(first), signed_in(second)
    data_one = read_form(tab_one.get(url), form_id=form_id)
    data_two = read_form(tab_two.get(url), form_id=form_id)
    data_one.update(first_changes)
    response = tab_one.post(url, data_one)
    assert response.status_code == 302, _errors(response)
    data_two.update(second_changes)
    return tab_two.post(url, data_two), tab_two


def _errors(response) -> str:
    context = response.context or {}
    for key in ("form", "formset", "items"):
        form = context.get(key)
        if form is not None:
            return f"{key} errors: {getattr(form, 'errors', None)}"
    return response.content.decode()[:2000]


def assert_refused(response, *, shows=(), keeps=()):
    """The save was refused with the Thai conflict message, the other person's new values are
    on the page (``shows``) and so is this person's own input (``keeps``)."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert CONFLICT_TH in page
    for text in (*shows, *keeps):
        assert text in page, text
