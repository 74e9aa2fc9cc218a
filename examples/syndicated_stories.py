"""Which stories were syndicated: articles that repeat an earlier one (`duplicate_of`).

Run: .venv/bin/python examples/syndicated_stories.py [PROCESSED_FOLDER]
"""

from __future__ import annotations

import argparse

from flows.analysis.query import connect


def syndicated(out: str) -> list[tuple[str, str, int, list[str]]]:
    """(original article_id, its title, copies, sites or folders carrying a copy)."""
    con = connect(out)
    rows = con.execute(
        """
        select o.article_id, coalesce(o.title, '(untitled)') as title, count(*) as copies,
               list(distinct coalesce(c.site_name, c.site_domain, split_part(c.source_path, '/', 1))
                    order by coalesce(c.site_name, c.site_domain, split_part(c.source_path, '/', 1))
               ) as carried_by
        from articles c join articles o on o.article_id = c.duplicate_of
        group by all order by copies desc, title
        """
    ).fetchall()
    con.close()
    return [(str(a), str(t), int(n), list(s)) for a, t, n, s in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="data/processed")
    args = parser.parse_args()
    stories = syndicated(args.out)
    print(f"{len(stories)} stories carried more than once:")
    for _, title, copies, sites in stories:
        print(f"{copies:3d} copies  {title}  ({', '.join(sites)})")


if __name__ == "__main__":
    main()
