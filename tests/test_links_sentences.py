"""Links written in text, the normalised link keys, sentences and summaries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.text.sentences import sentence_index, sentence_starts, split_sentences, summarize
from transforms.text.urls import find_text_urls, registered_domain, title_key, url_key


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See https://example.org/a/b.", ["https://example.org/a/b"]),
        ("(source: http://x.io/report?id=3), then", ["http://x.io/report?id=3"]),
        ("Visit www.site.com/news today", ["http://www.site.com/news"]),
        ("No links here.", []),
        ("Two: https://a.org and https://b.org/x!", ["https://a.org", "https://b.org/x"]),
    ],
)
def test_find_text_urls(text: str, urls: list[str]) -> None:
    links = find_text_urls(text)
    assert [link.target_url for link in links] == urls
    assert {link.kind for link in links} <= {"hyperlink"}


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.Example.org/news/a/", "example.org/news/a"),
        ("http://example.org:80/news/a#top", "example.org/news/a"),
        ("https://example.org/a?utm_source=x&b=2&a=1", "example.org/a?a=1&b=2"),
        ("https://example.org:8443/a", "example.org:8443/a"),
        ("not a url", None),
        (None, None),
    ],
)
def test_url_key(url: str | None, key: str | None) -> None:
    assert url_key(url) == key


def test_title_key_folds_case_punctuation_and_space() -> None:
    assert title_key("Ukraine and Poland: Grain — Tensions!") == "ukraine and poland grain tensions"
    assert title_key("  ") is None


def test_sentences_respect_abbreviations() -> None:
    text = "Mr. Holm met Dr. Sandberg in the U.S. on Monday. They agreed. Talks resume soon!"
    assert split_sentences(text) == [
        "Mr. Holm met Dr. Sandberg in the U.S. on Monday.",
        "They agreed.",
        "Talks resume soon!",
    ]


def test_chinese_and_japanese_sentences_end_at_their_full_stops() -> None:
    text = "港口管理局今天宣布了新的时刻表。第一班渡轮将提前出发！市民怎么看？「很方便。」她说。"
    assert split_sentences(text) == [
        "港口管理局今天宣布了新的时刻表。",
        "第一班渡轮将提前出发！",
        "市民怎么看？",
        "「很方便。」",
        "她说。",
    ]
    assert split_sentences("渡し船が早く出ます。便利です。") == [
        "渡し船が早く出ます。",
        "便利です。",
    ]
    summary = split_sentences(summarize(text, max_sentences=2))  # two sentences, not the text
    assert len(summary) == 2
    assert all(sentence in text for sentence in summary)


def test_sentence_index_of_offsets() -> None:
    text = "First one. Second one.\n\nThird paragraph here."
    starts = sentence_starts(text)
    assert [sentence_index(starts, text.index(w)) for w in ("First", "Second", "Third")] == [
        0,
        1,
        2,
    ]


def test_summary_is_sentences_of_the_body_in_order() -> None:
    body = (
        "Grain exports fell sharply in March. Farmers blamed the grain levy. The weather "
        "was mild. Officials said grain exports would recover. A minister resigned."
    )
    summary = summarize(body, max_sentences=2)
    sentences = split_sentences(summary)
    assert len(sentences) == 2
    assert all(s in body for s in sentences)
    assert body.index(sentences[0]) < body.index(sentences[1])


@given(st.text(max_size=500))
def test_sentence_starts_are_increasing_offsets_inside_the_text(text: str) -> None:
    starts = sentence_starts(text)
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    assert all(0 <= s <= max(len(text) - 1, 0) for s in starts)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/a", "bbc.co.uk"),
        ("https://northledger.example/a", "northledger.example"),  # no public suffix: the host
        ("https://www.southgazette.example/", "southgazette.example"),
        ("http://10.0.0.1/a", "10.0.0.1"),
        ("www.site.com/news", "site.com"),
        ("relative/path", None),
        ("/abs/path", None),
        ("mailto:desk@example.org", None),
    ],
)
def test_registered_domain(url: str, domain: str | None) -> None:
    assert registered_domain(url) == domain
