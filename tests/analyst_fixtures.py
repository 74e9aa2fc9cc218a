"""A tiny processed folder for the analyst tests (query, report, examples), built once.

Built by the `news-etl` flow under the session's Prefect harness (tests/conftest.py): five
invented plain articles (three sites, one syndicated copy, links between them by URL), an
empty file and a binary one. (One page per folder in north-ledger and east-wire: two equal
pages in one folder would be learnt as chrome.)
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
REJECTED = {"south-post/empty.txt": b"", "south-post/blob.txt": b"\x00\x01\x02binary\x00" * 20}


def write_raw(raw: Path) -> Path:
    """Write the invented raw files (with sidecars) under `raw`."""
    for relative, (url, source, text) in ARTICLES.items():
        path = raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        meta = {"url": url, "source": source, "fetched_at": "2024-09-10T08:00:00Z"}
        path.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
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
