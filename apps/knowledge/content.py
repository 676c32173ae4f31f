"""A knowledge set's body: Markdown in, sanitised HTML and a table of contents out.

Authors write Markdown; on save it is rendered with markdown-it-py (raw HTML switched off, so
``<script>`` typed into the text stays text) and the result is cleaned again by nh3 with a short
allow-list: no script, no style, no event handler, no ``javascript:`` or ``data:`` URL, whatever
the renderer might ever let through. Both the Markdown and the clean HTML are stored; pages show
the clean HTML and never render Markdown themselves.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

# Headings get ids we make ourselves ("sec-1", "sec-2" ...); the sanitiser keeps no other id, so
# a body cannot clobber the ids of the page around it.
_ANCHOR = re.compile(r"^sec-\d{1,4}$")
TOC_LEVELS = (1, 2, 3)
# The longest body a set may have (characters of Markdown).
MAX_BODY = 200_000

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
    "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
# Texts that were plain text before the editor came (meeting minutes): a line break stays one.
_markdown_breaks = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
)
_markdown_breaks.enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return html_to_text(self.html)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _ANCHOR.match(value) else None
    if attribute == "start":
        return value if value.isdigit() and len(value) < 7 else None
    return value


def sanitize(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed (content of script and style
    elements included)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(markdown: str, *, breaks: bool = False) -> Rendered:
    """Render ``markdown`` to clean HTML, giving each heading an anchor for the contents list.
    With ``breaks``, a single line break is kept as one (texts once typed as plain text)."""
    engine = _markdown_breaks if breaks else _markdown
    tokens = engine.parse(markdown or "")
    toc = []
    number = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        number += 1
        anchor = f"sec-{number}"
        token.attrSet("id", anchor)
        level = int(token.tag[1])
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        text = ""
        if inline is not None and inline.children:
            text = "".join(
                child.content for child in inline.children if child.type in {"text", "code_inline"}
            )
        if level in TOC_LEVELS and text.strip():
            toc.append({"level": level, "text": text.strip()[:200], "id": anchor})
    rendered = engine.renderer.render(tokens, engine.options, {})
    return Rendered(html=sanitize(rendered), toc=toc)


def html_to_text(fragment: str) -> str:
    """Plain text of a clean fragment (for search and summaries)."""
    return html.unescape(strip_tags(fragment or ""))
