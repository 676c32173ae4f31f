"""Did-you-mean's close words over several segments (issue 20): the words Whoosh's
``terms_within`` gives, found without measuring the distance to words of another length."""

import random

import pytest

from apps.search.engine import SearchEngine
from apps.search.engine.spelling import terms_within, within

WORDS = [
    "สหกรณ์",
    "สหกรณ",
    "สหกรม์",
    "สหกรณ์การเกษตร",
    "สหภาพ",
    "สหาย",
    "ประชุม",
    "ประชาม",
    "ประชุมใหญ่",
    "ปรชุม",
    "ระเบียบ",
    "ระเบียน",
    "ระบบ",
    "ระเบิด",
    "บัญชี",
    "บัญชา",
    "บัญญัติ",
    "coop",
    "cooperative",
    "copper",
    "cop",
    "coops",
]


@pytest.fixture
def reader(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    rng = random.Random(4)
    for first in (1, 41, 81):  # three commits: a reader over several segments
        engine.upsert(
            [
                {
                    "kind": "doc",
                    "pk": pk,
                    "title": " ".join(rng.sample(WORDS, 2)),
                    "body": " ".join(rng.sample(WORDS, 6)),
                    "access": "all",
                }
                for pk in range(first, first + 40)
            ]
        )
    reader = engine._snapshot().reader
    assert not reader.is_atomic()
    return reader


@pytest.mark.parametrize("field", ["title", "body"])
@pytest.mark.parametrize("maxdist", [1, 2])
def test_close_words_are_whooshs(reader, field, maxdist):
    found = 0
    for word in [*WORDS, "สหกรน์", "ประชม", "บัญชิ", "coopp", "xyz"]:
        expected = set(reader.terms_within(field, word, maxdist, prefix=1))
        assert set(terms_within(reader, field, word, maxdist)) == expected
        assert set(within(reader, field, word, maxdist)) == expected
        found += len(expected - {word})
    assert found  # some words had close ones
