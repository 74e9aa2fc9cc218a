"""`newsetl extract`: one input at a time gives the rows a run writes for it (the same
article row, mentions and links, or the same reject), from a file or from stdin."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from flows.cli import main
from flows.extract import as_text, extract
from tests.helpers import read_table, run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "raw"
DECIDED_AT_COMMIT = {"duplicate_of", "dup_group", "dup_similarity", "ingest_date"}
PAGE = (
    b"<html><head><title>Ferry timetable changes in Bergen</title>"
    b'<meta property="og:site_name" content="Fjord Courier"></head><body><article>'
    b"<h1>Ferry timetable changes in Bergen</h1>"
    b"<p>The ferry company in Bergen said on Monday that the winter timetable would start "
    b"two weeks early this year, after a survey of passengers on the island routes.</p>"
    b"<p>Ingrid Solberg, who runs the harbour office, said the change would cut waiting "
    b'times. The <a href="https://example.org/survey">survey</a> is published online.</p>'
    b"</article></body></html>"
)


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture inputs, run through the pipeline with entities."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(FIXTURES, raw, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("out")
    run_pipeline(raw, out, entities=True)
    return raw, out


def _plain(row: dict[str, Any]) -> dict[str, str]:
    return {k: json.dumps(v, default=str) for k, v in row.items()}


def _by_article(rows: list[dict[str, object]], article_id: object) -> list[dict[str, str]]:
    kept = [_plain(r) for r in rows if r["article_id"] == article_id]
    return sorted(kept, key=lambda r: json.dumps(r, sort_keys=True))


def test_extract_gives_each_input_the_rows_the_run_wrote(processed: tuple[Path, Path]) -> None:
    raw, out = processed
    articles = {str(r["source_path"]): r for r in read_table(out, "articles")}
    rejects = {str(r["source_path"]): r for r in read_table(out, "rejects")}
    mentions, links = read_table(out, "mentions"), read_table(out, "links")
    compared = []
    for path in sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()):
        if path.endswith(".meta.json"):
            continue
        result = extract(raw / path, raw)
        compared.append(path)
        if path in rejects:
            assert result["reject"]["reason"] == rejects[path]["error_type"], path
            assert result["reject"]["message"] == rejects[path]["message"], path
            continue
        written = articles[path]
        shown = {k: v for k, v in result["article"].items() if k in written}
        expected = {k: v for k, v in written.items() if k not in DECIDED_AT_COMMIT}
        assert _plain(shown) == _plain(expected) | {
            k: _plain(shown)[k] for k in DECIDED_AT_COMMIT & set(shown)
        }, path
        article_id = written["article_id"]
        assert _by_article(result["mentions"], article_id) == _by_article(mentions, article_id)
        assert _by_article(result["links"], article_id) == _by_article(links, article_id)
        named = {m["entity_id"] for m in result["mentions"]}
        assert {e["entity_id"] for e in result["entities"]} == named
    assert sorted(compared) == sorted([*articles, *rejects])
    assert len(articles) >= 5 and len(mentions) >= 20 and rejects


def test_extract_reads_a_page_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE)))
    assert main(["extract", "--json", "--no-entities", "--name", "ferry.html"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["input"] == "ferry.html"
    article = result["article"]
    assert article["title"] == "Ferry timetable changes in Bergen"
    assert article["source_format"] == "html"
    assert article["site_name"] == "Fjord Courier"
    assert article["body"].startswith("The ferry company in Bergen said on Monday")
    assert [link["target_url"] for link in result["links"]] == ["https://example.org/survey"]
    assert result["entities"] == result["mentions"] == []  # --no-entities


def test_extract_text_view_names_the_verdict_fields_entities_and_links(tmp_path: Path) -> None:
    page = tmp_path / "ferry.html"
    page.write_bytes(PAGE)
    result = extract(page, tmp_path / "elsewhere")
    text = as_text(result, 0.2)
    assert text.startswith(
        f"== {page} (0.20 s)\npage kind: article (no evidence (score 0; 4 or more is an index))\n"
    )
    assert "\ntitle: Ferry timetable changes in Bergen\n" in text
    assert "PERSON       Ingrid Solberg  ×1" in text
    assert "links (1: 0 internal, 1 external):" in text


def test_extract_says_why_an_input_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", str(empty), "--no-entities"]) == 0
    shown = capsys.readouterr().out
    assert shown.splitlines()[1:] == [
        "rejected at decode: empty_file",
        "why: file is empty or holds only white space",
    ]
    assert main(["extract", str(tmp_path / "nope.html")]) == 2
    assert "nope.html: no such file" in capsys.readouterr().err


def test_extract_text_view_shows_the_page_kind_and_its_evidence() -> None:
    evidence = "24 links of two words or more +3, no sentence +3 (score 6; 4 or more is an index)"
    article = {"page_kind": "index", "page_kind_score": 6, "page_kind_evidence": evidence}
    result = {"input": "front.html", "article": article | {"title": "World", "body": "Home"}}
    text = as_text(result | {"entities": [], "mentions": [], "links": []}, 0.1)
    assert text.splitlines()[1:3] == [f"page kind: index ({evidence})", "title: World"]
    scored = {"page_kind": "article", "page_kind_score": -2, "body": ""}
    shown = as_text(result | {"article": scored, "entities": [], "mentions": [], "links": []}, 0)
    assert shown.splitlines()[1] == "page kind: article (index score -2)"
