"""Articles by date: how many articles each day, and where each day came from.

Counts articles only (`page_kind = 'article'`: the query layer's `articles` view and the views
built on it); index pages (section fronts, listings) are in the view `index_pages`.

`published` days come from the page (or its sidecar); `ingested` days are the fallback for
pages that give no date: they pile up on the run's day, so read them apart.

Run: .venv/bin/python examples/articles_by_date.py [PROCESSED_FOLDER]
"""

from __future__ import annotations

import argparse

from newsetl import connect

SQL = """
select day, count(*) filter (date_source <> 'ingested') as published,
       count(*) filter (date_source = 'ingested') as ingested
from article_dates group by day order by day
"""


def articles_by_date(out: str) -> list[tuple[str, int, int]]:
    """(day, articles dated by the page, articles dated by the ingest day) per day."""
    con = connect(out)
    rows = con.execute(SQL).fetchall()
    con.close()
    return [(day.isoformat(), int(p), int(i)) for day, p, i in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    args = parser.parse_args()
    print("day         published  ingest-day")
    for day, published, ingested in articles_by_date(args.out):
        print(f"{day}  {published:9d}  {ingested:10d}")


if __name__ == "__main__":
    main()
