"""Data checks on a batch's tables: each rule catches its fault, a sound batch passes."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from tests.helpers import build_tables
from transforms.output.checks import (
    check_batch,
    check_foreign_keys,
    check_inputs_accounted,
    check_mention_offsets,
    check_non_null_keys,
    check_page_kinds,
    check_schemas,
    check_unique_ids,
)
from transforms.output.rows import Article, RejectedInput, RunInfo
from transforms.records import Mention, ParsedDocument, Reject

RUN = RunInfo("r1", datetime(2024, 1, 2, tzinfo=UTC))
BODY = "Ana Ruiz met officials in Lisbon.\n\nThe talks went on."


def _tables() -> dict[str, pa.Table]:
    doc = ParsedDocument("plain_text", "Talks", tuple(BODY.split("\n\n")))
    mention = Mention("e1", "Lisbon", "GPE", "Lisbon", 26, 32, 0, "GPE")
    articles = [Article("a.txt", "00", doc, (mention,))]
    rejects = [RejectedInput("b.txt", None, Reject("decode", "empty_file", "empty"))]
    return build_tables(articles, rejects, RUN)


def _replace(table: pa.Table, column: str, values: list[object]) -> pa.Table:
    index = table.schema.get_field_index(column)
    return table.set_column(
        index, table.schema.field(column), pa.array(values, table.schema.field(column).type)
    )


def test_sound_batch_passes() -> None:
    assert check_batch(_tables(), ["a.txt", "b.txt"]) == []


def test_schema_change_is_caught() -> None:
    tables = _tables()
    tables["links"] = tables["links"].drop_columns(["kind"])
    assert check_schemas(tables) == ["links: schema differs from the declared one"]
    del tables["rejects"]
    assert "rejects: table missing" in check_batch(tables, [])


def test_null_key_is_caught() -> None:
    tables = _tables()
    # A nullable copy of the schema lets the null in, as a buggy writer would.
    table = tables["mentions"]
    tables["mentions"] = pa.table({n: table.column(n) for n in table.column_names}).set_column(
        1, "entity_id", pa.array([None], pa.string())
    )
    assert check_non_null_keys(tables) == ["mentions.entity_id: 1 null value(s) in a key column"]


def test_repeated_ids_are_caught() -> None:
    tables = _tables()
    tables["articles"] = pa.concat_tables([tables["articles"], tables["articles"]])
    problems = check_unique_ids(tables)
    assert any(p.startswith("articles.article_id: repeated") for p in problems)
    assert any(p.startswith("articles.source_path: repeated value(s) a.txt") for p in problems)


def test_offsets_outside_the_body_or_off_the_surface_are_caught() -> None:
    tables = _tables()
    assert check_mention_offsets(tables) == []
    tables["mentions"] = _replace(tables["mentions"], "start_char", [25])
    assert check_mention_offsets(tables)[0].startswith("mentions: offsets outside the body")
    tables["mentions"] = _replace(tables["mentions"], "start_char", [26])
    tables["mentions"] = _replace(tables["mentions"], "end_char", [len(BODY) + 5])
    assert check_mention_offsets(tables)


def test_foreign_keys_are_caught() -> None:
    tables = _tables()
    tables["entities"] = tables["entities"].slice(0, 0)
    tables["links"] = pa.Table.from_pylist(
        [{"article_id": "nope", "kind": "hyperlink", "position": 0, "is_internal": False}],
        schema=tables["links"].schema,
    )
    assert check_foreign_keys(tables) == [
        "mentions.entity_id: e1 not in entities",
        "links.article_id: nope not in articles",
    ]


def test_every_input_is_one_article_or_one_reject() -> None:
    tables = _tables()
    assert check_inputs_accounted(tables, ["a.txt", "b.txt", "c.txt"]) == [
        "inputs neither article nor reject: c.txt"
    ]
    assert check_inputs_accounted(tables, ["a.txt"]) == ["rows for paths not in the batch: b.txt"]


def test_page_kinds_are_labels_with_evidence_and_text() -> None:
    tables = _tables()
    articles = tables["articles"]
    tables["articles"] = _replace(articles, "page_kind", ["section"])
    assert check_page_kinds(tables) == ["articles.page_kind: not article or index at a.txt"]
    tables["articles"] = _replace(articles, "page_kind", ["index"])
    assert check_page_kinds(tables) == ["articles: index pages without their evidence at a.txt"]
    tables["articles"] = _replace(articles, "body", [""])
    assert check_page_kinds(tables) == ["articles: rows without text (a reject) at a.txt"]
    assert check_page_kinds(tables)[0] in check_batch(tables, ["a.txt", "b.txt"])
