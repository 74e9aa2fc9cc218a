"""Duplicates: exact copies, same normalised body, near copies (MinHash LSH), across runs."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from random import Random

from bench.generate import generate_corpus
from tests.helpers import read_table, run_pipeline
from transforms.ids import sha256_hex
from transforms.output.dedup import (
    CANDIDATE_MARGIN,
    LSH_BANDS,
    LSH_ROWS,
    NEAR_DUP_THRESHOLD,
    NUM_PERM,
    DedupIndex,
    DedupKeys,
    estimated_jaccard,
    minhash_signature,
)
from transforms.output.rows import Article, content_sha256
from transforms.parse.document import RawInput, parse_input
from transforms.records import ParsedDocument

WORDS = [
    "minister",
    "harbour",
    "council",
    "budget",
    "river",
    "election",
    "court",
    "bank",
    "energy",
    "port",
    "strike",
    "talks",
    "report",
    "police",
    "storm",
    "market",
    "school",
    "hospital",
    "railway",
    "farmers",
    "union",
    "treaty",
    "summit",
]


def _paragraphs(seed: int, count: int = 8) -> list[str]:
    rng = Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 40))).capitalize() + "."
        for _ in range(count)
    ]


def _keys(path: str, body: str, raw: bytes | None = None) -> DedupKeys:
    data = raw if raw is not None else body.encode()
    return DedupKeys(
        f"id-{path}", path, sha256_hex(data), content_sha256(body), minhash_signature(body)
    )


def test_signature_is_stable_and_estimates_similarity() -> None:
    body = "\n\n".join(_paragraphs(1))
    assert minhash_signature(body) == minhash_signature(body)
    assert estimated_jaccard(minhash_signature(body), minhash_signature(body)) == 1.0
    other = "\n\n".join(_paragraphs(2))
    assert estimated_jaccard(minhash_signature(body), minhash_signature(other)) < 0.2


def test_exact_and_normalised_copies_point_at_the_first() -> None:
    body = "\n\n".join(_paragraphs(3))
    index = DedupIndex()
    assert index.match(_keys("a.txt", body)).original is None
    assert index.match(_keys("b.txt", body)).original == "id-a.txt"
    shouted = "\n\n".join(p.upper() + "  " for p in _paragraphs(3))
    assert index.match(_keys("c.txt", shouted)).original == "id-a.txt"


def test_syndicated_copy_with_new_headline_or_trailing_paragraph_is_a_near_duplicate() -> None:
    paragraphs = _paragraphs(4)
    index = DedupIndex()
    assert index.match(_keys("a.txt", "\n\n".join(paragraphs))).original is None
    extra = [*paragraphs, "Reporting by the wire desk; editing by the night team."]
    assert index.match(_keys("b.txt", "\n\n".join(extra))).original == "id-a.txt"
    cut = paragraphs[:-1]
    assert index.match(_keys("c.txt", "\n\n".join(cut))).original == "id-a.txt"
    unrelated = "\n\n".join(_paragraphs(5))
    assert index.match(_keys("d.txt", unrelated)).original is None


def test_a_copy_arriving_in_a_later_run_is_caught(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "wire").mkdir(parents=True)
    paragraphs = _paragraphs(6)
    (raw / "wire" / "z-original.txt").write_text("Storm hits coast\n\n" + "\n\n".join(paragraphs))
    run_pipeline(raw, out)
    copy = "Coast hit by storm, officials say\n\n" + "\n\n".join(paragraphs[:-1])
    (raw / "wire" / "a-copy.txt").write_text(copy)
    run_pipeline(raw, out, run_id="20240601T000000-later")
    rows = {r["source_path"]: r for r in read_table(out, "articles")}
    original, near = rows["wire/z-original.txt"], rows["wire/a-copy.txt"]
    assert original["duplicate_of"] is None and original["dup_similarity"] is None
    assert near["duplicate_of"] == original["article_id"]
    # One group for the original and its copy, though they were committed by different runs.
    assert near["dup_group"] == original["dup_group"]
    assert 0.6 <= float(near["dup_similarity"]) < 1.0  # type: ignore[arg-type]
    (raw / "wire" / "b-exact.txt").write_text(copy)
    run_pipeline(raw, out, run_id="20240602T000000-exact")
    exact = next(r for r in read_table(out, "articles") if r["source_path"] == "wire/b-exact.txt")
    # An exact copy of the near copy: same original, same similarity to it.
    assert exact["duplicate_of"] == original["article_id"]
    assert exact["dup_similarity"] == near["dup_similarity"]
    assert exact["dup_group"] == original["dup_group"]


def _pairs(root: dict[str, str]) -> set[tuple[str, str]]:
    clusters: dict[str, list[str]] = defaultdict(list)
    for path, cluster in root.items():
        clusters[cluster].append(path)
    return {
        (a, b)
        for members in clusters.values()
        for a, b in itertools.combinations(sorted(members), 2)
    }


def test_precision_and_recall_on_generated_pairs(tmp_path: Path) -> None:
    """Pairs the generator's answer key marks as duplicates (exact, retitled, near) vs ours."""
    stats = generate_corpus(tmp_path, 240, seed=11, bad_share=0.0, dup_share=0.25, workers=1)
    keys: dict[str, DedupKeys] = {}
    for record in sorted(stats.records, key=lambda r: r.path):
        data = (tmp_path / record.path).read_bytes()
        parsed = parse_input(RawInput(record.path, data))
        assert isinstance(parsed, ParsedDocument), record.path
        article = Article(record.path, sha256_hex(data), parsed)
        body = parsed.body
        keys[record.path] = DedupKeys(
            article.article_id,
            record.path,
            sha256_hex(data),
            content_sha256(body),
            minhash_signature(body),
        )
    index = DedupIndex()
    by_id: dict[str, str] = {}
    predicted: dict[str, str] = {}
    for path, k in keys.items():
        owner = index.owner(k.article_id)
        if owner not in (None, path):  # same canonical URL: the pipeline's duplicate_url reject
            predicted[path] = predicted[owner]
            continue
        original = index.match(k).original
        by_id.setdefault(k.article_id, path)
        predicted[path] = by_id[original] if original else path
    truth = {r.path: r.duplicate_of or r.path for r in stats.records}
    expected, found = _pairs(truth), _pairs(predicted)
    precision = len(expected & found) / len(found)
    recall = len(expected & found) / len(expected)
    assert len(expected) >= 40
    assert precision >= 0.95, sorted(found - expected)[:5]
    assert recall >= 0.9, sorted(expected - found)[:5]


def test_lsh_bands_are_datasketchs() -> None:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD - CANDIDATE_MARGIN, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)


def test_the_disk_store_answers_as_the_memory_store(tmp_path: Path) -> None:
    """The same articles through both stores: the same originals, in the same order."""
    from flows.dedup_store import SqliteDedupStore

    stats = generate_corpus(tmp_path, 120, seed=5, bad_share=0.0, dup_share=0.3, workers=1)
    bodies = []
    for record in sorted(stats.records, key=lambda r: r.path):
        data = (tmp_path / record.path).read_bytes()
        parsed = parse_input(RawInput(record.path, data))
        assert isinstance(parsed, ParsedDocument)
        bodies.append((record.path, data, parsed.body))
    store = SqliteDedupStore()
    memory, disk = DedupIndex(), DedupIndex(store)
    try:
        answers = []
        for path, data, body in bodies:
            keys = DedupKeys(
                f"id-{path}", path, sha256_hex(data), content_sha256(body), minhash_signature(body)
            )
            answers.append((memory.match(keys), disk.match(keys)))
    finally:
        store.close()
    assert all(a == b for a, b in answers)
    assert sum(1 for a, _ in answers if a.original) >= 20
