"""The main image, categories and tags a page states (`transforms.html.extras`), and the
articles columns they fill."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.html.extras import MAX_LABELS, extract_extras
from transforms.html.meta import collect_meta_tags, find_json_ld_article
from transforms.html.page import parse_tree, read_html_page

_BODY = (
    "<article><h1>Harbour reopens</h1>"
    + (
        "<p>The harbour reopened on Monday after a week of repairs to the northern quay, "
        "officials said, and ferries resumed their usual timetable.</p>" * 4
    )
    + "</article>"
)


def _page(head: str, body: str = _BODY) -> str:
    return (
        "<html><head><link rel='canonical' href='https://news.example/local/harbour'>"
        f"{head}</head><body>{body}</body></html>"
    )


CASES = [
    (  # OpenGraph: a relative image resolved, one article:tag per tag, a section
        "<meta property='og:image' content='/img/quay.jpg'>"
        "<meta property='article:section' content='Local'>"
        "<meta property='article:tag' content='Ports'>"
        "<meta property='article:tag' content='Ferries'>",
        "",
        ("https://news.example/img/quay.jpg", ("Local",), ("Ports", "Ferries")),
    ),
    (  # JSON-LD wins over the metas but for the image; keywords split at commas, each once
        "<meta property='og:image' content='https://cdn.example/og.jpg'>"
        "<meta name='keywords' content='ignored'>"
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "image": '
        '[{"url": "https://cdn.example/ld.jpg"}], "articleSection": ["Local", "Sea"], '
        '"keywords": "ports, Ferries , ports,"}</script>',
        "",
        ("https://cdn.example/og.jpg", ("Local", "Sea"), ("ports", "Ferries")),
    ),
    (  # a blog: WordPress's rel='category tag' is a category, rel=tag a tag
        "<meta name='twitter:image' content='https://cdn.example/tw.png'>",
        "<div class='entry-meta'><a rel='category tag' href='/category/news/'>News</a>"
        "<a href='/tag/quay/' rel='tag'>quay</a></div>",
        ("https://cdn.example/tw.png", ("News",), ("quay",)),
    ),
    (  # nothing stated: nothing made up; a javascript: image and an @id name no file
        "<meta property='og:image' content='javascript:alert(1)'>"
        '<script type=\'application/ld+json\'>{"@type": "Article", "image": '
        '{"@id": "https://news.example/local/harbour#primaryimage"}}</script>',
        "<nav><a href='/category/sport/'>Sport</a></nav>",  # site navigation, not the post's
        (None, (), ()),
    ),
]


@pytest.mark.parametrize(("head", "extra_body", "expected"), CASES)
def test_extras_from_markup(
    head: str, extra_body: str, expected: tuple[str | None, tuple[str, ...], tuple[str, ...]]
) -> None:
    tree = parse_tree(_page(head, _BODY + extra_body))
    assert tree is not None
    metas = collect_meta_tags(tree)
    found = extract_extras(
        tree, metas, find_json_ld_article(tree), "https://news.example/local/harbour"
    )
    assert (found.image_url, found.categories, found.tags) == expected


def test_an_article_row_carries_the_page_metadata() -> None:
    head = (
        "<meta property='og:description' content='The quay is open again.'>"
        "<meta property='og:image' content='https://cdn.example/q.jpg'>"
        "<meta property='article:section' content='Local'>"
        "<meta name='keywords' content='ports, ferries'>"
    )
    document = read_html_page(_page(head)).document
    assert document.description == "The quay is open again."
    assert document.image_url == "https://cdn.example/q.jpg"
    assert (document.categories, document.tags) == (("Local",), ("ports", "ferries"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=80))
def test_tags_are_clean_distinct_and_bounded(values: list[str]) -> None:
    metas = "".join(
        f"<meta property='article:tag' content='{v.replace(chr(39), '')}'>" for v in values
    )
    tree = parse_tree(_page(metas))
    if tree is None:
        return
    tags = extract_extras(tree, {}, {}, None).tags
    assert len(tags) <= MAX_LABELS
    assert len({t.casefold() for t in tags}) == len(tags)
    assert all(t == t.strip() and t and "\n" not in t for t in tags)
