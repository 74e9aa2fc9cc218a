"""docs/DATA.md is generated from the schemas and kept up to date."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from flows.analysis.data_dictionary import (
    DERIVED_VIEWS,
    JOIN_KEYS,
    REGENERATE_COMMAND,
    data_dictionary_markdown,
    type_name,
)
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS

DATA_MD = Path(__file__).resolve().parents[1] / "docs" / "DATA.md"


def test_data_md_is_up_to_date() -> None:
    expected = data_dictionary_markdown()
    actual = DATA_MD.read_text(encoding="utf-8") if DATA_MD.exists() else ""
    assert actual == expected, (
        f"docs/DATA.md is out of date with transforms/schema/: regenerate it with "
        f"`{REGENERATE_COMMAND}` and commit it"
    )


def test_every_table_and_column_is_described_with_an_example() -> None:
    text = data_dictionary_markdown()
    for table, schema in TABLE_SCHEMAS.items():
        assert f"## {table}\n" in text
        for field in schema:
            assert field.metadata and field.metadata.get(b"description"), f"{table}.{field.name}"
            assert field.metadata.get(b"example") is not None, f"{table}.{field.name}"
            row = next(line for line in text.splitlines() if line.startswith(f"| `{field.name}` |"))
            assert type_name(field.type) in row
    assert text.count(f"| `{PARTITION_COLUMN}` | date (partition)") == len(TABLE_SCHEMAS)


def test_join_keys_and_views_are_listed() -> None:
    text = data_dictionary_markdown()
    for key in JOIN_KEYS:
        assert f"| `{key.left}` | `{key.right}` |" in text
    for view in DERIVED_VIEWS:
        assert f"| `{view.name}` |" in text


def test_nullability_and_types_are_rendered() -> None:
    schema = pa.schema(
        [
            pa.field(
                "a",
                pa.list_(pa.string()),
                nullable=False,
                metadata={"description": "x|y", "example": "[]"},
            ),
            pa.field(
                "b", pa.timestamp("us", tz="UTC"), metadata={"description": "when", "example": "t"}
            ),
        ]
    )
    text = data_dictionary_markdown({"articles": schema})
    assert "| `a` | list<string> | no | x\\|y | `[]` |" in text
    assert "| `b` | timestamp[us, UTC] | yes | when | `t` |" in text
