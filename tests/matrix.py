"""The permission matrix every app's tests hold: rows of (url, method, data, {role: status})."""

from django.urls import resolve, reverse


def matrix_failures(client, rows, role: str) -> list[tuple]:
    """Request every row as ``role``; the rows whose status differs from the expected one.
    An anonymous visitor sent away (302) must be sent to sign in."""
    failures = []
    for url, method, data, expected in rows:
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected[role]:
            failures.append((method.upper(), url, response.status_code, expected[role]))
        if expected[role] == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
    return failures


def coverage(rows, namespace: str, urlpatterns) -> tuple[set, set, set]:
    """(named URLs of the app, those the rows cover, (name, method) pairs the rows cover)."""
    named = {pattern.name for pattern in urlpatterns}
    covered = {resolve(url).url_name for url, *_ in rows if resolve(url).namespace == namespace}
    methods = {(resolve(url).url_name, method) for url, method, *_ in rows}
    return named, covered, methods
