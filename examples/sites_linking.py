"""Which sites link to each other: links that resolve to an ingested article, site to site.

Counts links to articles only (`page_kind = 'article'`: the query layer's `articles` view),
from any page: a section front's links (`index_pages`) are its site's structure.

Run: .venv/bin/python examples/sites_linking.py [PROCESSED_FOLDER]
"""

from __future__ import annotations

import argparse

from newsetl import connect

SQL = """
select coalesce(source_site, '(no site)') as from_site,
       coalesce(target_site, '(no site)') as to_site, count(*) as links
from resolved_links
group by all order by links desc, from_site, to_site
"""


def site_links(out: str) -> list[tuple[str, str, int]]:
    """(linking site, linked site, links) for every link that resolves to an article."""
    con = connect(out)
    rows = con.execute(SQL).fetchall()
    con.close()
    return [(str(a), str(b), int(n)) for a, b, n in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    args = parser.parse_args()
    print("links  from site  ->  to site")
    for from_site, to_site, links in site_links(args.out):
        marker = " (itself)" if from_site == to_site else ""
        print(f"{links:5d}  {from_site}  ->  {to_site}{marker}")


if __name__ == "__main__":
    main()
