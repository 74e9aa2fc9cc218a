"""Articles naming two entities: every article that names both, newest first.

Counts articles only (`page_kind = 'article'`: the query layer's `articles` view and the views
built on it); index pages (section fronts, listings) are in the view `index_pages`.

Names match an entity's canonical name exactly ("Vladimir Putin"); a surname-only mention
("Putin") counts toward the full name it stands for.

Run: .venv/bin/python examples/articles_naming_both.py [PROCESSED_FOLDER] [FIRST] [SECOND]
e.g. "Vladimir Putin" "Xi Jinping"; without names, the two entities named together in the
most stories of the folder (people first on a tie).
"""

from __future__ import annotations

import argparse

from newsetl import connect

SQL = """
with both_named as (
    select distinct unnest(article_ids) as article_id from entity_cooccurrence
    where entity_name = $first and other_name = $second
)
select d.title, d.site, d.day, d.date_source, a.url
from both_named b join article_dates d using (article_id) join articles a using (article_id)
order by d.day desc, d.title, d.article_id
"""


TOP_PAIR_SQL = """
select entity_name, other_name from entity_cooccurrence
where entity_id < other_id
order by stories desc, articles desc,
         (entity_type = 'PERSON')::int + (other_type = 'PERSON')::int desc,
         entity_name, other_name
limit 1
"""


def top_pair(out: str) -> tuple[str, str] | None:
    """The two entities named together in the most stories, or None when no article names two."""
    con = connect(out)
    rows = con.execute(TOP_PAIR_SQL).fetchall()
    con.close()
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


def articles_naming(out: str, first: str, second: str) -> list[tuple[str, str, str, str]]:
    """(title, site, day, date source) of each article naming both entities."""
    con = connect(out)
    rows = con.execute(SQL, {"first": first, "second": second}).fetchall()
    con.close()
    return [(str(t), str(s), d.isoformat(), str(source)) for t, s, d, source, _ in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    parser.add_argument("first", nargs="?", help="an entity's name (default: see above)")
    parser.add_argument("second", nargs="?")
    args = parser.parse_args()
    if args.first is None or args.second is None:
        pair = top_pair(args.out)
        if pair is None:
            print("no article names two entities (was the run made with --no-entities?)")
            return
        args.first, args.second = pair
        print(f"the pair named together in the most stories: {args.first} and {args.second}")
    articles = articles_naming(args.out, args.first, args.second)
    print(f"{len(articles)} articles name both {args.first} and {args.second}:")
    for title, site, day, source in articles:
        print(f"{day} ({source})  {site}: {title}")


if __name__ == "__main__":
    main()
