"""Names across the corpus (issue 24): the display name is the most frequent form, and two
spellings of one word that differ by a deliberate capital are two names ("ReAct" and
"React"), while capitals, small letters and a rarer plain spelling join ("Hubspot")."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from flows.entity_store import fold_entities
from tests.test_cross_article import _article, _fold
from transforms.entities.article import canonicalize, place_display_name
from transforms.entities.corpus import most_frequent_name, spelling_links
from transforms.output.rows import Article, RunInfo, article_votes, entity_rows, votes_table
from transforms.records import EntitySpan, ParsedDocument
from transforms.schema import ENTITIES_SCHEMA

RUN = RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC))
# (body, the name the model labels ORG in it)
BODIES = [
    ("Developers who build with React ship faster, and React hooks help.", "React"),
    ("The React team released a new version on Monday.", "React"),
    ("REACT WEEKLY\nThe library grew again.", "REACT"),
    ("The ReAct pattern interleaves reasoning steps with tool calls.", "ReAct"),
    ("HubSpot reported growth in its third quarter.", "HubSpot"),
    ("Shares of HubSpot rose on Tuesday.", "HubSpot"),
    ("Hubspot customers complained about the outage.", "Hubspot"),
    ("Lear Corp said sales rose.", "Lear Corp"),
    ("Lear Corp cut jobs in Ohio.", "Lear Corp"),
    ("Lear plans a new plant.", "Lear"),
]


def _table() -> dict[str, dict[str, object]]:
    articles = []
    for index, (body, name) in enumerate(BODIES):
        start = body.index(name)
        spans = [EntitySpan(start, start + len(name), "ORG")]
        document = ParsedDocument("plain_text", f"{index}.txt", (body,))
        mentions = tuple(canonicalize(body, spans, place_display_name))
        articles.append(Article(f"{index}.txt", "0" * 64, document, mentions))
    votes = votes_table(v for a in articles for v in article_votes(a))
    rows = pa.Table.from_pylist(entity_rows(articles, RUN), schema=ENTITIES_SCHEMA)
    return {str(r["name"]): r for r in fold_entities(rows, votes).to_pylist()}


def test_deliberate_capitals_name_another_thing_and_the_most_frequent_form_shows() -> None:
    table = _table()
    assert sorted(table) == ["HubSpot", "Hubspot", "Lear Corp", "ReAct", "React"]
    # "REACT" in a heading joins "React"; "ReAct" is a name of its own, linked to nothing
    assert table["React"]["aliases"] == ["REACT", "React"]
    assert table["ReAct"]["aliases"] == ["ReAct"]
    assert table["React"]["same_as"] is None and table["ReAct"]["same_as"] is None
    # the plain spelling of one article joins the deliberate one of two
    assert table["Hubspot"]["same_as"] == table["HubSpot"]["entity_id"]
    # two articles say "Lear Corp", one "Lear": one entity, shown as most of them write it
    assert table["Lear Corp"]["aliases"] == ["Lear", "Lear Corp"]


def test_most_frequent_name_and_spelling_links() -> None:
    assert most_frequent_name({"Lear": 1, "Lear Corp": 2}) == "Lear Corp"
    assert most_frequent_name({"NETFLIX": 1, "Netflix": 1}) == "Netflix"  # a tie: mixed case
    assert spelling_links([("a", "TikTok", 20), ("b", "Tiktok", 2), ("c", "TIKTOK", 1)]) == {
        "b": "a",
        "c": "a",
    }
    assert spelling_links([("a", "React", 10), ("b", "ReAct", 1)]) == {}
    # two deliberate spellings: no telling which a plain one means
    assert spelling_links([("a", "iOS", 9), ("b", "IoS", 3), ("c", "Ios", 1)]) == {}


def test_a_shared_surname_joins_the_full_name_its_own_article_gives() -> None:
    articles = [
        _article("a.txt", "Wade Hollis won in Leeds.", [("Wade Hollis", "PERSON")]),
        _article(
            "b.txt",
            "Ada Hollis lost the final. Hollis said she would be back.",
            [("Ada Hollis", "PERSON"), ("Hollis", "PERSON")],
        ),
        _article("c.txt", "Hollis declined to comment.", [("Hollis", "PERSON")]),
    ]
    # in b.txt the article's own full name decides: its "Hollis" is Ada Hollis
    (ada, hollis_b) = articles[1].mentions
    assert hollis_b.entity_id == ada.entity_id and hollis_b.canonical_name == "Ada Hollis"
    # c.txt names no full name and two full names share the surname: linked to neither
    table = {str(r["name"]): r for r in _fold(entity_rows(articles, RUN), articles).to_pylist()}
    assert sorted(table) == ["Ada Hollis", "Hollis", "Wade Hollis"]
    assert table["Hollis"]["same_as"] is None
