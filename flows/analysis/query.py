"""The query layer: one DuckDB connection with a view per table and the derived views.

`connect("data/processed")` gives views `articles`, `entities`, `mentions`, `links`,
`rejects` over the Hive-partitioned Parquet (globs resolved at query time, so rows written
after connecting are seen), and `resolved_links`, `entity_cooccurrence`, `entity_timeline`
plus the table macro `mentioned_with(who)` (see docs/DATA.md). A table with no files yet
is an empty view with the schema's columns; a column missing from every file (written before
the column existed, like `entities.same_as`) reads as null.

The entity views resolve a surname-only person to the full name it links to
(`coalesce(entities.same_as, entity_id)`): an article that says only "Putin" counts toward
"Vladimir Putin" in `entity_cooccurrence`, `entity_timeline` and `mentioned_with`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows.storage import filesystem, is_local
from transforms.links import title_key, url_key
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS

DEFAULT_OUT = "data/processed"

_DERIVED_VIEWS_SQL = {
    "_article_keys": """
        select article_id, coalesce(site_name, site_domain) as site, title, url, published_at,
               duplicate_of,
               url_key(url) as url_key, title_key(title) as title_key
        from articles
    """,
    "resolved_links": """
        with candidates as (
            select l.article_id, l.position, k.article_id as target_article_id,
                   'url' as matched_by, 0 as priority, k.duplicate_of, k.published_at
            from links l join _article_keys k on l.target_url_key = k.url_key
            union all
            select l.article_id, l.position, k.article_id, 'title', 1, k.duplicate_of,
                   k.published_at
            from links l join _article_keys k on l.target_title_key = k.title_key
        ),
        best as (
            select * from candidates
            where target_article_id <> article_id
            qualify row_number() over (
                partition by article_id, position
                order by priority, duplicate_of is not null, published_at nulls last,
                         target_article_id
            ) = 1
        )
        select l.*, b.target_article_id, b.matched_by,
               coalesce(s.site_name, s.site_domain) as source_site,
               coalesce(t.site_name, t.site_domain) as target_site, t.title as target_article_title
        from links l
        join best b on b.article_id = l.article_id and b.position = l.position
        join articles t on t.article_id = b.target_article_id
        left join articles s on s.article_id = l.article_id
    """,
    "_resolved_mentions": """
        select m.*, coalesce(e.same_as, m.entity_id) as resolved_id
        from mentions m left join entities e on e.entity_id = m.entity_id
    """,
    "_article_entities": """
        select distinct m.article_id, m.resolved_id as entity_id,
               coalesce(a.duplicate_of, m.article_id) as story_id
        from _resolved_mentions m left join articles a on a.article_id = m.article_id
    """,
    "entity_cooccurrence": """
        select x.entity_id, ex.name as entity_name, ex.type as entity_type,
               y.entity_id as other_id, ey.name as other_name, ey.type as other_type,
               count(*) as articles, count(distinct x.story_id) as stories,
               list(x.article_id order by x.article_id) as article_ids
        from _article_entities x
        join _article_entities y on x.article_id = y.article_id and x.entity_id <> y.entity_id
        left join entities ex on ex.entity_id = x.entity_id
        left join entities ey on ey.entity_id = y.entity_id
        group by all
    """,
    "entity_timeline": """
        select m.resolved_id as entity_id, e.name, e.type,
               coalesce(cast(a.published_at as date), a.ingest_date) as day,
               count(*) as mentions, count(distinct m.article_id) as articles
        from _resolved_mentions m
        join articles a on a.article_id = m.article_id
        left join entities e on e.entity_id = m.resolved_id
        group by all
    """,
}

_MACROS_SQL = (
    """
    create or replace macro mentioned_with(who) as table
        with target as (
            select distinct coalesce(same_as, entity_id) as entity_id from entities
            where list_bool_or(list_transform(
                list_prepend(name, coalesce(aliases, [])),
                lambda x: (' ' || lower(x) || ' ') like ('% ' || lower(who) || ' %')
            ))
        ),
        target_articles as (
            select distinct article_id from _resolved_mentions
            where resolved_id in (select entity_id from target)
        )
        select distinct e.name, e.type, e.entity_id, a.article_id, a.title,
               coalesce(a.site_name, a.site_domain) as site,
               a.published_at, a.url
        from _resolved_mentions m
        join target_articles t on t.article_id = m.article_id
        join entities e on e.entity_id = m.resolved_id
        join articles a on a.article_id = m.article_id
        where m.resolved_id not in (select entity_id from target)
        order by e.name, a.published_at, a.article_id
    """,
)


def _has_parquet(out: str, table: str) -> bool:
    fs, root = filesystem(out)
    base = f"{root}/{table}"
    if not fs.exists(base):
        return False
    return any(p.endswith(".parquet") and not Path(p).name.startswith(".") for p in fs.find(base))


def _table_glob(out: str, table: str) -> str:
    fs, root = filesystem(out)
    if is_local(out):
        return f"{Path(root).resolve()}/{table}/**/*.parquet"
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return f"{protocol}://{root}/{table}/**/*.parquet"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _define_table_view(con: duckdb.DuckDBPyConnection, out: str, table: str) -> None:
    schema = TABLE_SCHEMAS[table]
    empty = schema.empty_table()
    con.register(f"_empty_{table}", empty)
    if _has_parquet(out, table):
        files = (
            f"select * from read_parquet({_sql_string(_table_glob(out, table))}, "
            "hive_partitioning = true, union_by_name = true)"
        )
        con.execute(f"create or replace view {table} as {files}")
        present = {row[0] for row in con.execute(f"describe {table}").fetchall()}
        if set(schema.names) - present:  # files older than a column: it reads as null
            con.execute(
                f"create or replace view {table} as {files} "
                f"union all by name select * from _empty_{table}"
            )
        return
    con.execute(
        f"create or replace view {table} as select *, "
        f"cast(null as date) as {PARTITION_COLUMN} from _empty_{table}"
    )


def connect(out: str = DEFAULT_OUT, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection over the processed folder `out`, with every table and derived view."""
    con = duckdb.connect(database)
    with contextlib.suppress(duckdb.Error):  # without ICU, timestamps already read as UTC
        con.execute("set TimeZone = 'UTC'")
    if not is_local(out):
        con.register_filesystem(filesystem(out)[0])
    for name, function in (("url_key", url_key), ("title_key", title_key)):
        con.create_function(
            name,
            function,
            ["VARCHAR"],
            "VARCHAR",
            type="native",  # the arrow flavour imports pandas: seconds on a first call
            null_handling="special",
            side_effects=False,
        )
    for table in TABLE_SCHEMAS:
        _define_table_view(con, out, table)
    for name, sql in _DERIVED_VIEWS_SQL.items():
        con.execute(f"create or replace view {name} as {sql}")
    for sql in _MACROS_SQL:
        con.execute(sql)
    return con


def view_names() -> tuple[str, ...]:
    """The names of the views `connect` defines for analysts (internal helpers left out)."""
    derived = tuple(n for n in _DERIVED_VIEWS_SQL if not n.startswith("_"))
    return (*TABLE_SCHEMAS, *derived)


def run_query(sql: str, out: str = DEFAULT_OUT) -> pa.Table:
    """The result of one SQL statement over the processed folder, as an Arrow table."""
    con = connect(out)
    try:
        return fetch_result(con, sql)
    finally:
        con.close()


def fetch_result(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """Run one SQL statement on `con`; its rows as an Arrow table (empty for a statement
    that returns none)."""
    relation = con.sql(sql)
    return relation.to_arrow_table() if relation is not None else pa.table({})


FORMATS = ("table", "csv", "json", "parquet")
TABLE_ROW_LIMIT = 1000


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def result_rows(result: pa.Table) -> list[dict[str, object]]:
    """The rows of a result as plain JSON-ready values (timestamps as ISO 8601)."""
    return [
        {k: [_plain(x) for x in v] if isinstance(v, list) else _plain(v) for k, v in row.items()}
        for row in result.to_pylist()
    ]


def result_csv(result: pa.Table) -> str:
    """A result as CSV; list and struct cells are written as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.column_names)
    for row in result_rows(result):
        writer.writerow(
            json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for v in row.values()
        )
    return buffer.getvalue()


def result_json(result: pa.Table) -> str:
    """A result as a JSON array of objects."""
    return json.dumps(result_rows(result), ensure_ascii=False, indent=1) + "\n"


def print_result_table(result: pa.Table, console: Any, limit: int = TABLE_ROW_LIMIT) -> None:
    """A result as a rich table on the console (the first `limit` rows)."""
    from rich.table import Table

    table = Table(show_lines=False)
    for name, type_ in zip(result.column_names, result.schema.types, strict=True):
        numeric = pa.types.is_integer(type_) or pa.types.is_floating(type_)
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    rows = result_rows(result.slice(0, limit))
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)
    more = result.num_rows - len(rows)
    suffix = f" ({more:,} not shown: use --format csv or --output)" if more > 0 else ""
    console.print(f"{result.num_rows:,} rows{suffix}")


def write_result(result: pa.Table, fmt: str, output: str | None, console: Any) -> None:
    """Write a result in `fmt` to `output` (a file), or print it when `output` is None."""
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        pq.write_table(result, output, compression="zstd")
        return
    if fmt == "table" and output is None:
        print_result_table(result, console)
        return
    text = result_json(result) if fmt == "json" else result_csv(result)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def run_shell(out: str = DEFAULT_OUT, console: Any = None) -> None:
    """An interactive SQL prompt over `connect(out)`: statements end with `;`, `.quit` leaves."""
    from rich.console import Console

    console = console or Console()
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    con = connect(out)
    console.print(
        f"newsetl sql over {out}: views {', '.join(view_names())}; macro mentioned_with(who).\n"
        "End statements with ';'. '.tables' lists views, '.quit' (or Ctrl-D) leaves."
    )
    pending: list[str] = []
    while True:
        try:
            line = input("newsetl> " if not pending else "     ...> ")
        except EOFError:
            break
        except KeyboardInterrupt:
            pending = []
            console.print()
            continue
        stripped = line.strip()
        if not pending and stripped in (".quit", ".exit", "\\q"):
            break
        if not pending and stripped == ".tables":
            console.print(", ".join(view_names()))
            continue
        pending.append(line)
        if not stripped.endswith(";"):
            continue
        sql, pending = "\n".join(pending), []
        try:
            print_result_table(fetch_result(con, sql), console)
        except duckdb.Error as exc:
            console.print(f"[red]{exc}[/red]")
    con.close()
