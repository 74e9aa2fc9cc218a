"""Entities across articles, batches and runs: one id per real thing, aliases that join."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from flows.entity_store import fold_entities
from transforms.entities import canonicalize, entity_id, link_surnames, place_display_name
from transforms.places import resolve_place
from transforms.records import EntitySpan, ParsedDocument
from transforms.schema import ENTITIES_SCHEMA
from transforms.tables import Article, RunInfo, entity_rows

# (path, body, [(surface, label)]): the model's spans, found by text.
ARTICLES = [
    (
        "a.txt",
        "Vladimir Putin flew to the U.S. on Monday.",
        [("Vladimir Putin", "PERSON"), ("U.S.", "GPE")],
    ),
    (
        "b.txt",
        "Mr Putin said America and the IMF disagreed.",
        [("Mr Putin", "PERSON"), ("America", "GPE"), ("IMF", "ORG")],
    ),
    (
        "c.txt",
        "The International Monetary Fund met in Pyongyang, North Korea.",
        [("International Monetary Fund", "ORG"), ("Pyongyang", "GPE"), ("North Korea", "GPE")],
    ),
    ("d.txt", "DPRK media quoted VLADIMIR PUTIN.", [("DPRK", "ORG"), ("VLADIMIR PUTIN", "PERSON")]),
    (
        "e.txt",
        "President Vladimir Putin spoke; Putin left.",
        [("President Vladimir Putin", "PERSON"), ("Putin", "PERSON")],
    ),
]
RUN_1 = RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC))
RUN_2 = RunInfo("run-2", datetime(2026, 2, 1, tzinfo=UTC))


def _article(path: str, body: str, spans: list[tuple[str, str]]) -> Article:
    raw = [EntitySpan(body.index(t), body.index(t) + len(t), label) for t, label in spans]
    document = ParsedDocument("plain_text", path, (body,))
    return Article(path, "0" * 64, document, tuple(canonicalize(body, raw, place_display_name)))


def _entities(batches: list[list[int]], run: RunInfo = RUN_1) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for batch in batches:
        rows += entity_rows([_article(*ARTICLES[i]) for i in batch], run, resolve_place)
    return fold_entities(pa.Table.from_pylist(rows, schema=ENTITIES_SCHEMA)).to_pylist()


def test_entities_do_not_depend_on_batches_or_their_order() -> None:
    one_batch = _entities([[0, 1, 2, 3]])
    assert _entities([[3], [1, 0], [2]]) == one_batch
    assert _entities([[2, 3, 1, 0]]) == one_batch


def test_one_entity_per_real_thing_across_articles() -> None:
    rows = {(r["type"], r["name"]): r for r in _entities([[0, 1, 2, 3]])}
    assert set(rows) == {
        ("PERSON", "Vladimir Putin"),
        # b.txt names him by surname only: its own entity, linked by `link_surnames`.
        ("PERSON", "Putin"),
        ("GPE", "United States"),
        ("GPE", "North Korea"),
        ("GPE", "Pyongyang"),
        ("ORG", "International Monetary Fund"),
    }
    assert rows[("GPE", "United States")]["aliases"] == ["America", "U.S."]
    assert rows[("GPE", "North Korea")]["country_code"] == "KP"
    assert rows[("GPE", "North Korea")]["aliases"] == ["DPRK", "North Korea"]
    assert rows[("PERSON", "Vladimir Putin")]["aliases"] == ["VLADIMIR PUTIN", "Vladimir Putin"]
    linked = link_surnames((r["entity_id"], r["type"], r["name"]) for r in rows.values())
    assert linked == {
        rows[("PERSON", "Putin")]["entity_id"]: rows[("PERSON", "Vladimir Putin")]["entity_id"]
    }
    assert rows[("GPE", "Pyongyang")]["latitude"] is not None
    assert rows[("ORG", "International Monetary Fund")]["aliases"] == [
        "IMF",
        "International Monetary Fund",
    ]


def test_an_alias_seen_in_a_later_run_joins_the_existing_entity() -> None:
    first = entity_rows([_article(*ARTICLES[0])], RUN_1, resolve_place)
    later = entity_rows([_article(*ARTICLES[4])], RUN_2, resolve_place)
    merged = fold_entities(pa.Table.from_pylist(first + later, schema=ENTITIES_SCHEMA))
    putin = [r for r in merged.to_pylist() if r["type"] == "PERSON"]
    assert len(putin) == 1
    assert putin[0]["entity_id"] == entity_id("PERSON", "Vladimir Putin")
    assert putin[0]["first_seen_at"] == RUN_1.started_at
    assert putin[0]["aliases"] == ["Putin", "Vladimir Putin"]


def test_link_surnames_when_exactly_one_full_name_ends_with_it() -> None:
    rows = [
        ("p1", "PERSON", "Vladimir Putin"),
        ("p2", "PERSON", "Putin"),
        ("k1", "PERSON", "Kim Jong-un"),
        ("k2", "PERSON", "Kim Yo-jong"),
        ("k3", "PERSON", "Jong-un"),
        ("h1", "PERSON", "Wade Hollis"),
        ("h2", "PERSON", "Ada Hollis"),
        ("h3", "PERSON", "Hollis"),
        ("o1", "ORG", "Putin"),
    ]
    assert link_surnames(rows) == {"p2": "p1", "k3": "k1"}
    assert link_surnames(reversed(rows)) == link_surnames(rows)
