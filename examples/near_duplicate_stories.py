"""Near-duplicate stories: groups of articles that repeat one story, and how closely.

Counts articles only (`page_kind = 'article'`: the query layer's `articles` view and the views
built on it); index pages (section fronts, listings) are in the view `index_pages`.

`dup_group` is shared by an original and its copies; `dup_similarity` is each copy's
estimated Jaccard similarity to the article it repeats (1.0: an exact copy).

Run: .venv/bin/python examples/near_duplicate_stories.py [PROCESSED_FOLDER]
"""

from __future__ import annotations

import argparse

from newsetl import connect

SQL = """
select dup_group,
       any_value(title order by duplicate_of is not null, article_id) as title,
       count(*) as articles,
       list(distinct coalesce(site_name, site_domain, '(no site)')
            order by coalesce(site_name, site_domain, '(no site)')) as sites,
       min(dup_similarity) as lowest_similarity
from articles
group by dup_group having count(*) > 1
order by articles desc, title, dup_group
"""


def near_duplicates(out: str) -> list[tuple[str, str, int, list[str], float]]:
    """(dup_group, original title, articles, sites, lowest similarity) of each group."""
    con = connect(out)
    rows = con.execute(SQL).fetchall()
    con.close()
    return [(str(g), str(t), int(n), list(s), float(low)) for g, t, n, s, low in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    args = parser.parse_args()
    groups = near_duplicates(args.out)
    print(f"{len(groups)} stories carried more than once:")
    for _, title, articles, sites, lowest in groups:
        print(f"{articles:3d} articles, similarity >= {lowest:.2f}  {title}  ({', '.join(sites)})")


if __name__ == "__main__":
    main()
