"""The office's templates (issue 16): Thai only, with marked placeholders that a set cannot be
submitted with while a required section still holds one; a draft saves as it is."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.knowledge import services, skeletons
from apps.knowledge.models import SetKind, Status
from tests.knowledge.conftest import set_for

LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.parametrize("kind", SetKind.values)
def test_every_template_is_in_thai_with_marked_placeholders(kind):
    template = skeletons.SKELETONS[kind]
    headings = [title for title, _ in skeletons.sections(template) if title]
    assert headings and not [h for h in headings if LATIN.search(h)], headings
    # No bare "…" left for a writer to overlook: every gap is a marked placeholder.
    assert "…" not in skeletons.PLACEHOLDER.sub("", template)
    assert "\n- …" not in template and "1. …" not in template and "** …" not in template
    # Every required section is in the template and starts out unfilled.
    assert skeletons.unfilled_sections(template, kind) == [
        title for title, _ in skeletons.sections(template) if title in skeletons.REQUIRED[kind]
    ]
    assert set(skeletons.REQUIRED[kind]) <= set(headings)


def test_a_placeholder_the_editor_escaped_still_counts():
    body = "## ใช้เมื่อใด\n\n\\[ระบุ: งานหรือสถานการณ์\\]\n\n## ขั้นตอน\n\n1. ยื่นคำขอ\n"
    assert skeletons.unfilled_sections(body, SetKind.HOW_TO) == ["ใช้เมื่อใด"]
    filled = body.replace("\\[ระบุ: งานหรือสถานการณ์\\]", "เมื่อสหกรณ์จะจัดประชุมใหญ่")
    assert skeletons.unfilled_sections(filled, SetKind.HOW_TO) == []


def test_an_optional_section_may_keep_its_placeholder():
    body = skeletons.SKELETONS[SetKind.HOW_TO]
    for title, text in skeletons.sections(body):
        if title in skeletons.REQUIRED[SetKind.HOW_TO]:
            body = body.replace(text, "\nเขียนแล้ว\n", 1)
    assert "[ระบุ: ชื่อแบบฟอร์มหรือเอกสาร]" in body  # an optional section, left as it was
    assert skeletons.unfilled_sections(body, SetKind.HOW_TO) == []


def test_a_set_is_not_submitted_while_a_required_section_holds_its_placeholder(people):
    """GIVEN a draft still holding the template's placeholder under "ขั้นตอน" WHEN its author
    submits it THEN nothing changes and the message names the section; once it is written the
    same step goes through."""
    body = skeletons.SKELETONS[SetKind.HOW_TO].replace(
        "[ระบุ: งานหรือสถานการณ์ที่ใช้คู่มือนี้]", "เมื่อสหกรณ์จะจัดประชุมใหญ่"
    )
    draft = set_for(people, Status.DRAFT, kind=SetKind.HOW_TO, body=body)
    steps_before = draft.transitions.count()
    with pytest.raises(ValidationError) as refused:
        services.set_transition(by=people["member"], knowledge_set=draft, action="submit")
    assert "“ขั้นตอน”" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.transitions.count() == steps_before

    for placeholder in ("[ระบุ: ขั้นตอนแรก]", "[ระบุ: ขั้นตอนถัดไป]", "[ระบุ: ขั้นตอนสุดท้าย]"):
        draft.body = draft.body.replace(placeholder, "ยื่นคำขอต่อนายทะเบียน")
    draft.save(update_fields=["body"])
    services.set_transition(by=people["member"], knowledge_set=draft, action="submit")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_the_page_says_which_section_and_a_draft_still_saves(client_as, people):
    draft = set_for(people, Status.DRAFT, kind=SetKind.FAQ, body=skeletons.SKELETONS[SetKind.FAQ])
    client = client_as("member")
    response = client.post(
        reverse("knowledge:transition", args=[draft.pk, "submit"]),
        {"note": "", "expected": Status.DRAFT},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ยังไม่ได้ส่งชุดความรู้" in page and "“คำถามที่ 1”" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
