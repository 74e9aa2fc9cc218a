"""Site keys: the registered domain and the display name, container folders never a site."""

from __future__ import annotations

import pytest

from transforms.parse.sites import is_container, site_domain, site_folder, site_name


@pytest.mark.parametrize(
    ("folder", "container"),
    [
        ("mirror", True),
        ("corpora", True),
        ("newsroom-dump", True),
        ("cc-sample", True),
        ("wire-archive", True),
        ("2019", True),
        ("06", True),
        ("html", True),  # a file format is not a publisher
        ("text", True),
        ("warc-files", True),
        ("texas-tribune", False),
        ("harbour-post", False),
        ("bbc", False),
        ("meridian-daily", False),
    ],
)
def test_container_folders(folder: str, container: bool) -> None:
    assert is_container(folder) is container


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        ("mirror/harbour-post/2022/08/a.txt", "harbour-post"),
        ("corpora/newsroom-dump/2020/06/a.txt", None),
        ("continentalwire.net/2019/01/a.html", "continentalwire.net"),
        ("archive.example.org/2019/a.html", "archive.example.org"),  # a domain, not a container
        ("a.txt", None),
        ("html/example.com2.html.gz", None),  # a format folder, then the file itself
        ("text/harbour-post/a.txt", "harbour-post"),
    ],
)
def test_site_folder(path: str, folder: str | None) -> None:
    assert site_folder(path) == folder


def test_domain_from_url_then_from_a_domain_folder() -> None:
    url = "https://news.kilimanjaro-ledger.co.ke/2019/05/14/story?utm_source=rss"
    assert site_domain(url, "corpora/x/a.html") == "kilimanjaro-ledger.co.ke"
    assert site_domain(None, "kilimanjaro-ledger.co.ke/2019/a.html") == "kilimanjaro-ledger.co.ke"
    assert site_domain(None, "harbour-post/2019/a.txt") is None
    assert site_domain(None, "mirror/harbour-post/a.txt") is None


def test_name_as_stated_then_folder_then_domain() -> None:
    assert site_name(" Meridian Wire ", None, "corpora/wire-archive/a.txt") == "Meridian Wire"
    assert site_name(None, None, "mirror/harbour-post/2022/a.txt") == "harbour-post"
    assert site_name(None, "https://www.example.org/a", "corpora/dump/a.txt") == "example.org"
    assert site_name(None, None, "corpora/newsroom-dump/2020/a.txt") is None
    assert site_name(None, "https://www.example.org/a", "html/a.html") == "example.org"
