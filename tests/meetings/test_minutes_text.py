"""Minutes written in the editor (Markdown) show formatted and sanitised; minutes typed as
plain text before keep their line breaks; the PDF gets the text without Markdown marks."""

from apps.knowledge.templatetags.markdown_text import markdown
from apps.meetings.exports import minutes_plain


def minutes_markdown(text: str) -> str:
    return markdown(text, "breaks")  # as the meeting templates use it


def test_markdown_minutes_are_formatted_and_sanitised():
    html = minutes_markdown("**ที่ประชุมมีมติ** เห็นชอบ\n\n- ข้อหนึ่ง\n- ข้อสอง\n\n<script>x()</script>")
    assert "<strong>ที่ประชุมมีมติ</strong>" in html
    assert "<li>ข้อหนึ่ง</li>" in html
    assert "<script>" not in html


def test_plain_minutes_keep_their_line_breaks():
    html = minutes_markdown("บรรทัดแรก\nบรรทัดที่สอง")
    assert "บรรทัดแรก<br" in html and "บรรทัดที่สอง" in html
    assert minutes_markdown("") == ""


def test_the_pdf_text_has_no_markdown_marks():
    assert minutes_plain("**มติ** ที่ประชุม\n\n- รับทราบ") == "มติ ที่ประชุม\nรับทราบ"
