"""Index pages are rows labelled `index` with their evidence and text; short news and
headline-heavy sidebars are labelled articles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import document_fromstring

from transforms.html.kind import INDEX_MIN_SCORE, explain, index_score, is_index_page
from transforms.html.kind_signals import PageSignals, headline_words, page_signals, with_text
from transforms.html.page import read_html_page
from transforms.parse.document import RawInput, parse_input
from transforms.records import ParsedDocument, Reject

PAGES = Path(__file__).parent / "html_pages"
PLAIN = PageSignals(
    link_text_share=0.2,
    prices=0,
    shop_buttons=0,
    pager_links=0,
    sort_words=0,
    headings=4,
    linked_headings=0,
    title_words=8,
    page_types=frozenset(),
    url_segments=3,
    slug_hyphens=3,
    url_has_date=False,
    prose_paragraphs=2,
)


def test_a_plain_page_scores_zero() -> None:
    assert index_score(PLAIN) == 0
    assert not is_index_page(PLAIN)


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        ({"link_text_share": 0.5}, 1),
        ({"link_text_share": 0.7}, 3),  # the page's link share alone is no index
        ({"teaser_links": 20}, 1),
        ({"teaser_links": 19}, 0),
        ({"shop_buttons": 2}, 3),
        ({"prices": 12}, 1),
        ({"prices": 25}, 3),
        ({"prices": 60}, 4),
        ({"pager_links": 2}, 4),  # a list that goes on to its second page
        ({"sort_words": 6}, 1),
        ({"headings": 10, "linked_headings": 6}, 1),
        ({"title_words": 2}, 1),
        ({"title_words": 2, "title_chars": 24}, 1),
        ({"title_words": 2, "title_chars": 27}, 0),  # "Betriebliche Altersvorsorge"
        ({"page_types": frozenset({"collectionpage"})}, 1),
        ({"page_types": frozenset({"og:website"})}, 1),
        ({"page_types": frozenset({"og:product.group"})}, 2),
        ({"url_segments": 1, "slug_hyphens": 0}, 1),
        ({"url_segments": 0, "slug_hyphens": 0}, 3),  # the front page: short URL +1, front +2
        ({"url_segments": None, "slug_hyphens": 0}, 0),  # no URL: no evidence either way
        ({"section_url": True}, 2),
        # `/?p=2895`: no front page nor short URL, and one item by its number
        ({"url_segments": 0, "slug_hyphens": 0, "url_names_item": True}, -1),
        ({"url_segments": 1, "slug_hyphens": 0, "url_names_item": True}, -1),
        ({"url_names_item": True}, -1),
        ({"slug_hyphens": 6}, -3),
        ({"page_types": frozenset({"og:article", "newsarticle"})}, -2),
        ({"page_types": frozenset({"og:video"})}, -1),  # a video story is one story
        ({"page_types": frozenset({"og:video.other"})}, -1),
        ({"url_has_date": True}, -1),
        ({"prose_paragraphs": 3}, -1),
        ({"prose_paragraphs": 12}, -2),
        ({"prose_paragraphs": None}, -2),  # text not read yet: counted as all prose
        ({"headline_share": 0.0}, 2),
        ({"headline_share": 0.004}, 2),
        ({"headline_share": 0.02}, 0),
        ({"headline_share": None}, 0),  # text not read yet, or a headline of function words
        ({"has_sentence": False}, 3),
        # one story by its metadata, no sentence: its text's rules are not counted
        ({"has_sentence": False, "page_types": frozenset({"og:article"})}, -1),
        (
            {"has_sentence": False, "text_link_share": 0.5, "page_types": frozenset({"og:video"})},
            -1,
        ),
        ({"has_sentence": False, "page_types": frozenset({"og:website"})}, 4),
        ({"has_sentence": True}, 0),
        ({"has_sentence": None}, 0),  # text not read yet, or in Thai, Lao…
        ({"text_link_share": 0.25}, 1),
        ({"text_link_share": 0.1}, 0),
        ({"text_link_share": None}, 0),  # text not read yet
    ],
)
def test_each_signal_is_worth_its_points(changes: dict[str, object], points: int) -> None:
    assert index_score(replace(PLAIN, **changes)) == points  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    share=st.floats(0, 1),
    prices=st.integers(0, 80),
    buttons=st.integers(0, 3),
    title_words=st.integers(0, 12),
    section=st.booleans(),
    prose=st.integers(0, 40),
    headline_share=st.none() | st.floats(0, 1),
    has_sentence=st.none() | st.booleans(),
    text_link_share=st.none() | st.floats(0, 1),
)
def test_an_index_on_its_markup_alone_is_an_index_with_any_text(
    share: float,
    prices: int,
    buttons: int,
    title_words: int,
    section: bool,
    prose: int,
    headline_share: float | None,
    has_sentence: bool | None,
    text_link_share: float | None,
) -> None:
    """The early exit (the page is not read) never rejects what reading would have kept."""
    unread = replace(
        PLAIN,
        link_text_share=share,
        prices=prices,
        shop_buttons=buttons,
        title_words=title_words,
        section_url=section,
        prose_paragraphs=None,
    )
    if is_index_page(unread):
        read = replace(
            unread,
            prose_paragraphs=prose,
            headline_share=headline_share,
            has_sentence=has_sentence,
            text_link_share=text_link_share,
        )
        assert is_index_page(read)


@pytest.mark.parametrize(
    ("title", "paragraphs", "share"),
    [
        # 40 of the 140 words are the headline's ("ferry", "fares"); "the" is not counted.
        ("The harbour ferry fares", ("Ferry fares stay the same this year.",) * 20, 40 / 140),
        ("Science", ("Storm closes the bridge.",) * 25, 0.0),
        ("Science", ("Storm closes the bridge.",) * 24, None),  # 96 words: too short to tell
        ("How it was", ("Storm closes the bridge.",) * 25, None),  # only function words
        ("Science", (), None),  # no text
    ],
)
def test_the_headline_share_counts_the_headlines_content_words_in_the_text(
    title: str, paragraphs: tuple[str, ...], share: float | None
) -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    signals = with_text(page_signals(tree, None, title, frozenset()), paragraphs)
    assert signals.headline_share == share
    assert signals.prose_paragraphs == 0


TWELVE_WORDS = "The first ferry leaves forty minutes earlier from Monday, the board said"


@pytest.mark.parametrize(
    ("paragraphs", "has_sentence"),
    [
        ((f"{TWELVE_WORDS}.",), True),
        ((f"{TWELVE_WORDS}!” Read more", "Share"), True),  # ended inside the paragraph
        (("Harbour mug, blue", "£12.00", "Add to basket", f"{TWELVE_WORDS} and more"), False),
        (("The first ferry leaves forty minutes earlier from Monday, they said.",), False),  # 11
        (("पहली नौका सोमवार से चालीस मिनट पहले निकलेगी, बंदरगाह बोर्ड ने आज कहा है।",), True),
        (("从下周一起，第一班渡轮将提前四十分钟出发。",), True),  # a word per character
        (("เรือเที่ยวแรกจะออกเร็วขึ้นสี่สิบนาทีตั้งแต่วันจันทร์",), None),  # Thai: no sentence end
        ((), False),
    ],
)
def test_a_sentence_is_twelve_words_or_more_ended_like_one_in_any_script(
    paragraphs: tuple[str, ...], has_sentence: bool | None
) -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    assert with_text(page_signals(tree, None, "Ferry", frozenset()), paragraphs).has_sentence is (
        has_sentence
    )


def test_the_text_link_share_counts_each_character_once_and_no_one_word_link() -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    links = ["Quay wall repaired", "Quay wall", "News", ""]
    signals = page_signals(tree, None, "Harbour", frozenset(), anchor_texts=links)
    assert signals.link_texts == ("quay wall repaired", "quay wall")
    teaser = "Quay wall repaired: divers finished the work on the old wall."
    read = with_text(signals, (teaser, "News from the quay wall."))
    linked = len("Quay wall repaired") + len("quay wall")
    assert read.text_link_share == linked / (len(teaser) + len("News from the quay wall."))
    assert with_text(signals, ()).text_link_share is None


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(st.text(max_size=80), max_size=6),
    links=st.lists(st.text(max_size=30), max_size=8),
)
def test_the_text_link_share_is_a_share(paragraphs: list[str], links: list[str]) -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    signals = page_signals(tree, None, "Harbour", frozenset(), anchor_texts=links)
    share = with_text(signals, paragraphs).text_link_share
    if any(paragraphs):
        assert share is not None and 0.0 <= share <= 1.0
    else:
        assert share is None


def test_a_shop_category_is_an_index_and_a_short_dated_story_is_not() -> None:
    shop = replace(PLAIN, shop_buttons=12, prices=40, title_words=2, prose_paragraphs=0)
    assert index_score(shop) >= INDEX_MIN_SCORE
    story = replace(shop, shop_buttons=0, prices=0, url_has_date=True, slug_hyphens=6)
    assert not is_index_page(story)


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://news.example/news", True),
        ("https://news.example/category/science", True),
        ("https://news.example/topics/harbour", True),
        ("https://shop.example/collections/all-mugs", True),
        ("https://shop.example/c/fire-pits", True),
        ("https://news.example/category/science/ferry-times-change-on-monday", False),
        ("https://news.example/blog/how-we-rebuilt-the-harbour-wall", False),
        ("https://news.example/2024/05/06/ferry", False),
        ("https://news.example/", False),
        ("https://news.example/en/world/news", True),
        # a section word deep down names a thing, not a section: a designer's collection
        ("https://style.example/runway/spring-rtw/jo-harbour/collection/", False),
    ],
)
def test_a_section_url_is_told_from_a_story_url(url: str, section: bool) -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    assert page_signals(tree, url, "Title", frozenset()).section_url is section


@pytest.mark.parametrize(
    ("url", "names_item"),
    [
        ("https://blog.example/?p=2895", True),
        ("https://park.example/dettaglio.php?id=58354", True),
        ("https://swim.example/news/lesen/?tx_ttnews%5Btt_news%5D=5793&cHash=36feb", True),
        ("https://shop.example/?srsltid=AfmB0x12", False),  # a tracking code, not an item
        ("https://shop.example/c.php?page=2", False),
        ("https://news.example/", False),
        (None, False),
    ],
)
def test_a_query_naming_an_item_by_number_is_neither_front_nor_short_url(
    url: str | None, names_item: bool
) -> None:
    tree = document_fromstring("<html><body><p>Text</p></body></html>")
    signals = page_signals(tree, url, "Title", frozenset())
    assert signals.url_names_item is names_item
    held = explain(signals)
    assert ("front page" in held or "short URL" in held) is (url is not None and not names_item)


@pytest.mark.parametrize(
    ("links", "pager"),
    [
        ('<a href="?page=2">2</a><a href="/list?page=2&amp;sort=new">Next</a>', 2),
        ('<a href="/news/page/2/">2</a><a href="/news/page/2">Next</a>', 2),
        ('<a href="/shop?paged=2#top">2</a>', 1),
        # a blog post's rel=next is the next story, and /page/2251/ is no second page
        ('<a rel="next" href="/2013/09/17/the-next-story">Next post</a>', 0),
        ('<a href="/page/2251/free-forms">Forms</a><a href="?page=23">23</a>', 0),
    ],
)
def test_pagination_is_a_link_to_the_second_page_of_a_list(links: str, pager: int) -> None:
    tree = document_fromstring(f"<html><body><p>Text</p>{links}</body></html>")
    assert page_signals(tree, None, "Title", frozenset()).pager_links == pager


def _html(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


SIDEBAR = (
    "<aside><h3>Most read</h3><ul>"
    + "".join(
        f'<li><h3><a href="/news/story-number-{i}-about-the-harbour">Harbour story number {i} '
        "draws a crowd on the quay</a></h3></li>"
        for i in range(12)
    )
    + "</ul></aside>"
)


def test_a_short_news_item_with_a_headline_sidebar_stays_an_article() -> None:
    page = _html(
        "<article><h1>Ferry times change on Monday</h1><p>The first ferry will leave forty "
        "minutes earlier from Monday, the harbour board said, after a trial in May.</p>"
        "</article>" + SIDEBAR,
        '<meta property="og:type" content="article">'
        '<link rel="canonical" href="https://harbour.example/2024/05/06/ferry-times-change-on-monday">',
    )
    parsed = parse_input(RawInput("site/ferry.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert "forty minutes earlier" in parsed.body


# A section front's teasers: headlines, then a sentence each (none names "Technology").
TEASERS = (
    ("Ferry times change", "The first boat leaves forty minutes earlier from Monday, after a"),
    ("Quay wall repaired", "Divers finished the work on the old stone wall a week ahead of"),
    ("Lifeboat crew honoured", "Four volunteers were thanked by the mayor for a night rescue"),
    ("Fish market reopens", "Stalls return to the old hall on Friday morning, with eleven"),
    ("Tide tables printed", "Copies for the coming year are free at the office on the quay,"),
    ("Regatta entries open", "Boats of every class can enter until the end of June; the races"),
)


def test_a_section_front_whose_text_never_names_its_headline_is_an_index() -> None:
    teasers = "".join(
        f'<h2><a href="/2024/05/0{i}/story-{i}">{headline}</a></h2><p>{start} while the '
        "harbour board looks on.</p>"
        for i, (headline, start) in enumerate(TEASERS)
    )
    page = _html(
        f"<h1>Technology</h1>{teasers}",
        '<link rel="canonical" href="https://harbour.example/technology">',
    )
    parsed = parse_input(RawInput("harbour/technology.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert (parsed.page_kind, parsed.page_kind_score) == ("index", 5)
    assert "headline missing from the text +2" in (parsed.page_kind_evidence or "")
    # the label drops nothing: the teasers' text and links are all there
    assert all(start in parsed.body for _, start in TEASERS)
    assert {link.target_url for link in parsed.links} >= {
        f"https://harbour.example/2024/05/0{i}/story-{i}" for i in range(len(TEASERS))
    }


def test_an_article_in_a_script_without_spaces_is_not_judged_on_its_headline_words() -> None:
    # `\w+` reads a Chinese headline as one "word" that the text never repeats verbatim.
    assert headline_words("港口渡轮时刻表调整") == frozenset()
    sentence = (
        "港口管理局今天宣布，从下周一起，第一班渡轮将提前四十分钟出发，以方便早起上班的市民。"
    )
    page = _html(
        "<h1>港口渡轮时刻表调整</h1>" + "".join(f"<p>{sentence}{i}</p>" for i in range(60)),
        '<meta property="og:type" content="website">'
        '<link rel="canonical" href="https://harbour.example.cn/ferry">',
    )  # +1 og:website, +1 short URL: +2 more would make it an index
    parsed = parse_input(RawInput("harbour/ferry.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.title == "港口渡轮时刻表调整"


@pytest.mark.parametrize(
    ("headline", "sentence"),
    [
        (
            "Harbour ferry timetable changes",
            "The harbour board said today that from next Monday the first ferry will leave forty"
            " minutes earlier, so that people who start work early can cross in time.",
        ),
        (
            "港口渡轮时刻表调整",
            "港口管理局今天宣布，从下周一起，第一班渡轮将提前四十分钟出发，方便早起上班的市民过海。",
        ),
        (
            "港の渡し船の時刻表が変わります",
            "港湾局は今日、来週の月曜日から始発の渡し船を四十分早く出すと発表しました。",
        ),
    ],
)
def test_a_news_site_front_page_article_is_kept_in_any_script(headline: str, sentence: str) -> None:
    # A front page (+3 with its short URL) that says og:website (+1): its prose counts (-2).
    page = _html(
        f"<h1>{headline}</h1>" + "".join(f"<p>{i}. {sentence}</p>" for i in range(12)),
        '<meta property="og:type" content="website">'
        '<link rel="canonical" href="https://harbour.example/">',
    )
    parsed = parse_input(RawInput("harbour/index.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.title == headline


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A brief: one sentence is text enough for an article (+3 from the page's shell).
        (
            "<p>The first ferry will leave forty minutes earlier from Monday, the harbour board "
            "said after a trial in May.</p>",
            "article",
        ),
        # A grid of names: not one sentence (+3 more).
        (
            "".join(
                f'<div><h3><a href="/p/{i}">Harbour lamp {i}</a></h3><p>Rear light, 40 lumens'
                "</p></div>"
                for i in range(10)
            ),
            "index",
        ),
    ],
)
def test_a_text_without_a_sentence_is_an_index_where_a_brief_is_an_article(
    text: str, kind: str
) -> None:
    page = _html(
        f"<h1>Lights</h1>{text}",
        '<meta property="og:type" content="website">'
        '<link rel="canonical" href="https://harbour.example/lights">',
    )  # +1 a headline of 3 words or fewer, +1 og:website, +1 a short URL
    parsed = parse_input(RawInput("harbour/lights.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.page_kind == kind
    if kind == "article":
        assert "forty minutes earlier" in parsed.body
    else:
        assert parsed.body == "Rear light, 40 lumens"
        assert parsed.page_kind_evidence == (  # the evidence, for whoever reads the row
            "linked headings +1, short headline +1, site og:type +1, short URL "
            "+1, no sentence in the text +3 (score 7; 4 or more is an index)"
        )


def test_a_shop_grid_with_only_prices_for_text_is_an_index_not_an_empty_page() -> None:
    tiles = "".join(
        f'<div class="tile"><a href="/p/{i}"><img src="/i/{i}.jpg" alt=""></a>'
        f"<span>$2{i}.00</span><button>Add to cart</button></div>"
        for i in range(30)
    )
    page = _html(tiles, '<link rel="canonical" href="https://shop.example/collections/mugs">')
    parsed = parse_input(RawInput("shop/mugs.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.page_kind == "index"
    assert "$21.00" in parsed.body


def test_a_shop_category_page_is_an_index() -> None:
    items = "".join(
        f'<div class="product"><h3><a href="/p/{i}">Harbour mug {i}</a></h3><p>$1{i}.99</p>'
        "<button>Add to cart</button></div>"
        for i in range(24)
    )
    page = _html(
        "<h1>Mugs</h1><p>Sort by: price</p><p>Our mugs are made in the harbour town by local "
        "potters, fired twice and glazed by hand so that no two are the same colour.</p>" + items,
        '<link rel="canonical" href="https://shop.example/mugs">',
    )
    parsed = parse_input(RawInput("shop/mugs.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.page_kind == "index"
    assert "shop buttons +3" in (parsed.page_kind_evidence or "")
    assert "fired twice and glazed by hand" in parsed.body


def test_the_golden_listing_is_a_row_labelled_index() -> None:
    parsed = parse_input(
        RawInput("listing_index.html", (PAGES / "listing_index.html").read_bytes())
    )
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.page_kind == "index"
    assert parsed.page_kind_score is not None and parsed.page_kind_score >= INDEX_MIN_SCORE
    assert parsed.body and parsed.links


def test_the_golden_not_found_page_says_so_in_its_reject() -> None:
    parsed = parse_input(RawInput("no_article.html", (PAGES / "no_article.html").read_bytes()))
    assert isinstance(parsed, Reject)
    assert (parsed.stage, parsed.error_type) == ("parse", "error_page")
    assert "no article text (title 'Page not found')" in parsed.message


@pytest.mark.parametrize(
    ("title", "text", "error_page"),
    [
        ("Forbidden", "You don't have permission to access this resource.", True),
        ("Page Not Found: Details", "Check out stories about watches and suits. " * 10, True),
        ("Cigar rollers in Havana", "It's a formerly forbidden fruit sure to be enjoyed.", False),
        ("Forbidden love in the hills", "The play opens on Friday at the harbour hall.", False),
    ],
)
def test_an_error_page_is_told_by_its_title_or_its_few_words(
    title: str, text: str, error_page: bool
) -> None:
    page = _html(f"<h1>{title}</h1><p>{text}</p>", f"<title>{title}</title>")
    parsed = parse_input(RawInput("site/page.html", page))
    if error_page:
        assert isinstance(parsed, Reject), parsed
        assert parsed.error_type == "error_page"
    else:
        assert isinstance(parsed, ParsedDocument), parsed
        assert text.strip() in parsed.body


def test_teaser_links_are_counted_by_their_targets() -> None:
    teasers = "".join(
        f'<li><a href="/2024/05/story-{i}">The harbour board approves plan number {i} for '
        "the quay</a></li>"
        for i in range(20)
    )
    repeated = (
        '<a href="/2024/05/story-0">The harbour board approves plan number 0 for the quay</a>'
    )
    page = _html(f"<h1>Harbour</h1><ul>{teasers}</ul>{repeated}<p>Short menu</p>")
    read = read_html_page(page.decode(), url="https://harbour.example/harbour")
    assert read.signals is not None and read.signals.teaser_links == 20
    assert "20 teaser links +1" in (read.document.page_kind_evidence or "")


# A video page as saved: the site's menus around a player, no sentence of the story.
VIDEO_PAGE = (
    "<nav>"
    + "".join(f'<a href="/{s.lower()}">{s}</a> ' for s in ("News", "Sport", "Weather", "Boats"))
    + "".join(f'<h2><a href="/section/{i}">Harbour section {i}</a></h2>' for i in range(6))
    + "</nav><h1>Video: the regatta seen from the air</h1><div class='player'></div>"
    + "<footer>Harbour Times</footer>"
)


@pytest.mark.parametrize(
    ("og_type", "kind"),
    [
        ("article", "article"),  # one story by its metadata: its text's rules do not count
        ("website", "index"),  # the same menus on a site's page: the text's rules count
    ],
)
def test_a_story_page_without_a_sentence_is_scored_on_its_markup(og_type: str, kind: str) -> None:
    page = _html(
        VIDEO_PAGE,
        f'<meta property="og:type" content="{og_type}">'
        '<link rel="canonical" href="https://harbour.example/video/regatta-from-the-air">',
    )
    parsed = parse_input(RawInput("harbour/regatta.html", page))
    assert isinstance(parsed, ParsedDocument), parsed
    assert parsed.page_kind == kind
    assert "Harbour section 3" in parsed.body  # a label: the text stays either way
    told = "one story's metadata, no sentence in its text: the text not counted"
    assert (told in (parsed.page_kind_evidence or "")) is (kind == "article")
