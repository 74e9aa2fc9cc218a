"""Top people this week: who is named in the most articles in the last seven days.

Counts articles only (`page_kind = 'article'`: the query layer's `articles` view and the views
built on it); index pages (section fronts, listings) are in the view `index_pages`.

An article counts on its publication day, or on the day it was ingested when the page gives
no date (`date_source = 'ingested'`); the last column says how many were counted that way.

Run: .venv/bin/python examples/top_people_this_week.py [PROCESSED_FOLDER] [--until YYYY-MM-DD]
(default: the week up to the latest day an article counts on, so a folder of older news
still answers; `--until today` for the calendar week)
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime

from newsetl import connect

SQL = """
select name, sum(articles) as articles, sum(mentions) as mentions,
       sum(articles) filter (date_source = 'ingested') as by_ingest_day
from entity_timeline
where type = 'PERSON' and day > cast($until as date) - cast($days as integer)
  and day <= cast($until as date)
group by name order by articles desc, mentions desc, name
"""


def latest_day(out: str) -> date | None:
    """The latest day an article counts on (`article_dates.day`), None for no article."""
    con = connect(out)
    day = con.execute("select max(day) from article_dates").fetchall()[0][0]
    con.close()
    return day if isinstance(day, date) else None


def top_people(
    out: str, until: date | None = None, days: int = 7
) -> list[tuple[str, int, int, int]]:
    """(person, articles, mentions, articles dated by ingest day) in the `days` up to `until`
    (default: the latest day of the data)."""
    until = until or latest_day(out) or datetime.now(UTC).date()
    con = connect(out)
    rows = con.execute(SQL, {"until": until, "days": days}).fetchall()
    con.close()
    return [(str(name), int(a), int(m), int(i or 0)) for name, a, m, i in rows]


def _day(text: str) -> date:
    return datetime.now(UTC).date() if text == "today" else date.fromisoformat(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    parser.add_argument(
        "--until",
        type=_day,
        help="last day, YYYY-MM-DD or 'today' (default: the latest day in the data)",
    )
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    until = args.until or latest_day(args.out) or datetime.now(UTC).date()
    people = top_people(args.out, until, args.days)
    chosen = "" if args.until else " (the latest day in the data)"
    print(f"{len(people)} people named in the {args.days} days up to {until}{chosen}:")
    for name, articles, mentions, by_ingest_day in people[:20]:
        dated = f"({by_ingest_day} by ingest day)"
        counts = f"{articles:4d} article{'s' if articles != 1 else ' '} {mentions:4d} mentions"
        print(f"{counts}  {name}  {dated}")


if __name__ == "__main__":
    main()
