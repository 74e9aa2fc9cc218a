"""Who is mentioned with whom this week: the people named together most often.

Run: .venv/bin/python examples/cooccurrence_this_week.py [PROCESSED_FOLDER] [--days N]
"""

from __future__ import annotations

import argparse

from flows.analysis.query import connect


def mentioned_together(out: str, days: int = 7) -> list[tuple[str, str, str, int]]:
    """Pairs (person, other entity, its type, articles) in the last `days` days of the data."""
    con = connect(out)
    rows = con.execute(
        """
        with recent as (
            select article_id from articles
            where coalesce(cast(published_at as date), ingest_date) > (
                select max(coalesce(cast(published_at as date), ingest_date)) from articles
            ) - cast($days as integer)
        ),
        pairs as (
            select c.entity_name, c.other_name, c.other_type, a.article_id
            from entity_cooccurrence c, unnest(c.article_ids) as a(article_id)
            where c.entity_type = 'PERSON'
              and (c.other_type <> 'PERSON' or c.entity_id < c.other_id)
        )
        select entity_name, other_name, other_type, count(distinct article_id) as articles
        from pairs where article_id in (select article_id from recent)
        group by all order by articles desc, entity_name, other_name
        """,
        {"days": days},
    ).fetchall()
    con.close()
    return [(str(a), str(b), str(t), int(n)) for a, b, t, n in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    parser.add_argument("--days", type=int, default=7, help="window ending at the latest day")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    pairs = mentioned_together(args.out, args.days)
    print(f"People mentioned with others in the last {args.days} days of the data:")
    for person, other, type_, articles in pairs[: args.top]:
        print(f"{articles:4d}  {person}  +  {other} ({type_})")


if __name__ == "__main__":
    main()
