"""The NER gold set is well formed: exact offsets, allowed types, no overlaps, every section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from transforms.entities.types import ENTITY_TYPES

GOLD_DIR = Path(__file__).parent / "data" / "ner_gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
ALLOWED_TYPES = set(ENTITY_TYPES)
SECTIONS = {"politics", "business", "sport", "science", "world", "culture"}
TITLES = ("President ", "Mr ", "Ms ", "Mrs ", "Dr ", "Senator ", "Prince ", "Queen ")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_at_least_thirty_articles_in_every_section() -> None:
    docs = [_load(p) for p in GOLD_FILES]
    assert len(docs) >= 30
    assert {d["section"] for d in docs} >= SECTIONS
    assert len({d["id"] for d in docs}) == len(docs)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_is_well_formed(path: Path) -> None:
    doc = _load(path)
    assert set(doc) == {"id", "section", "title", "body", "entities"}
    assert doc["id"] == path.stem
    assert doc["section"] in SECTIONS
    body: str = doc["body"]
    assert 120 <= len(body.split()) <= 250
    previous_end = 0
    for ent in sorted(doc["entities"], key=lambda e: e["start"]):
        assert set(ent) == {"start", "end", "text", "type", "canonical"}
        assert 0 <= ent["start"] < ent["end"] <= len(body)
        assert body[ent["start"] : ent["end"]] == ent["text"]
        assert ent["type"] in ALLOWED_TYPES
        assert ent["canonical"].strip()
        assert ent["start"] >= previous_end, f"overlapping span {ent}"
        previous_end = ent["end"]
        assert ent["text"] == ent["text"].strip()
        assert not ent["text"].lower().startswith("the ")
        assert not ent["text"].endswith(("'s", "\u2019s"))
        if ent["type"] == "PERSON":
            assert not ent["text"].startswith(TITLES)
