"""python manage.py search QUERY [--json] [--limit N] [--as USERNAME]

With QUERY "-", one query per line is read from standard input and answered in turn. With
--json, exactly one JSON object per query, one per line:
{"query", "took_ms", "total",
 "results": [{"kind", "id", "title", "url", "score", "filename", "section"}]}
("section": the section of a law the hit opens at, "มาตรา 40", or null).
Without --as, it searches with a superuser's rights. Scripts and benchmarks rely on this.
"""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.search.engine import IndexUnavailableError, SearchRequest
from apps.search.indexing import get_engine
from apps.search.searching import ADMIN, not_yet_indexed, viewer_for, visible_hits


class Command(BaseCommand):
    help = "Search the index from the command line (one query, or one per line from stdin)."

    def add_arguments(self, parser):
        parser.add_argument("query", help='the query, or "-" to read one per line from stdin')
        parser.add_argument("--json", action="store_true", help="one JSON object per query")
        parser.add_argument("--limit", type=int, default=10, help="results per query (1-100)")
        parser.add_argument("--as", dest="username", help="search with this person's rights")

    def handle(self, *args, query, json: bool, limit: int, username: str | None, **options):
        if not 1 <= limit <= 100:
            raise CommandError("--limit must be between 1 and 100")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}")
        viewer = viewer_for(user) if user else ADMIN
        hidden = not_yet_indexed(user) if user else ()
        engine = get_engine()
        queries = (line.rstrip("\n") for line in sys.stdin) if query == "-" else [query]
        for text in queries:
            request = SearchRequest(
                viewer=viewer,
                text=text,
                page_size=limit,
                facets=False,
                spelling=False,
                hidden=hidden,
            )
            try:
                response = engine.search(request)
            except IndexUnavailableError as error:
                raise CommandError(
                    f"the search index cannot be read ({error}): run `manage.py check_index "
                    "--repair`"
                ) from None
            hits = response.hits
            if user is not None and not user.is_superuser:
                allowed = visible_hits(response, user)
                hits = [hit for hit in hits if hit.uid in allowed]
            if json:
                self._json(text, response, hits)
            else:
                self._text(text, response, hits)
            self.stdout.flush()

    def _json(self, text, response, hits):
        results = [
            {
                "kind": hit.kind,
                "id": hit.pk,
                "title": hit.title,
                "url": hit.data.get("url"),
                "score": round(float(hit.score), 4),
                "filename": hit.data.get("filename"),
                "section": hit.data.get("section"),
            }
            for hit in hits
        ]
        payload = {
            "query": text,
            "took_ms": round(float(response.took_ms), 3),
            "total": response.total,
            "results": results,
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def _text(self, text, response, hits):
        self.stdout.write(f"{text!r}: {response.total} results in {response.took_ms:.1f} ms")
        for rank, hit in enumerate(hits, 1):
            self.stdout.write(f"{rank:3}. [{hit.kind}] {hit.title}  {hit.data.get('url', '')}")
