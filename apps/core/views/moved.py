"""Pages that moved: their old addresses answer with a permanent redirect to the new ones, so
bookmarks, links in old e-mails and pages left open keep working.

``moved_to("meetings:detail")`` is the view of an old path whose arguments are the new one's;
the query string is kept. A GET or HEAD gets 301; any other method 308, which browsers repeat
with the same method and body (a form posted from a page opened before the move still goes
through, to the new address).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http.response import HttpResponseRedirectBase
from django.views.generic import RedirectView


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirectBase):
    status_code = 308


class MovedView(RedirectView):
    permanent = True
    query_string = True

    def dispatch(self, request, *args, **kwargs):
        url = self.get_redirect_url(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        return HttpResponsePermanentRedirectKeepMethod(url)


def moved_to(pattern_name: str):
    """The view of an old address whose page is now ``pattern_name`` (same URL arguments).
    Open to anyone: it tells nothing but the new address, whose page asks to sign in (and
    then comes back to the new address, not the old one)."""
    return login_not_required(MovedView.as_view(pattern_name=pattern_name))
