"""The helpers every table's columns are declared with: a column carries its meaning and an
example in its metadata, which the data dictionary (docs/DATA.md) prints."""

from __future__ import annotations

from typing import Any, get_args

import pyarrow as pa

PARTITION_COLUMN = "ingest_date"
UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")


def allowed_values(kind: Any) -> tuple[str, ...]:
    """The values a `Literal` type of `transforms.records` allows, in its order."""
    return tuple(get_args(kind))


def one_of(kind: Any) -> str:
    """A `Literal` type's values as a column's description states them ("a | b | c")."""
    return " | ".join(allowed_values(kind))


def column(
    name: str, type_: pa.DataType, description: str, example: str, *, nullable: bool = True
) -> pa.Field:
    """A column with its meaning and an example value."""
    return pa.field(
        name, type_, nullable=nullable, metadata={"description": description, "example": example}
    )
