"""No failure looks like success, and nothing is ignored in silence: a failed batch fails the
run after the rest is committed; a poison input is a reject; what a run skipped or cannot see
(broken sidecars, deleted inputs, inputs processed without entities) is reported or redone."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import pyarrow as pa
import pytest

from flows import batch as batch_module
from flows.cli import main
from flows.exit_codes import EXIT_FAILED
from tests.helpers import read_table, run_pipeline
from transforms.entities.article import extract_mentions
from transforms.output import finalize as finalize_module
from transforms.output.checks import check_batch

STORIES = {
    f"site/{name}.txt": f"{title}\n\nMaria Lopez said in Lisbon on Monday that the {name} plan "
    f"would go ahead, despite objections from the Harbour Workers Union.\n"
    for name, title in [
        ("ferry", "Ferry plan approved"),
        ("bridge", "Bridge plan approved"),
        ("tram", "Tram plan approved"),
        ("poison", "Poison plan approved"),
        ("school", "School plan approved"),
    ]
}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    for name, text in STORIES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _fail_batches_holding(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = check_batch  # the function `finalize_module` imports

    def check(tables: Mapping[str, pa.Table], inputs: Collection[str]) -> list[str]:
        return ["a check failed"] if path in inputs else real(tables, inputs)

    monkeypatch.setattr(finalize_module, "check_batch", check)


def test_a_failed_batch_fails_the_flow_run_after_the_rest_commits(
    prefect_harness: None, raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.pipeline import news_etl

    _fail_batches_holding("site/poison.txt", monkeypatch)
    out = tmp_path / "out"
    state = news_etl(
        raw=str(raw), out=str(out), batch_size=2, workers=1, entities=False, return_state=True
    )
    assert state.is_failed()
    assert "1 batch(es) failed: batch 2/3 (2 inputs)" in str(state.message)
    committed = sorted(str(r["source_path"]) for r in read_table(out, "articles"))
    assert committed == ["site/bridge.txt", "site/ferry.txt", "site/tram.txt"]
    status = main(["run", "--raw", str(raw), "--out", str(out), "--workers", "1", "--quiet"])
    assert status == EXIT_FAILED  # the same batch fails again: still not success
    monkeypatch.undo()
    assert main(["run", "--raw", str(raw), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert len(read_table(out, "articles")) == 5
    # The CLI used the API Prefect is configured for (the harness), no server of its own.
    from flows.server import server_status

    assert server_status() is None


def test_a_poison_input_in_the_entity_stage_is_a_reject(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extract_mentions  # the function `batch_module` imports

    def mentions(nlp: object, bodies: list[str], language: str = "en") -> object:
        if any("poison plan" in body for body in bodies):
            raise ValueError("the model broke on this body")
        return real(nlp, bodies, language)

    monkeypatch.setattr(batch_module, "extract_mentions", mentions)
    out = tmp_path / "out"
    summary = run_pipeline(raw, out, entities=True)
    assert not summary.failed
    (reject,) = read_table(out, "rejects")
    assert (reject["source_path"], reject["stage"]) == ("site/poison.txt", "enrich")
    assert "the model broke on this body" in str(reject["message"])
    assert len(read_table(out, "articles")) == 4
    assert {m["surface"] for m in read_table(out, "mentions")} >= {"Maria Lopez", "Lisbon"}


def test_inputs_processed_without_entities_get_them_on_the_next_run(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_pipeline(raw, out, entities=False).inputs_planned == 5
    assert read_table(out, "mentions") == []
    assert run_pipeline(raw, out, entities=False, run_id="2024-b").inputs_planned == 0
    assert run_pipeline(raw, out, entities=True, run_id="2024-c").inputs_planned == 5
    assert len({m["article_id"] for m in read_table(out, "mentions")}) == 5
    # An input with entities needs nothing more from a run without them.
    assert run_pipeline(raw, out, entities=False, run_id="2024-d").inputs_planned == 0


def test_broken_sidecars_and_deleted_inputs_are_reported_and_pruned_on_request(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (raw / "site" / "ferry.meta.json").write_text("{not json")
    summary = run_pipeline(raw, out)
    assert summary.notes["site/ferry.txt"].startswith("sidecar ferry.meta.json is not valid JSON")
    (raw / "site" / "tram.txt").unlink()
    kept = run_pipeline(raw, out, run_id="2024-b")
    assert (kept.deleted_inputs, kept.pruned_inputs) == (1, 0)
    assert "site/tram.txt" in {r["source_path"] for r in read_table(out, "articles")}
    pruned = run_pipeline(raw, out, run_id="2024-c", prune=True)
    assert (pruned.deleted_inputs, pruned.pruned_inputs) == (1, 1)
    assert "site/tram.txt" not in {r["source_path"] for r in read_table(out, "articles")}
    assert len(read_table(out, "articles")) == 4
    assert run_pipeline(raw, out, run_id="2024-d").deleted_inputs == 0


def test_pruning_an_input_takes_its_entities_with_it(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (raw / "site" / "tram.txt").write_text(
        "Tram plan approved\n\nMayor Ines Duarte opened the tram line in Porto on Monday.\n"
    )
    run_pipeline(raw, out, entities=True)
    assert "Ines Duarte" in {e["name"] for e in read_table(out, "entities")}
    (raw / "site" / "tram.txt").unlink()
    run_pipeline(raw, out, entities=True, prune=True, run_id="2024-b")
    entities = {e["entity_id"]: e["name"] for e in read_table(out, "entities")}
    assert "Ines Duarte" not in entities.values() and "Maria Lopez" in entities.values()
    mentioned = {m["entity_id"] for m in read_table(out, "mentions")}
    assert mentioned == set(entities)  # every mention's entity exists, and nothing else


def test_a_body_longer_than_the_models_limit_is_read_in_pieces(tmp_path: Path) -> None:
    """spaCy refuses texts over 1,000,000 characters (E088): such a body is read in pieces,
    with offsets into the whole body, and the rest of the batch goes on."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "site").mkdir(parents=True)
    filler = ("x" * 60 + " ") * 8  # long tokens: a long text that costs the model little
    paragraphs = [f"{filler}\n\n" for _ in range(2_300)]
    paragraphs[2_200] = "Maria Lopez met officials in Lisbon on Monday.\n\n"  # past 1,000,000
    body = "".join(paragraphs)
    assert len(body) > 1_000_000 and body.index("Maria Lopez") > 1_000_000
    (raw / "site" / "long.txt").write_text("A very long file\n\n" + body)
    (raw / "site" / "short.txt").write_text(STORIES["site/ferry.txt"])
    summary = run_pipeline(raw, out, entities=True, max_bytes=5_000_000)
    assert not summary.failed and read_table(out, "rejects") == []
    articles = {a["source_path"]: a for a in read_table(out, "articles")}
    long_id = articles["site/long.txt"]["article_id"]
    found = {
        (m["surface"], m["start_char"])
        for m in read_table(out, "mentions")
        if m["article_id"] == long_id
    }
    text = str(articles["site/long.txt"]["body"])
    assert {(s, text.index(s)) for s in ("Maria Lopez", "Lisbon")} <= found
