"""The SQL of the query layer: key macros, the derived views and the table macro, as text.

Plain DuckDB SQL only (no Python functions), so `newsetl views` can write the same
definitions to a file that `duckdb -init views.sql`, or any DuckDB client, loads unchanged.
`url_key` and `title_key` re-state `transforms.text.urls.url_key` / `title_key` in SQL: articles'
keys are computed here, links' keys were computed by Python when the row was written
(tests/test_portable_views.py holds the two to the same answers: no difference on 108k real
URLs and 1,009 real titles; known gaps are NFKC-only characters in titles and malformed
bracketed hosts).
"""

from __future__ import annotations

import pyarrow as pa

from transforms.schema import PARTITION_COLUMN

# Columns the views read that a table written by an older (or newer) newsetl may lack: they
# read as null. `published_at_source` arrives with the date-source work (issue 17).
EXTRA_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("published_at_source", "VARCHAR"),),
}

_TRACKING_PARAMS = "utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid"

KEY_MACROS_SQL = (
    r"""create or replace macro _url_quote(x) as replace(url_encode(x), '%20', '+')""",
    r"""create or replace macro _url_unquote(x) as url_decode(replace(x, '+', ' '))""",
    f"""create or replace macro _url_query_key(q) as array_to_string(list_transform(
        list_sort(list_filter(
            list_transform(list_filter(string_split(q, '&'), lambda s: s <> ''),
                lambda s: {{'k': _url_unquote(split_part(s, '=', 1)),
                           'v': _url_unquote(case when strpos(s, '=') > 0
                                                  then substr(s, strpos(s, '=') + 1)
                                                  else '' end)}}),
            lambda p: not regexp_full_match(lower(p.k), '{_TRACKING_PARAMS}'))),
        lambda p: _url_quote(p.k) || '=' || _url_quote(p.v)), '&')""",
    # Python's urlsplit: an optional scheme, '//' netloc (host after its last '@'), path,
    # query, fragment; each lambda binds a part once (a macro argument is re-evaluated at
    # every use).
    r"""create or replace macro _url_parts(u) as regexp_extract(
        regexp_replace(trim(u), '[\t\r\n]', '', 'g'),
        '^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//([^/?#]*)([^?#]*)(?:\?([^#]*))?',
        ['netloc', 'path', 'query'])""",
    r"""create or replace macro _url_host_port(hp) as case
        when strpos(hp, '[') > 0 then {'h': regexp_extract(hp, '\[([^\]]*)', 1),
                                       'port': regexp_extract(hp, '\][^:]*:(.*)$', 1)}
        else {'h': split_part(hp, ':', 1), 'port': regexp_extract(hp, '^[^:]*:(.*)$', 1)} end""",
    r"""create or replace macro _url_key_of(p) as list_transform(
        [_url_host_port(regexp_extract(p.netloc, '[^@]*$'))],
        lambda n: case
            when n.h = '' or (strpos(p.netloc, '[') > 0) <> (strpos(p.netloc, ']') > 0)
                 or (n.port <> '' and not regexp_full_match(n.port, '[0-9]{1,5}'))
                 or (n.port <> '' and cast(n.port as integer) > 65535) then null
            else regexp_replace(lower(regexp_extract(n.h, '^[^%]*')), '^www\.', '')
                 || regexp_extract(n.h, '%.*$')
                 || (case when n.port = '' or cast(n.port as integer) in (80, 443) then ''
                          else ':' || cast(cast(n.port as integer) as varchar) end)
                 || regexp_replace(p.path, '/+$', '')
                 || list_transform([_url_query_key(p.query)],
                                   lambda k: case when k = '' then '' else '?' || k end)[1]
        end)[1]""",
    r"""create or replace macro url_key(u) as
        case when u is null then null
             else list_transform([_url_parts(u)], lambda p: _url_key_of(p))[1] end""",
    # casefold as Python does for the letters news titles use (ß, final sigma, and İ, whose
    # Python lower case carries a combining dot that then splits the word)
    r"""create or replace macro title_key(t) as
        nullif(trim(regexp_replace(
            replace(replace(lower(replace(nfc_normalize(t), 'İ', 'i' || chr(775))),
                            'ß', 'ss'), 'ς', 'σ'),
            '[^\pL\pN_]+', ' ', 'g')), '')""",
)

# The articles table holds every page read (`page_kind` article or index): its files are the
# view `pages`; the view `articles`, which every other view and the report read, keeps the
# pages labelled articles (rows written before the label are articles), `index_pages` the
# others (section fronts, listings: their links are site structure). The entity views count
# mentions in articles only; `resolved_links` keeps links from every page (to articles).
TABLE_VIEW_NAMES = {"articles": "pages"}

DERIVED_VIEWS_SQL = {
    "articles": """
        select * from pages where coalesce(page_kind, 'article') = 'article'
    """,
    "index_pages": """
        select * from pages where page_kind = 'index'
    """,
    "_article_keys": """
        select article_id, coalesce(site_name, site_domain) as site, title, url, published_at,
               duplicate_of,
               url_key(url) as url_key, title_key(title) as title_key
        from articles
    """,
    "article_dates": """
        select article_id, title, site_domain, coalesce(site_name, site_domain) as site,
               -- a web archive's fetch time is a day to count by, never a publication time
               case when published_at_source = 'fetched' then null
                    else published_at end as published_at,
               coalesce(articles.published_date, cast(articles.published_at as date), ingest_date)
                   as day,
               case when articles.published_at is null then 'ingested'
                    else coalesce(published_at_source, 'published') end as date_source
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
    # Only mentions whose entity is published: a run publishes mentions at each commit and
    # their entities at its end, so a reader in between sees no mention without its entity.
    "_resolved_mentions": """
        select m.*, coalesce(e.same_as, m.entity_id) as resolved_id
        from mentions m join entities e on e.entity_id = m.entity_id
        where m.article_id in (select article_id from articles)
    """,
    # An article whose entities were not looked for (no model for its language, a run
    # without entities) names no entity and is no entity-free news: `entities` is null.
    "article_entity_counts": """
        with named as (
            select article_id, count(distinct resolved_id) as entities, count(*) as mentions
            from _resolved_mentions group by article_id
        )
        select a.article_id, a.title, a.language,
               coalesce(a.entities_status, 'extracted') as entities_status,
               case when coalesce(a.entities_status, 'extracted') = 'extracted'
                    then coalesce(n.entities, 0) end as entities,
               case when coalesce(a.entities_status, 'extracted') = 'extracted'
                    then coalesce(n.mentions, 0) end as mentions
        from articles a left join named n on n.article_id = a.article_id
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
        select m.resolved_id as entity_id, e.name, e.type, d.day, d.date_source,
               count(*) as mentions, count(distinct m.article_id) as articles
        from _resolved_mentions m
        join article_dates d on d.article_id = m.article_id
        left join entities e on e.entity_id = m.resolved_id
        group by all
    """,
}

MACROS_SQL = (
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

MACRO_NAMES = ("mentioned_with(who)", "url_key(url)", "title_key(title)")


def duckdb_type(type_: pa.DataType) -> str:
    """The DuckDB type that reads back as `type_` from Parquet."""
    if pa.types.is_list(type_):
        return duckdb_type(type_.value_type) + "[]"
    if pa.types.is_timestamp(type_):
        return "TIMESTAMP WITH TIME ZONE" if type_.tz else "TIMESTAMP"
    names = {
        pa.string(): "VARCHAR",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
    }
    return names[type_]


def expected_columns(table: str, schema: pa.Schema) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every column the table's view has, partition column included."""
    columns = [(f.name, duckdb_type(f.type)) for f in schema]
    columns.append((PARTITION_COLUMN, "DATE"))
    known = {name for name, _ in columns}
    columns += [c for c in EXTRA_COLUMNS.get(table, ()) if c[0] not in known]
    return columns


def sql_string(text: str) -> str:
    """`text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _nulls(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"cast(null as {type_}) as {name}" for name, type_ in columns)


def files_select(glob: str) -> str:
    """Every Parquet file under `glob`, with the Hive partition column, by column name."""
    return (
        f"select * from read_parquet({sql_string(glob)}, "
        "hive_partitioning = true, union_by_name = true)"
    )


def table_view_name(table: str) -> str:
    """The view a table's files are read through (`articles`' are `pages`)."""
    return TABLE_VIEW_NAMES.get(table, table)


def table_view_sql(table: str, schema: pa.Schema, glob: str | None) -> str:
    """`create view` for one table: its files, or no rows when it has none yet; a column the
    files lack reads as null (union by name with an empty row set of every column)."""
    columns = expected_columns(table, schema)
    empty = f"select {_nulls(columns)} where false"
    view = table_view_name(table)
    if glob is None:
        return f"create or replace view {view} as {empty}"
    return f"create or replace view {view} as {files_select(glob)} union all by name {empty}"


def derived_statements() -> list[str]:
    """The key macros, derived views and table macro, in the order they must be created."""
    views = [f"create or replace view {n} as {sql.strip()}" for n, sql in DERIVED_VIEWS_SQL.items()]
    return [*KEY_MACROS_SQL, *views, *(m.strip() for m in MACROS_SQL)]
