"""Data checks a batch must pass before it is committed: each returns the problems found.

A problem is one sentence a person can act on; an empty list means the batch is sound.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import get_args

import pyarrow as pa

from transforms.records import PageKind
from transforms.schema import BATCH_SCHEMAS

PAGE_KINDS = frozenset(get_args(PageKind))

# A batch's entity rows repeat an entity per article naming it: the merge folds them.
_UNIQUE_KEYS = {
    "articles": ("article_id", "source_path"),
    "rejects": ("source_path",),
}
_MAX_LISTED = 3


def _listed(values: Iterable[object]) -> str:
    items = sorted({str(v) for v in values})
    more = f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else ""
    return ", ".join(items[:_MAX_LISTED]) + more


def check_schemas(tables: Mapping[str, pa.Table]) -> list[str]:
    """Every table is present with exactly its declared columns and types."""
    problems = []
    for name, schema in BATCH_SCHEMAS.items():
        table = tables.get(name)
        if table is None:
            problems.append(f"{name}: table missing")
        elif not table.schema.equals(schema, check_metadata=False):
            problems.append(f"{name}: schema differs from the declared one")
    return problems


def check_non_null_keys(tables: Mapping[str, pa.Table]) -> list[str]:
    """No null in a column the schema declares non-nullable."""
    problems = []
    for name, schema in BATCH_SCHEMAS.items():
        table = tables.get(name)
        if table is None:
            continue
        for field in schema:
            if not field.nullable and field.name in table.column_names:
                nulls = table.column(field.name).null_count
                if nulls:
                    problems.append(f"{name}.{field.name}: {nulls} null value(s) in a key column")
    return problems


def check_unique_ids(tables: Mapping[str, pa.Table]) -> list[str]:
    """Ids (and source paths) appear once per table."""
    problems = []
    for name, columns in _UNIQUE_KEYS.items():
        table = tables.get(name)
        if table is None:
            continue
        for column in columns:
            counts = Counter(table.column(column).to_pylist())
            repeated = [value for value, n in counts.items() if n > 1]
            if repeated:
                problems.append(f"{name}.{column}: repeated value(s) {_listed(repeated)}")
    return problems


def check_mention_offsets(tables: Mapping[str, pa.Table]) -> list[str]:
    """Every mention's offsets lie inside its article's body and cut out its surface form."""
    articles, mentions = tables.get("articles"), tables.get("mentions")
    if articles is None or mentions is None or mentions.num_rows == 0:
        return []
    bodies = dict(
        zip(
            articles.column("article_id").to_pylist(),
            articles.column("body").to_pylist(),
            strict=True,
        )
    )
    bad = []
    for row in mentions.select(["article_id", "surface", "start_char", "end_char"]).to_pylist():
        body = bodies.get(row["article_id"])
        start, end = row["start_char"], row["end_char"]
        if body is None:
            continue  # a foreign-key problem, reported by check_foreign_keys
        if not (0 <= start < end <= len(body)) or body[start:end] != row["surface"]:
            bad.append(f"{row['article_id']}[{start}:{end}]")
    if not bad:
        return []
    return [f"mentions: offsets outside the body or not its surface at {_listed(bad)}"]


def check_foreign_keys(tables: Mapping[str, pa.Table]) -> list[str]:
    """Mentions point at articles and entities of the batch; links at articles of the batch."""
    problems = []
    article_ids = set(_column(tables, "articles", "article_id"))
    entity_ids = set(_column(tables, "entities", "entity_id"))
    for table, column, known, target in (
        ("mentions", "article_id", article_ids, "articles"),
        ("mentions", "entity_id", entity_ids, "entities"),
        ("links", "article_id", article_ids, "articles"),
    ):
        missing = set(_column(tables, table, column)) - known
        if missing:
            problems.append(f"{table}.{column}: {_listed(missing)} not in {target}")
    return problems


def check_inputs_accounted(tables: Mapping[str, pa.Table], inputs: Collection[str]) -> list[str]:
    """Every input is exactly one article or one reject, and nothing else is."""
    articles = _column(tables, "articles", "source_path")
    rejects = _column(tables, "rejects", "source_path")
    problems = []
    both = set(articles) & set(rejects)
    if both:
        problems.append(f"inputs both article and reject: {_listed(both)}")
    missing = set(inputs) - set(articles) - set(rejects)
    if missing:
        problems.append(f"inputs neither article nor reject: {_listed(missing)}")
    extra = (set(articles) | set(rejects)) - set(inputs)
    if extra:
        problems.append(f"rows for paths not in the batch: {_listed(extra)}")
    return problems


def check_page_kinds(tables: Mapping[str, pa.Table]) -> list[str]:
    """Every page is labelled article or index, and an index page shows its evidence and text
    (a label never drops the text: a page without text is a reject)."""
    problems = []
    rows = zip(
        _column(tables, "articles", "source_path"),
        _column(tables, "articles", "page_kind"),
        _column(tables, "articles", "page_kind_evidence"),
        _column(tables, "articles", "body"),
        strict=True,
    )
    unknown, unexplained, empty = [], [], []
    for path, kind, evidence, body in rows:
        if kind not in PAGE_KINDS:
            unknown.append(path)
        elif kind == "index" and not evidence:
            unexplained.append(path)
        if not str(body or "").strip():
            empty.append(path)
    if unknown:
        problems.append(f"articles.page_kind: not article or index at {_listed(unknown)}")
    if unexplained:
        problems.append(f"articles: index pages without their evidence at {_listed(unexplained)}")
    if empty:
        problems.append(f"articles: rows without text (a reject) at {_listed(empty)}")
    return problems


def check_batch(tables: Mapping[str, pa.Table], inputs: Collection[str]) -> list[str]:
    """Every check on one batch's tables; the batch may be committed only if this is empty."""
    problems = check_schemas(tables)
    if problems:
        return problems  # the other checks rely on the columns being there
    return (
        check_non_null_keys(tables)
        + check_unique_ids(tables)
        + check_mention_offsets(tables)
        + check_foreign_keys(tables)
        + check_inputs_accounted(tables, inputs)
        + check_page_kinds(tables)
    )


def _column(tables: Mapping[str, pa.Table], table: str, column: str) -> list[object]:
    found = tables.get(table)
    if found is None or column not in found.column_names:
        return []
    return list(found.column(column).to_pylist())
