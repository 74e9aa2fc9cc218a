"""A tiny processed folder for the analyst tests (query, report, examples), built once.

Built by the `news-etl` flow under the session's Prefect harness (tests/conftest.py): five
invented plain articles (three sites, one syndicated copy, links between them by URL; no
publication date, so they count on the ingest day), four dated HTML pages of a fourth site
(one a near-copy of another, one linking to North Ledger), an empty file and a binary one.
(One page per folder in north-ledger and east-wire: two equal pages in one folder would be
learnt as chrome.)
Import the fixture into a test module with `from tests.analyst_fixtures import processed`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ARTICLES = {
    "north-ledger/summit.txt": (
        "https://northledger.example/world/summit",
        "North Ledger",
        "Putin and Xi meet in Beijing for energy talks\n\n"
        "Vladimir Putin met Xi Jinping in Beijing on Tuesday to discuss gas exports.\n\n"
        "Sergei Lavrov joined the talks, while Gazprom prepared new contracts.\n\n"
        "Background: https://southpost.example/news/pipeline-deal\n",
    ),
    "east-wire/summit.txt": (
        "https://eastwire.example/world/summit",
        "East Wire",
        "Putin and Xi meet in Beijing for energy talks\n\n"
        "Vladimir Putin met Xi Jinping in Beijing on Tuesday to discuss gas exports.\n\n"
        "Sergei Lavrov joined the talks, while Gazprom prepared new contracts.\n\n"
        "Background: https://southpost.example/news/pipeline-deal\n",
    ),
    "south-post/pipeline.txt": (
        "https://southpost.example/news/pipeline-deal",
        "South Post",
        "Pipeline deal signed after long negotiations\n\n"
        "President Putin signed the pipeline agreement in Moscow with Recep Tayyip Erdogan.\n\n"
        "Analysts in London expect Gazprom to raise output next year.\n\n"
        "Earlier: https://northledger.example/world/summit\n",
    ),
    "south-post/football.txt": (
        "https://southpost.example/sport/final",
        "South Post",
        "Madrid wins the cup final in Paris\n\n"
        "Real Madrid beat Liverpool in Paris on Saturday night.\n\n"
        "Carlo Ancelotti praised his players after the match.\n",
    ),
    "south-post/markets.txt": (
        "https://southpost.example/business/markets",
        "South Post",
        "Markets steady as oil prices fall\n\n"
        "Shares rose in Tokyo and London as oil prices fell.\n\n"
        "Janet Yellen said the Treasury was watching inflation closely.\n",
    ),
}


def _page(title: str, published: str, url: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title} | Harbour Times</title><link rel='canonical' href='{url}'>"
        f"<meta property='article:published_time' content='{published}'>"
        "<meta property='og:site_name' content='Harbour Times'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Harbour Times, all rights reserved.</footer></body></html>"
    )


_BERLIN = [
    "Olaf Scholz travelled to Beijing on Monday, where Xi Jinping received him for talks on "
    "trade, electric cars and the war in Ukraine.",
    "The German chancellor asked the Chinese president to press Vladimir Putin to end the "
    "fighting, officials in Berlin said after the meeting.",
    "Volkswagen and Siemens sent executives with the delegation, hoping to secure new orders "
    "from Chinese buyers before the end of the year.",
    "Analysts in Frankfurt said the visit showed how much German industry still depends on "
    "the Chinese market, despite warnings from Brussels.",
    "Earlier coverage: <a href='https://northledger.example/world/summit'>the Beijing summit</a>.",
]
HTML_PAGES = {
    "harbour-times/scholz-beijing.html": _page(
        "Scholz meets Xi in Beijing",
        "2024-09-09T10:00:00Z",
        "https://harbourtimes.example/world/scholz-beijing",
        _BERLIN,
    ),
    "harbour-times/scholz-beijing-update.html": _page(
        "Scholz meets Xi in Beijing, pledges closer ties",
        "2024-09-09T18:30:00Z",
        "https://harbourtimes.example/world/scholz-beijing-update",
        [*_BERLIN[:4], "The chancellor will fly on to Tokyo on Wednesday."],
    ),
    "harbour-times/gas-talks.html": _page(
        "Putin and Xi agree on gas prices",
        "2024-09-05T07:15:00Z",
        "https://harbourtimes.example/business/gas-talks",
        [
            "Vladimir Putin and Xi Jinping agreed on a price for gas sent through the new "
            "pipeline, the Kremlin said on Thursday.",
            "Gazprom will start deliveries next spring, according to a statement published in "
            "Moscow after a call between the two leaders.",
            "Traders in London said the deal would weigh on European gas prices over the "
            "winter months.",
        ],
    ),
    "harbour-times/paris-visit.html": _page(
        "Macron hosts Scholz in Paris",
        "2024-08-20T12:00:00Z",
        "https://harbourtimes.example/europe/paris-visit",
        [
            "Emmanuel Macron welcomed Olaf Scholz to Paris on Tuesday for a dinner at the "
            "Elysee Palace.",
            "The two leaders discussed the budget of the European Union and support for "
            "Ukraine, their offices said.",
            "Airbus and Renault executives joined the evening, which ran late into the night.",
        ],
    ),
}
REJECTED = {"south-post/empty.txt": b"", "south-post/blob.txt": b"\x00\x01\x02binary\x00" * 20}


def write_raw(raw: Path) -> Path:
    """Write the invented raw files (with sidecars) under `raw`."""
    for relative, (url, source, text) in ARTICLES.items():
        path = raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        meta = {"url": url, "source": source, "fetched_at": "2024-09-10T08:00:00Z"}
        path.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    for relative, page in HTML_PAGES.items():
        path = raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    for relative, data in REJECTED.items():
        (raw / relative).write_bytes(data)
    return raw


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """A processed folder with every table, built once per test session by the flow."""
    from flows.pipeline import news_etl

    root = tmp_path_factory.mktemp("analyst")
    raw, out = write_raw(root / "raw"), root / "processed"
    news_etl(raw=str(raw), out=str(out), workers=1, batch_size=50)
    return out
