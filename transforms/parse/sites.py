"""Which site an article comes from: its registered domain and its display name.

- `site_domain`: the registered domain of the article's URL, else of the first folder of its
  path that is a domain name (`continentalwire.net/2019/01/…`).
- `site_name`: the name the crawler's sidecar or the page itself gives (`source`,
  `og:site_name`, JSON-LD publisher), else the site folder's name, else the domain.

Container folders are never a site: a folder named for a mirror, a corpus, a dump, an
archive, a crawl, a sample, an export, a backup, a download or raw data (the word anywhere
in its name: `cc-sample`, `wire-archive`, `newsroom-dump`), a folder named for a file
format (`html/`, `text/`, `warc-files`: a format is not a publisher), and date or number
folders (`2019`, `06`). The site folder is the first folder that is none of these
(`mirror/harbour-post/2022/…` → `harbour-post`; `corpora/newsroom-dump/2020/…` → none).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from transforms.text.urls import registered_domain

CONTAINER_WORDS = frozenset(
    {
        *("mirror", "mirrors", "corpus", "corpora", "dump", "dumps", "archive", "archives"),
        *("crawl", "crawls", "crawler", "sample", "samples", "export", "exports", "backup"),
        *("backups", "download", "downloads", "raw", "data", "dataset", "datasets", "incoming"),
        *("inbox", "tmp", "temp", "misc", "batch", "batches", "snapshot", "snapshots"),
        *("html", "htm", "text", "texts", "txt", "plaintext", "gz", "gzip", "warc", "warcs"),
        *("pages", "files"),
    }
)
_DATE_OR_NUMBER = re.compile(r"[\d_.-]+")
_WORDS = re.compile(r"[^\W_]+")
_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def is_container(folder: str) -> bool:
    """Whether a folder only holds pages of other sites (see the module docstring)."""
    if _DATE_OR_NUMBER.fullmatch(folder):
        return True
    return any(word in CONTAINER_WORDS for word in _WORDS.findall(folder.casefold()))


def _folder_domain(folder: str) -> str | None:
    name = folder.casefold()
    if not _DOMAIN.fullmatch(name):
        return None
    domain = registered_domain(f"http://{name}/")
    return domain if domain and "." in domain else None


def site_folder(source_path: str) -> str | None:
    """The first folder of a raw path that names a site (a domain or not), else None."""
    for folder in PurePosixPath(source_path).parts[:-1]:
        if _folder_domain(folder) or not is_container(folder):
            return folder
    return None


def site_domain(url: str | None, source_path: str) -> str | None:
    """The registered domain of the URL, else of a site folder that is a domain name."""
    domain = registered_domain(url)
    if domain:
        return domain
    folder = site_folder(source_path)
    return _folder_domain(folder) if folder else None


def site_name(stated: str | None, url: str | None, source_path: str) -> str | None:
    """The site's display name: as stated by the sidecar or the page, else the site
    folder's name, else the domain."""
    if stated and stated.strip():
        return stated.strip()
    return site_folder(source_path) or site_domain(url, source_path)
