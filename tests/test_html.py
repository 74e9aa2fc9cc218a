"""HTML pages: golden pages under tests/html_pages, one table per rule, never-crash properties."""

from __future__ import annotations

import contextlib
import json
import socket
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.html.authors import clean_authors
from transforms.html.body import (
    clean_paragraphs,
    missed_list_words,
    needs_recall,
    read_text,
)
from transforms.html.page import parse_tree, read_html_page
from transforms.records import LinkKind, LinkRef, ParsedDocument
from transforms.text.decoding import DecodeError, decode_html
from transforms.text.language import word_count
from transforms.text.urls import is_internal, link_domain, registered_domain

PAGES = Path(__file__).parent / "html_pages"
PAGE_FILES = sorted(PAGES.glob("*.html"))


def parse_html(html: str, *, url: str | None = None) -> ParsedDocument:
    """The parsed document of a page (what a run keeps of `read_html_page`)."""
    return read_html_page(html, url=url).document


def _page(body: str, head: str = "", lang: str = "") -> str:
    """A minimal full page around a body fragment."""
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang_attr}><head>{head}</head><body>{body}</body></html>"


_PROSE = (
    "<p>The harbour board met on Tuesday to discuss the new ferry timetable, which "
    "moves the first crossing forty minutes earlier and adds a late boat on Fridays. "
    "Several members asked for a trial period before the change becomes permanent.</p>"
)


# ---------------------------------------------------------------- golden pages


def test_fixture_set_is_complete() -> None:
    assert len(PAGE_FILES) >= 8
    for page in PAGE_FILES:
        assert page.with_name(page.stem + ".expected.json").exists(), page.name


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.stem)
def test_golden_page(page: Path) -> None:
    expected: dict[str, Any] = json.loads(
        page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8")
    )
    doc = parse_html(decode_html(page.read_bytes()))

    assert doc.source_format == "html"
    assert doc.title == expected["title"]
    assert list(doc.authors) == expected["authors"]
    assert doc.url == expected["url"]
    assert doc.site == expected["site"]
    assert doc.declared_language == expected["language"]
    if "description" in expected:
        assert doc.description == expected["description"]
    published = expected.get("published_at")
    assert doc.published_at == (datetime.fromisoformat(published) if published else None)
    if doc.published_at is not None:  # the offset the page states, for published_date
        assert doc.published_at.utcoffset() is not None
        assert str(doc.published_date) == expected.get("published_date", str(published)[:10])

    assert (doc.paragraphs == ()) == expected["empty_body"]
    assert doc.page_kind == expected.get("page_kind", "article")
    for phrase in expected["must_contain"]:
        assert phrase in doc.body, phrase
    for phrase in expected["must_not_contain"]:
        assert phrase not in doc.body, phrase
    assert all(p and p == p.strip() and "\n" not in p for p in doc.paragraphs)

    assert dict(Counter(link.kind for link in doc.links)) == expected["link_counts"]
    for wanted in expected["links"]:
        assert any(all(getattr(link, k) == v for k, v in wanted.items()) for link in doc.links), (
            wanted
        )
    targets = {link.target_url for link in doc.links}
    for absent in expected.get("absent_targets", []):
        assert absent not in targets
    assert all(t and t.startswith(("http://", "https://")) for t in targets)


def test_golden_body_equals_known_text_where_given() -> None:
    """The text-page layout and the sidebar page come out paragraph for paragraph."""
    for name in ("text_page_layout", "sidebar_comments", "utf8_declared_latin1"):
        expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
        doc = parse_html(decode_html((PAGES / f"{name}.html").read_bytes()))
        assert doc.body == expected["body"]


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ('<meta charset="utf-8"><p>café</p>'.encode(), "café"),
        ('<meta charset="windows-1252"><p>café \u2013 “x”</p>'.encode("cp1252"), "café \u2013 “x”"),
        # the label lies: cp1252 bytes under a utf-8 label, utf-8 bytes under a latin-1 label
        ('<meta charset="utf-8"><p>naïve café déjà vu</p>'.encode("cp1252"), "naïve café déjà vu"),
        (
            (
                '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                "<p>Grüße</p>"
            ).encode(),
            "Grüße",
        ),
        ("\ufeff<p>bom wins</p>".encode("utf-16-le"), "bom wins"),
        ('<meta charset="koi8-r"><p>привет</p>'.encode("koi8-r"), "привет"),
        (b'<meta charset="no-such-codec"><p>plain</p>', "plain"),
        (b'<meta charset="idna"><p>plain</p>', "plain"),
        (b'<meta charset="utf-16"><p>ascii under a utf-16 label</p>', "ascii under a utf-16 label"),
        (b"", ""),
    ],
)
def test_decode_html(data: bytes, text: str) -> None:
    assert text in decode_html(data)


def test_decode_html_rejects_binary() -> None:
    with pytest.raises(DecodeError) as excinfo:
        decode_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert excinfo.value.error_type == "binary_content"


def test_decode_html_is_nfc() -> None:
    decomposed = "<p>Cafe\u0301</p>".encode()
    assert "Café" in decode_html(decomposed)


# ---------------------------------------------------------------- authors and dates


@pytest.mark.parametrize(
    ("raw", "authors"),
    [
        (["By Jane Doe"], ("Jane Doe",)),
        (["By Jane Doe and Omar Haddad | 4 Minute Read"], ("Jane Doe", "Omar Haddad")),
        (["Jane Doe, Omar Haddad"], ("Jane Doe", "Omar Haddad")),
        (["Jane Doe", "jane doe", "JANE DOE"], ("Jane Doe",)),
        (["by Jane Doe · 12 March 2024"], ("Jane Doe",)),
        (["Written by: Li Wei; Ana Souza"], ("Li Wei", "Ana Souza")),
        (["Priya Natarajan, Travel Correspondent"], ("Priya Natarajan",)),
        (["Von Jürgen Weiß"], ("Jürgen Weiß",)),
        (["Updated 5 mins ago"], ()),
        (["https://www.facebook.com/someone"], ()),
        (["Redacción"], ("Redacción",)),  # the desk the page names (as the gold sets count)
        (["von Redaktion", "Author Redaktion"], ("Redaktion",)),
        (["Staff Reporter"], ()),
        (["Cafe\u0301 Owner"], ("Café Owner",)),
    ],
)
def test_clean_authors(raw: list[str], authors: tuple[str, ...]) -> None:
    assert clean_authors(raw) == authors


@pytest.mark.parametrize(
    ("head", "authors"),
    [
        ('<meta name="author" content="By Jane Doe | 3 min read">', ("Jane Doe",)),
        (
            '<script type="application/ld+json">{"@type":"NewsArticle","author":'
            '[{"@type":"Person","name":"Ana Souza"},{"@type":"Organization","name":"Wire Co"}]}'
            "</script>",
            ("Ana Souza",),
        ),
        (
            '<script type="application/ld+json">{"@type":"Article","author":'
            '{"@type":"Organization","name":"Wire Co"}}</script>',
            ("Wire Co",),
        ),
        ('<script type="application/ld+json">{not json</script>', ()),
    ],
)
def test_authors_from_head(head: str, authors: tuple[str, ...]) -> None:
    assert parse_html(_page(_PROSE, head)).authors == authors


def test_authors_from_visible_byline() -> None:
    doc = parse_html(
        _page('<div class="byline">By Kim Lee and Sam Ortiz | 5 Minute Read</div>' + _PROSE)
    )
    assert doc.authors == ("Kim Lee", "Sam Ortiz")
    assert "Minute Read" not in doc.body


def test_rel_author_wins_over_the_byline_text() -> None:
    """trafilatura's author finder reads rel=author before our byline selector (measured:
    more right on the dev pages than the whole byline)."""
    doc = parse_html(
        _page(
            '<p class="byline">By <a rel="author" href="/a/kim">Kim Lee</a>'
            " and Sam Ortiz | 5 Minute Read</p>" + _PROSE
        )
    )
    assert doc.authors == ("Kim Lee",)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<meta property="article:published_time" content="2021-06-01T12:00:00-04:00">',
            "",
            datetime(2021, 6, 1, 16, 0, tzinfo=UTC),
        ),
        (
            '<script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2020-02-02T02:02:02Z"}</script>'
            '<meta property="article:published_time" content="2021-06-01">',
            "",
            datetime(2021, 6, 1, tzinfo=UTC),
        ),  # a stale JSON-LD date outvoted: OpenGraph and htmldate give another day
        (
            '<script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2020-02-02T02:02:02Z"}</script>'
            '<meta property="article:published_time" content="2020-02-02T08:00:00Z">',
            "",
            datetime(2020, 2, 2, 2, 2, 2, tzinfo=UTC),
        ),  # the same day: the most trusted witness's time
        (
            "",
            '<article><time datetime="2019-09-09T09:00:00+02:00">9 Sep</time></article>',
            datetime(2019, 9, 9, 7, 0, tzinfo=UTC),
        ),
        (
            '<link rel="canonical" href="https://example.com/2018/07/04/story-slug/">',
            "",
            datetime(2018, 7, 4, tzinfo=UTC),
        ),  # htmldate fallback, from the URL
        ("", "", None),
    ],
)
def test_published_at_sources(head: str, body: str, expected: datetime | None) -> None:
    assert parse_html(_page(body + _PROSE, head)).published_at == expected


def test_a_date_only_in_the_text_is_found_by_htmldates_extensive_search() -> None:
    # Its quick search finds nothing here: the extensive one runs after it. (The date is
    # far under the headline: no byline's.)
    dated = "<p>Written on 12 March 2021 by the desk.</p>"
    page = read_html_page(
        _page(f"<article><h1>Ferry</h1>{_PROSE}{_PROSE}{dated}</article>"),
        now=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert page.kind == "article"
    assert page.document.published_at == datetime(2021, 3, 12, tzinfo=UTC)
    assert page.document.published_at_source == "htmldate"


# ---------------------------------------------------------------- url, site, title, language


def test_sidecar_url_wins_over_canonical() -> None:
    head = '<link rel="canonical" href="https://news.example.com/a">'
    doc = parse_html(_page('<a href="b">b</a>' + _PROSE, head), url="https://mirror.org/x/y")
    assert doc.url == "https://mirror.org/x/y"
    assert doc.site == "mirror.org"
    assert doc.links[0].target_url == "https://mirror.org/x/b"


@pytest.mark.parametrize(
    ("head", "url", "site"),
    [
        (
            '<link rel="canonical" href="https://www.bbc.co.uk/news/x">',
            "https://www.bbc.co.uk/news/x",
            "bbc.co.uk",
        ),
        (
            '<meta property="og:url" content="https://news.example.com/a">'
            '<meta property="og:site_name" content="Example News">',
            "https://news.example.com/a",
            "Example News",
        ),
        ("", None, None),
    ],
)
def test_url_and_site(head: str, url: str | None, site: str | None) -> None:
    doc = parse_html(_page(_PROSE, head))
    assert (doc.url, doc.site) == (url, site)


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        (
            "<title>Ferry times change | Harbour News</title>"
            '<meta property="og:site_name" content="Harbour News">',
            "",
            "Ferry times change",
        ),
        (
            "<title>Ferry times change</title>",
            "<h1>Ferry times change today</h1>",
            "Ferry times change today",
        ),
        ('<meta property="og:title" content="OG headline">', "<h1>H1 headline</h1>", "H1 headline"),
        (
            '<meta property="og:title" content="Ferry times change">',
            "<h1>Harbour News</h1>",
            "Ferry times change",
        ),  # an <h1> that shares no word with the metadata is not the headline
        (
            "<title>Ferry times change | Harbour News</title>",
            "<h1>Harbour News</h1><h2>x</h2>",
            "Ferry times change",
        ),  # the <h1> is the site's name: the tail part of the <title>
        (
            '<meta property="og:title" content="Ferry times change">',
            "<h1>Ferry times change | Opinion</h1>",
            "Ferry times change",
        ),
        (
            '<meta property="og:title" content="Ferry times change">',
            "<h1>March 4, 2024 Ferry times change</h1>",
            "Ferry times change",
        ),
        (
            '<meta property="og:title" content="The ferry&amp;#8217;s times change">',
            "",
            "The ferry’s times change",
        ),  # entities escaped twice in the page's own metadata
        (
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
            '"Ferry times change after a long"}</script>'
            '<meta property="og:title" content="Ferry times change after a long debate">',
            "",
            "Ferry times change after a long debate",
        ),  # a JSON-LD headline cut short
        (
            '<link rel="canonical" href="https://www.example.com/a">'
            "<title>example.com Ferry times change</title>",
            "",
            "Ferry times change",
        ),
        (
            "<title>Harbour Talk » Blog Archive » Ferry times change on Monday</title>",
            '<h1><a href="https://harbour.example/">Harbour Talk</a></h1>',
            "Ferry times change on Monday",
        ),  # the <h1> is the site's logo, a link to its front page
        (
            "<title>Harbour Talk » Ferry times change on Monday</title>",
            '<a href="/"><h1>Harbour Talk</h1></a>',
            "Ferry times change on Monday",
        ),
        (
            "<title>Ferry times change | Harbour Talk</title>",
            '<h1><a href="/2024/03/ferry-times">Ferry times change</a></h1>',
            "Ferry times change",
        ),  # a headline linked to its own page is a headline
        (
            "<title>Ferry times change | Harbour Talk</title>",
            '<h2 class="entry-title">SW082 – Ferry times change</h2><h2>Comments</h2>',
            "SW082 – Ferry times change",
        ),  # no <h1>: a blog theme's entry title
        (
            "<title>Ferry times | Harbour Talk</title>",
            '<h1>Ferry times</h1><h2 class="entry-title">Ferry times change today</h2>',
            "Ferry times",
        ),  # an <h1> comes first
        ("", "", None),
    ],
)
def test_title(head: str, body: str, title: str | None) -> None:
    assert parse_html(_page(body + _PROSE, head)).title == title


@pytest.mark.parametrize(
    ("lang", "body", "language"),
    [
        ("en-GB", _PROSE, "en"),
        ("FR", _PROSE, "fr"),  # <html lang> wins over the text
        ("", _PROSE, "en"),
        (
            "",
            "<p>Le conseil municipal a voté mardi soir un nouveau budget pour les écoles "
            "primaires de la commune et pour la rénovation de la piscine, après un long débat "
            "sur le prix de l'énergie et sur les horaires d'ouverture en été.</p>",
            "fr",
        ),
        ("not a language", _PROSE, "en"),
        ("", "<p>ok</p>", None),
    ],
)
def test_language(lang: str, body: str, language: str | None) -> None:
    assert parse_html(_page(body, lang=lang)).declared_language == language


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The ferry leaves at 7:40 - on time.", 7),  # "-" holds no letter or digit
        ("港口管理局今天宣布。", 9),  # a character each, punctuation none
        ("渡し船は7時40分に出ます。", 12),  # ten kana and kanji, and "7" and "40"
        ("เรือออกตอนเจ็ดโมง แล้ว", 2),  # Thai: by white space (words need a dictionary)
        ("Ferry 渡轮 times", 4),
        ("Paromul pleacă la ora șapte.", 5),
        ("", 0),
    ],
)
def test_word_count_counts_each_chinese_and_japanese_character(text: str, words: int) -> None:
    assert word_count(text) == words


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_word_count_of_spaced_text_is_its_tokens_holding_a_letter_or_digit(text: str) -> None:
    assert word_count(text) == sum(1 for t in text.split() if any(c.isalnum() for c in t))


# ---------------------------------------------------------------- links


def _links(
    body: str, url: str | None = "https://site.com/news/story", head: str = ""
) -> list[LinkRef]:
    return list(parse_html(_page(body, head), url=url).links)


@pytest.mark.parametrize(
    ("href", "target"),
    [
        ("/a/b", "https://site.com/a/b"),
        ("c", "https://site.com/news/c"),
        ("../up", "https://site.com/up"),
        ("//cdn.other.org/x", "https://cdn.other.org/x"),
        ("https://other.org/p?q=1#frag", "https://other.org/p?q=1#frag"),
        ("  /spaced\n/path ", "https://site.com/spaced/path"),
        ("?page=2", "https://site.com/news/story?page=2"),
    ],
)
def test_url_resolution(href: str, target: str) -> None:
    assert [link.target_url for link in _links(f'<a href="{href}">x</a>')] == [target]


def test_base_href_wins_for_resolution() -> None:
    links = _links('<a href="x/y">x</a>', head='<base href="https://cdn.site.com/root/">')
    assert links[0].target_url == "https://cdn.site.com/root/x/y"


def test_relative_links_without_any_base_stay_relative() -> None:
    assert _links('<a href="/a">a</a>', url=None)[0].target_url == "/a"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:void(0)",
        "JavaScript:alert(1)",
        "mailto:a@b.com",
        "tel:+123",
        "#top",
        "#",
        "",
        "data:text/html,hi",
    ],
)
def test_skipped_hrefs(href: str) -> None:
    assert _links(f'<a href="{href}">x</a><a>no href</a>') == []


@pytest.mark.parametrize(
    ("body", "kind", "title"),
    [
        ('<p>See <a href="/x">the report</a>.</p>', "hyperlink", None),
        (
            '<div class="related-articles"><a href="/x">Other story</a></div>',
            "related",
            "Other story",
        ),
        (
            '<section id="more-stories"><ul><li><a href="/x">Other</a></li></ul></section>',
            "related",
            "Other",
        ),
        ('<div class="recommended"><a href="/x">Rec</a></div>', "related", "Rec"),
        (
            '<aside><ul><li><a href="/x">One</a></li><li><a href="/y">Two</a></li></ul></aside>',
            "related",
            "One",
        ),
        ('<aside><a href="/x">Lone widget link</a></aside>', "hyperlink", None),
        ('<a href="/x" rel="prev">Older headline</a>', "previous_article", "Older headline"),
        ('<a href="/x" rel="next nofollow">Newer headline</a>', "next_article", "Newer headline"),
        (
            "<p>Previous Article</p><p><a href='/x'>The earlier story</a></p>",
            "previous_article",
            "The earlier story",
        ),
        (
            "<div>Next Article</div><h3><a href='/x'>The later story</a></h3>",
            "next_article",
            "The later story",
        ),
        (
            '<a href="/x"><span>Previous Post</span> <span>Earlier</span></a>',
            "previous_article",
            "Earlier",
        ),
        ('<a href="/x">« Older post: Earlier</a>', "previous_article", "Earlier"),
        ('<div class="pagination"><a href="/page/2" rel="next">Next</a></div>', "hyperlink", None),
        (
            "<p>Previous post-season games were dull.</p><a href='/x'>Box score</a>",
            "hyperlink",
            None,
        ),
    ],
)
def test_link_kind(body: str, kind: str, title: str | None) -> None:
    links = _links(body)
    assert (links[0].kind, links[0].target_title) == (kind, title)


def test_label_is_cancelled_by_long_text() -> None:
    body = (
        "<p>Previous Article</p><p>"
        + "Long unrelated paragraph text. " * 10
        + "</p><a href='/x'>Footer link</a>"
    )
    assert _links(body)[0].kind == "hyperlink"


def test_links_keep_document_order_and_collapse_anchor_text() -> None:
    body = (
        '<nav><a href="/n">Nav\n   link</a></nav><p><a href="/t">in  <b>text</b></a></p>'
        '<footer><a href="/f">Foot</a></footer>'
    )
    links = _links(body)
    assert [link.anchor_text for link in links] == ["Nav link", "in text", "Foot"]
    assert [link.kind for link in links] == ["hyperlink"] * 3


def test_every_link_is_recorded_including_duplicates() -> None:
    links = _links('<a href="/x">a</a><a href="/x">a</a><a href="/x"><img src="i.png"></a>')
    assert len(links) == 3
    assert links[2].anchor_text is None


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("http://news.example.com:8080/a", "example.com"),
        ("HTTPS://WWW.Example.COM/", "example.com"),
        ("https://user.github.io/p", "github.io"),
        ("http://192.168.0.1/a", "192.168.0.1"),
        ("http://localhost:8000/", "localhost"),
        ("", None),
    ],
)
def test_registered_domain(url: str, domain: str | None) -> None:
    assert registered_domain(url) == domain


@pytest.mark.parametrize(
    ("url", "site_url", "internal"),
    [
        ("https://news.example.co.uk/a", "https://www.example.co.uk", True),
        ("https://www.site.com/a", "https://site.com/", True),
        ("https://blog.site.com/a", "https://www.site.com/b", True),
        ("https://site.co.uk/a", "https://site.com/", False),
        ("https://other.org/a", "https://site.com/", False),
        ("/relative", "https://site.com/", True),
        ("", "", None),
        ("https://other.org/a", None, None),
    ],
)
def test_is_internal(url: str, site_url: str | None, internal: bool | None) -> None:
    own = registered_domain(site_url)
    assert is_internal(LinkRef("hyperlink", url), link_domain(url, own), own) is internal


@pytest.mark.parametrize("kind", ["previous_article", "next_article"])
def test_a_sites_own_navigation_is_internal_without_a_url(kind: LinkKind) -> None:
    link = LinkRef(kind, None, "The previous story")
    assert is_internal(link, None, "site.com") is True
    assert is_internal(LinkRef("hyperlink", None, "x"), None, "site.com") is None


def test_registered_domain_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert registered_domain("https://never-seen-before.example.co.jp/x") == "example.co.jp"


# ---------------------------------------------------------------- body rules


@pytest.mark.parametrize(
    "chrome",
    [
        '<div id="cookie-banner"><p>We use cookies to improve this site.</p>'
        "<button>Accept all</button></div>",
        '<div class="newsletter"><p>Subscribe to our weekly newsletter for more.</p></div>',
        '<div class="comments"><p>Great article, thanks for writing it up so clearly!</p></div>',
        "<p>No time to read?</p><p>Get a summary</p>",
    ],
)
def test_chrome_is_not_body(chrome: str) -> None:
    doc = parse_html(_page(f"<article><h1>Ferry times</h1>{_PROSE}{_PROSE}</article>{chrome}"))
    assert "Tuesday" in doc.body
    for word in ("cookies", "newsletter", "thanks for writing", "No time to read"):
        assert word not in doc.body


def test_a_server_message_printed_into_the_page_is_not_its_text() -> None:
    """A PHP warning in the sidebar is no text: the short post in its `<p>`s is the body."""
    warning = (
        "<b>Warning</b>: Use of undefined constant replies - assumed 'replies' in "
        "<b>/srv/www/harbour/plugins/recent-replies.php</b> on line <b>412</b><br />"
    )
    post = (
        '<div class="entry"><p>Our second boat arrived on Friday, a week late.</p>'
        "<p>Here it is on the slipway:</p></div>"
    )
    doc = parse_html(_page(f"<h1>Boat two</h1>{post}<div class=side>{warning * 3}</div>"))
    assert "Warning" not in doc.body
    assert "second boat arrived" in doc.body


def test_paragraphs_are_blocks_and_headline_is_not_repeated() -> None:
    doc = parse_html(
        _page(
            "<article><h1>Ferry times</h1>"
            + _PROSE
            + "<p>A second paragraph with<br>a line break inside it, and enough "
            "words to count as prose in the article body.</p></article>"
        )
    )
    assert doc.title == "Ferry times"
    assert doc.paragraphs[0].startswith("The harbour board met")
    assert "Ferry times" not in doc.paragraphs
    assert len(doc.paragraphs) >= 2
    assert doc.body == "\n\n".join(doc.paragraphs)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html></html>",
        _page("<p>Page not found.</p>"),
        _page("<h1>Sign in</h1><form><input name=user><input name=pass></form>"),
    ],
)
def test_no_article_gives_empty_paragraphs(html: str) -> None:
    doc = parse_html(html)
    assert doc.paragraphs == ()
    assert doc.body == ""


def test_a_short_chinese_story_that_mentions_404_is_not_an_error_page() -> None:
    # 46 characters are 46 words: over the 40 that an error page has at most.
    story = (
        "本市今天报告（404）名新生入学，比去年多出三成。",
        "教育局表示，将在明年增开两所小学，并招聘更多教师以满足需求。",
    )
    doc = parse_html(_page("<h1>新生入学人数增加</h1>" + "".join(f"<p>{p}</p>" for p in story)))
    assert doc.paragraphs == story


@pytest.mark.parametrize(
    ("quote", "dropped"),
    [
        ("The ferry is the island's lifeline, and we will keep it running.", True),
        ("“渡轮是岛上居民的生命线，我们会让它继续运行。”", True),  # 20 characters: 20 words
        ("Thank you.", False),  # a short line may well come twice
    ],
)
def test_a_pull_quote_seen_before_is_dropped_in_any_script(quote: str, dropped: bool) -> None:
    lines = [quote, "The board met on Tuesday.", quote, "It will meet again in May."]
    kept = clean_paragraphs(lines, set(), ())
    assert kept.count(quote) == (1 if dropped else 2)


_LONG_STORY = "".join(
    f"<p>Paragraph {n}: the harbour board met on Tuesday to discuss the new ferry timetable, "
    f"which moves crossing number {n} forty minutes earlier and adds a late boat on Fridays "
    "after several members asked for a trial period.</p>"
    for n in range(14)
)
_PROSE_LIST = (
    "<ul>"
    + "".join(
        f"<li>Point {n}: the late boat on Fridays would leave the quay at ten and call at both "
        "island piers before midnight.</li>"
        for n in range(8)
    )
    + "</ul>"
)


@pytest.mark.parametrize(
    ("body", "needed"),
    [
        (f"<article><h1>Ferry</h1>{_PROSE}</article>", True),  # short: under 400 words
        (f"<article><h1>Ferry</h1>{_LONG_STORY}</article>", False),  # long and whole
        (f"<article><h1>Ferry</h1>{_LONG_STORY}{_PROSE_LIST}</article>", False),  # list read
        # a prose list the first reading leaves out: 168 words missed, over 5 % of 519
        (f"<article><h1>Ferry</h1>{_LONG_STORY}</article><div>{_PROSE_LIST}</div>", True),
    ],
)
def test_the_recall_reading_runs_only_when_the_first_looks_incomplete(
    body: str, needed: bool
) -> None:
    tree = parse_tree(_page(body))
    assert tree is not None
    assert needs_recall(tree, read_text(tree, None)) is needed


def test_list_words_the_reading_holds_are_not_missed() -> None:
    tree = parse_tree(_page(f"<article>{_PROSE_LIST}</article>"))
    assert tree is not None
    items = "\n".join(li.text_content() for li in tree.iter("li"))
    assert missed_list_words(tree, items) == 0
    assert missed_list_words(tree, "") == 8 * 21  # eight items of 21 words


def test_text_is_nfc() -> None:
    doc = parse_html(_page("<h1>Cafe\u0301 news</h1>" + _PROSE.replace("harbour", "cafe\u0301")))
    assert doc.title == "Café news"
    assert "café" in doc.body


# ---------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_parse_html_never_raises(text: str) -> None:
    doc = parse_html(text)
    assert doc.source_format == "html"


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<a href='/x'>",
        "</a>",
        "<aside>",
        "<ul><li>",
        "<meta charset='x'>",
        "<base href='::'>",
        "<a href='http://[x'>",
        "<script type='application/ld+json'>{",
        "</script>",
        "<time datetime='9'>",
        "<html lang='zz-ZZ'>",
        "<link rel=canonical href='//'>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_TAGS, st.text(max_size=20)), max_size=40))
def test_parse_html_never_raises_on_tag_soup(parts: list[str]) -> None:
    doc = parse_html("".join(parts), url="https://site.com/a")
    assert all(isinstance(link, LinkRef) for link in doc.links)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_decode_html_raises_only_decode_error(data: bytes) -> None:
    try:
        text = decode_html(data)
    except DecodeError:
        return
    assert isinstance(text, str)
    parse_html(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=512))
def test_decode_html_with_declared_charset_raises_only_decode_error(data: bytes) -> None:
    for label in (b"utf-8", b"idna", b"undefined", b"utf-16", b"rot13", b"shift_jis"):
        with contextlib.suppress(DecodeError):
            decode_html(b'<meta charset="' + label + b'">' + data)
