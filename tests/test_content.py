"""The article's facts load, are complete, and a broken data file is rejected clearly."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from netcourse.content import ContentError, data_path, load_content, parse_content


@pytest.fixture
def raw() -> dict:
    return json.loads(data_path("content.json").read_text(encoding="utf-8"))


def test_packaged_content_has_every_list_of_the_article():
    content = load_content()
    assert [lv.id for lv in content.levels] == ["school", "local", "national"]
    assert [s.name for s in content.etiquette_steps] == [
        "Introducing oneself", "Communicating goals", "Preparing questions", "Being engaged",
    ]
    assert len(content.harvard_advice) == 5
    assert [b.id for b in content.benefits] == [
        "insight", "research", "mentorship", "referral", "events", "shadowing",
    ]
    assert [c.id for c in content.costs] == ["ticket", "travel", "lodging", "food", "other"]
    assert [r.id for r in content.funding_routes] == [
        "chapter", "school-leadership", "medical-society", "specialty-society", "event-scholarship",
    ]


def test_school_level_names_the_articles_examples():
    school = load_content().level("school")
    names = " ".join(ex.name for ex in school.examples).lower()
    for expected in ("soma", "acofp", "committees", "executive board", "conferences"):
        assert expected in names


def test_every_item_cites_a_known_source():
    content = load_content()
    for items in content.lists().values():
        for item in items:
            assert item.source in content.sources
            assert content.cite(item.source)
    assert "utah.edu" in content.cite("utah")
    assert "harvard.edu" in content.cite("hms")


def test_invalid_json_names_file_and_position(tmp_path):
    broken = tmp_path / "content.json"
    broken.write_text('{"format": "netcourse-content/1", "sources": [', encoding="utf-8")
    with pytest.raises(ContentError, match=r"content\.json: invalid JSON at line 1, column \d+"):
        load_content(broken)


def test_missing_file_and_non_utf8_are_reported(tmp_path):
    with pytest.raises(ContentError, match="file not found"):
        load_content(tmp_path / "nope.json")
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"x": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(ContentError, match="latin1.json: not UTF-8"):
        load_content(bad)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["benefits"].pop(), r"benefits: the article lists 6 items, the file has 5"),
        (lambda d: d["funding_routes"][2].pop("wording"), r"funding_routes\[2\]: missing field 'wording'"),
        (lambda d: d["costs"][0].update(order="1"), r"costs\[0\]\.order: expected int, found str"),
        (lambda d: d["etiquette_steps"][1].update(source="wiki"), r"etiquette_steps\[1\]\.source: unknown source"),
        (lambda d: d["levels"].pop(1), r"levels: expected levels \['school', 'local', 'national'\]"),
        (lambda d: d["harvard_advice"][0].update(name="  "), r"harvard_advice\[0\]\.name: is empty"),
        (lambda d: d.update(format="v0"), r"format: expected 'netcourse-content/1'"),
        (lambda d: d["benefits"][3].update(order=1), r"benefits: orders must be 1\.\.6"),
    ],
)
def test_broken_content_is_rejected_with_the_problem(raw, tmp_path, mutate, message):
    data = copy.deepcopy(raw)
    mutate(data)
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError, match=message) as info:
        load_content(path)
    assert str(info.value).startswith(str(path))


def test_parse_content_accepts_the_packaged_data_unchanged(raw):
    assert parse_content(raw).article["title"] == "Networking and Opportunity"


ARTICLE = Path(__file__).resolve().parents[1].parent / "shared" / "article" / "networking-and-opportunity.txt"


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def quoted_passages(content) -> list[str]:
    """Everything the lessons put in quotation marks under the article's name."""
    passages = [item.wording for items in content.lists().values() for item in items]
    passages += [level.wording for level in content.levels]
    passages += [content.follow_up["wording"], content.funding_coverage["wording"], content.mindset["wording"]]
    passages += list(content.mindset["explorative_questions"])
    return passages


@pytest.mark.skipif(not ARTICLE.is_file(), reason=f"the article's text is not beside the project ({ARTICLE})")
def test_every_quoted_wording_is_the_articles_own_text():
    """"The article says" holds the article's words only: each wording is found, verbatim, in the article."""
    article = _normal(ARTICLE.read_text(encoding="utf-8"))
    content = load_content()
    missing = [w for w in quoted_passages(content) if _normal(w).rstrip(".") not in article]
    assert not missing, f"not verbatim in the article: {missing}"
    # The check bites: a course addition dressed as a quote is caught.
    assert _normal("your name, year and school") not in article


def test_whom_the_article_credits_is_recorded_for_each_list():
    content = load_content()
    assert content.list_credits == {"etiquette_steps": "utah", "harvard_advice": "hms"}
    # The four steps' wording is the article's own elaboration; only the steps come from Utah.
    assert {s.source for s in content.etiquette_steps} == {"article"}
