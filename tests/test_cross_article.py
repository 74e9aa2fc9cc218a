"""Entities across articles, batches and runs: one id per real thing, aliases that join."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from flows.entity_store import fold_entities, merge_entities
from flows.layout import (
    ENTITY_FILE,
    STAGING_DIR,
    VOTES_DIR,
    partition_path,
    staged_entities_file,
    state_file,
)
from flows.storage import list_parquet, write_parquet_atomic
from transforms.entities.article import canonicalize, place_display_name
from transforms.entities.corpus import link_names
from transforms.entities.names import entity_id
from transforms.entities.places import resolve_place
from transforms.output.rows import Article, RunInfo, article_votes, entity_rows, votes_table
from transforms.records import EntitySpan, ParsedDocument
from transforms.schema import ENTITIES_SCHEMA, ENTITY_VOTES_SCHEMA

# (path, body, [(surface, label)]): the model's spans, found by text.
ARTICLES = [
    (
        "a.txt",
        "Vladimir Putin flew to the U.S. on Monday.",
        [("Vladimir Putin", "PERSON"), ("U.S.", "GPE")],
    ),
    (
        "b.txt",
        "Mr Putin said America and the IMF disagreed.",
        [("Mr Putin", "PERSON"), ("America", "GPE"), ("IMF", "ORG")],
    ),
    (
        "c.txt",
        "The International Monetary Fund met in Pyongyang, North Korea.",
        [("International Monetary Fund", "ORG"), ("Pyongyang", "GPE"), ("North Korea", "GPE")],
    ),
    ("d.txt", "DPRK media quoted VLADIMIR PUTIN.", [("DPRK", "ORG"), ("VLADIMIR PUTIN", "PERSON")]),
    (
        "e.txt",
        "President Vladimir Putin spoke; Putin left.",
        [("President Vladimir Putin", "PERSON"), ("Putin", "PERSON")],
    ),
]
RUN_1 = RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC))
RUN_2 = RunInfo("run-2", datetime(2026, 2, 1, tzinfo=UTC))


def _article(path: str, body: str, spans: list[tuple[str, str]]) -> Article:
    raw = [EntitySpan(body.index(t), body.index(t) + len(t), label) for t, label in spans]
    document = ParsedDocument("plain_text", path, (body,))
    return Article(path, "0" * 64, document, tuple(canonicalize(body, raw, place_display_name)))


NO_VOTES = ENTITY_VOTES_SCHEMA.empty_table()


def _fold(rows: list[dict[str, object]], articles: list[Article] | None = None) -> pa.Table:
    """The entities table of staged rows and the votes of `articles` (none: the rows' types)."""
    votes = votes_table(v for a in articles or () for v in article_votes(a))
    return fold_entities(pa.Table.from_pylist(rows, schema=ENTITIES_SCHEMA), votes)


def _entities(batches: list[list[int]], run: RunInfo = RUN_1) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    articles: list[Article] = []
    for batch in batches:
        batch_articles = [_article(*ARTICLES[i]) for i in batch]
        articles += batch_articles
        rows += entity_rows(batch_articles, run, resolve_place)
    folded: list[dict[str, object]] = _fold(rows, articles).to_pylist()
    return folded


def test_entities_do_not_depend_on_batches_or_their_order() -> None:
    one_batch = _entities([[0, 1, 2, 3]])
    assert _entities([[3], [1, 0], [2]]) == one_batch
    assert _entities([[2, 3, 1, 0]]) == one_batch


def test_one_entity_per_real_thing_across_articles() -> None:
    rows = {(r["type"], r["name"]): r for r in _entities([[0, 1, 2, 3]])}
    assert set(rows) == {
        ("PERSON", "Vladimir Putin"),
        # b.txt names him by surname only: its own entity, linked by `link_names`.
        ("PERSON", "Putin"),
        ("GPE", "United States"),
        ("GPE", "North Korea"),
        ("GPE", "Pyongyang"),
        ("ORG", "International Monetary Fund"),
    }
    assert rows[("GPE", "United States")]["aliases"] == ["America", "U.S."]
    assert rows[("GPE", "North Korea")]["country_code"] == "KP"
    assert rows[("GPE", "North Korea")]["aliases"] == ["DPRK", "North Korea"]
    assert rows[("PERSON", "Vladimir Putin")]["aliases"] == ["VLADIMIR PUTIN", "Vladimir Putin"]
    linked = link_names(
        (str(r["entity_id"]), str(r["type"]), str(r["name"])) for r in rows.values()
    )
    assert linked == {
        rows[("PERSON", "Putin")]["entity_id"]: rows[("PERSON", "Vladimir Putin")]["entity_id"]
    }
    # fold_entities writes that link into `same_as`; every other row links nowhere.
    assert {k: r["same_as"] for k, r in rows.items() if r["same_as"]} == {
        ("PERSON", "Putin"): entity_id("PERSON", "Vladimir Putin")
    }
    assert rows[("GPE", "Pyongyang")]["latitude"] is not None
    assert rows[("ORG", "International Monetary Fund")]["aliases"] == [
        "IMF",
        "International Monetary Fund",
    ]


def test_an_alias_seen_in_a_later_run_joins_the_existing_entity() -> None:
    articles = [_article(*ARTICLES[0]), _article(*ARTICLES[4])]
    first = entity_rows(articles[:1], RUN_1, resolve_place)
    later = entity_rows(articles[1:], RUN_2, resolve_place)
    merged = _fold(first + later, articles)
    putin = [r for r in merged.to_pylist() if r["type"] == "PERSON"]
    assert len(putin) == 1
    assert putin[0]["entity_id"] == entity_id("PERSON", "Vladimir Putin")
    assert putin[0]["first_seen_at"] == RUN_1.started_at
    assert putin[0]["aliases"] == ["Putin", "Vladimir Putin"]


def test_link_names_when_exactly_one_full_name_ends_with_it() -> None:
    rows = [
        ("p1", "PERSON", "Vladimir Putin"),
        ("p2", "PERSON", "Putin"),
        ("k1", "PERSON", "Kim Jong-un"),
        ("k2", "PERSON", "Kim Yo-jong"),
        ("k3", "PERSON", "Jong-un"),
        ("h1", "PERSON", "Wade Hollis"),
        ("h2", "PERSON", "Ada Hollis"),
        ("h3", "PERSON", "Hollis"),
        ("o1", "ORG", "Putin"),
    ]
    assert link_names(rows) == {"p2": "p1", "k3": "k1"}
    assert link_names(reversed(rows)) == link_names(rows)


def _people(*names: str, run: RunInfo = RUN_1) -> list[dict[str, object]]:
    """Entity rows of one batch, one article per name (the whole body is that person)."""
    articles = [_article(f"{n}.txt", f"{n}.", [(n, "PERSON")]) for n in names]
    return entity_rows(articles, run, resolve_place)


def _same_as(rows: list[dict[str, object]]) -> dict[object, object]:
    merged = _fold(rows).to_pylist()
    return {r["name"]: r["same_as"] for r in merged}


def test_fold_links_a_surname_only_to_a_single_full_name() -> None:
    same_as = _same_as(
        _people("Vladimir Putin", "Putin", "Wade Hollis", "Ada Hollis", "Hollis")
        + _people("Kim Jong-un", "Kim Yo-jong", "Kim", "Jong-un")
    )
    assert same_as == {
        "Vladimir Putin": None,
        "Putin": entity_id("PERSON", "Vladimir Putin"),
        # two full names end with "Hollis": it links nowhere
        "Wade Hollis": None,
        "Ada Hollis": None,
        "Hollis": None,
        # "Kim" is the first word of both full names, the last of none: null
        "Kim Jong-un": None,
        "Kim Yo-jong": None,
        "Kim": None,
        "Jong-un": entity_id("PERSON", "Kim Jong-un"),
    }


def test_fold_ignores_a_stale_same_as_and_does_not_depend_on_row_order() -> None:
    rows = _people("Putin", "Vladimir Putin", "Wade Hollis")
    stale = [dict(r, same_as=entity_id("PERSON", "Wade Hollis")) for r in rows]
    assert _same_as(stale) == _same_as(list(reversed(rows))) == _same_as(rows)
    assert _same_as(rows)["Putin"] == entity_id("PERSON", "Vladimir Putin")


def _stage(
    out: Path, name: str, rows: list[dict[str, object]], articles: list[Article] | None = None
) -> None:
    """What the commit of a batch `name` leaves for the merge: its staged entity rows, and
    its articles' votes (one file per batch, replaced when the batch is committed again)."""
    table = pa.Table.from_pylist(rows, schema=ENTITIES_SCHEMA)
    write_parquet_atomic(str(out), staged_entities_file(name), table)
    votes = votes_table(v for a in articles or () for v in article_votes(a))
    write_parquet_atomic(str(out), state_file(VOTES_DIR, name), votes)


def _table(out: Path) -> dict[object, dict[str, object]]:
    files = list_parquet(str(out), "entities")
    assert all(pq.read_schema(f).names == ENTITIES_SCHEMA.names for f in files)
    return {r["name"]: r for f in files for r in pq.read_table(f).to_pylist()}


def test_merge_recomputes_same_as_when_the_full_name_comes_later(tmp_path: Path) -> None:
    _stage(tmp_path, "run-1", _people("Putin", "Kim"))
    assert merge_entities(str(tmp_path)) == 2
    assert _table(tmp_path)["Putin"]["same_as"] is None
    _stage(tmp_path, "run-2", _people("Vladimir Putin", "Kim Jong-un", run=RUN_2))
    assert merge_entities(str(tmp_path)) == 4
    table = _table(tmp_path)
    assert table["Putin"]["same_as"] == table["Vladimir Putin"]["entity_id"]
    assert table["Putin"]["first_seen_at"] == RUN_1.started_at
    assert [table[n]["same_as"] for n in ("Kim", "Kim Jong-un", "Vladimir Putin")] == [None] * 3
    assert list_parquet(str(tmp_path), STAGING_DIR) == []


def test_merge_reads_a_table_written_before_same_as_existed(tmp_path: Path) -> None:
    old_schema = pa.schema([f for f in ENTITIES_SCHEMA if f.name != "same_as"])
    old = pa.Table.from_pylist(_people("Vladimir Putin", "Ada Hollis"), schema=old_schema)
    write_parquet_atomic(
        str(tmp_path), partition_path("entities", "2026-01-01", "part-old.parquet"), old
    )
    # no staged rows: the file in the old layout is rewritten in the current one
    assert merge_entities(str(tmp_path)) == 2
    (path,) = list_parquet(str(tmp_path), "entities")
    assert path.endswith(partition_path("entities", "2026-01-01", ENTITY_FILE))
    assert pq.read_schema(path).names == ENTITIES_SCHEMA.names
    _stage(tmp_path, "run-2", _people("Putin", "Hollis", run=RUN_2))
    assert merge_entities(str(tmp_path)) == 4
    table = _table(tmp_path)
    assert table["Putin"]["same_as"] == entity_id("PERSON", "Vladimir Putin")
    assert table["Hollis"]["same_as"] == entity_id("PERSON", "Ada Hollis")
    assert table["Vladimir Putin"]["same_as"] is None


def test_fold_picks_name_and_place_by_a_fixed_order_not_by_run() -> None:
    """A run killed after some batches and rerun gives the entities of one clean run: the
    display name and place never depend on which run brought a row first."""

    def row(name: str, seen: datetime, geonames_id: int | None) -> dict[str, object]:
        place = (
            {"country_code": "FR", "geonames_id": geonames_id, "latitude": 48.85, "longitude": 2.35}
            if geonames_id
            else {}
        )
        return {
            "entity_id": entity_id("GPE", "Paris"),
            "name": name,
            "type": "GPE",
            "aliases": [name],
            "first_seen_at": seen,
            **place,
        }

    early, late = datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)
    folds = [
        fold_entities(pa.Table.from_pylist(rows, schema=ENTITIES_SCHEMA), NO_VOTES).to_pylist()
        for rows in (
            [row("PARIS", early, None), row("Paris", late, 2988507)],
            [row("Paris", early, 2988507), row("PARIS", late, None)],
        )
    ]
    for (folded,) in folds:
        assert folded["name"] == "Paris"
        assert (folded["country_code"], folded["geonames_id"]) == ("FR", 2988507)
        assert folded["first_seen_at"] == early
        assert folded["aliases"] == ["PARIS", "Paris"]


# One name across articles: weakly a PERSON twice (the model's label), strongly an ORG once.
BRISA = [
    ("brisa-1.txt", "Brisa opened a plant.", [("Brisa", "PERSON")]),
    ("brisa-2.txt", "Brisa hired staff.", [("Brisa", "PERSON")]),
    ("brisa-3.txt", "Investors bought shares in Brisa.", [("Brisa", "PERSON")]),
]


def test_one_type_per_entity_decided_over_the_whole_table() -> None:
    articles = [_article(*a) for a in BRISA]
    ids = {m.entity_id for a in articles for m in a.mentions}
    assert len(ids) == 1
    # each article alone says PERSON, PERSON, ORG; the table says ORG for all three
    assert [a.mentions[0].entity_type for a in articles] == ["PERSON", "PERSON", "ORG"]
    for batches in ([[0, 1, 2]], [[0], [1], [2]], [[2, 0], [1]]):
        rows = []
        for batch in batches:
            rows += entity_rows([articles[i] for i in batch], RUN_1, resolve_place)
        (folded,) = _fold(rows, articles).to_pylist()
        assert (folded["name"], folded["type"]) == ("Brisa", "ORG")


def test_votes_are_stored_per_article_with_their_evidence() -> None:
    articles = [_article(*a) for a in BRISA]
    (row,) = entity_rows(articles, RUN_1, resolve_place)
    assert row["type"] == "ORG"
    votes = [(v.type, v.evidence, v.weight) for a in articles for v in article_votes(a)]
    assert votes == [("PERSON", "model", 1.0), ("PERSON", "model", 1.0), ("ORG", "cue", 4.0)]


def _merged_types(out: Path) -> dict[object, object]:
    return {name: row["type"] for name, row in _table(out).items()}


def test_merge_counts_a_batch_once_and_is_order_free(tmp_path: Path) -> None:
    articles = [[_article(*a)] for a in BRISA]
    batches = [entity_rows(a, RUN_1, resolve_place) for a in articles]
    one_run, two_runs = tmp_path / "one", tmp_path / "two"
    for i, rows in enumerate(batches):
        _stage(one_run, f"b{i}", rows, articles[i])
    merge_entities(str(one_run))
    # the ORG batch first, then the two PERSON batches in a later run: the same table
    _stage(two_runs, "b2", batches[2], articles[2])
    merge_entities(str(two_runs))
    assert _merged_types(two_runs) == {"Brisa": "ORG"}
    _stage(two_runs, "b0", batches[0], articles[0])
    _stage(two_runs, "b1", batches[1], articles[1])
    merge_entities(str(two_runs))
    assert _table(two_runs) == _table(one_run)
    assert _merged_types(one_run) == {"Brisa": "ORG"}
    # a batch committed again (its input reprocessed): its votes replace their first copy
    # instead of adding to it
    _stage(two_runs, "b0", batches[0], articles[0])
    _stage(two_runs, "b1", batches[1], articles[1])
    merge_entities(str(two_runs))
    assert _table(two_runs) == _table(one_run)
    assert len(list_parquet(str(two_runs), VOTES_DIR)) == 3


def test_link_names_joins_a_name_without_middle_initials() -> None:
    rows = [
        ("gwb", "PERSON", "George W. Bush"),
        ("gb", "PERSON", "George Bush"),
        ("b", "PERSON", "Bush"),
        ("ar", "PERSON", "Ana Ruiz"),
    ]
    # "Bush" counts George Bush and George W. Bush as one full name
    assert link_names(rows) == {"b": "gwb", "gb": "gwb"}
    father = [*rows, ("ghwb", "PERSON", "George H. W. Bush")]
    # two fuller names: "George Bush" and "Bush" could be either, and link nowhere
    assert link_names(father) == {}
    assert link_names(reversed(father)) == link_names(father)


def test_a_model_repeating_one_guess_is_outvoted_by_cues_of_several_articles() -> None:
    """The model calls a company a person in every mention of three long articles; two other
    articles say what it is ("oil firm", "shares in"). Its repeated guess is one source."""
    said = " ".join(["Petrolix reported."] * 12)
    articles = [_article(f"p{i}.txt", said, [("Petrolix", "PERSON")]) for i in range(3)] + [
        _article("q1.txt", "Shares fell at the oil firm Petrolix.", [("Petrolix", "PERSON")]),
        _article("q2.txt", "Investors sold shares in Petrolix.", [("Petrolix", "PERSON")]),
    ]
    model = sum(len(a.mentions) for a in articles[:3])
    assert model >= 30  # the repeats of the name count as the model's label too
    (folded,) = _fold(entity_rows(articles, RUN_1, resolve_place), articles).to_pylist()
    assert (folded["name"], folded["type"]) == ("Petrolix", "ORG")
    # one cue alone does not outvote a model that never wavered over many articles
    (one_cue,) = _fold(entity_rows(articles[:4], RUN_1, resolve_place), articles[:4]).to_pylist()
    assert one_cue["type"] == "PERSON"


def test_a_surname_the_model_calls_an_org_joins_its_one_full_name() -> None:
    """Across articles: one article names the senator in full and then by surname; others
    name him by surname only, which the model reads as an organisation."""
    articles = [
        _article(
            "full.txt",
            "Senator Dana Whitcombe spoke first. Whitcombe said the bill would pass.",
            [("Dana Whitcombe", "PERSON"), ("Whitcombe", "PERSON")],
        ),
        _article("short-1.txt", "Whitcombe left early.", [("Whitcombe", "ORG")]),
        _article("short-2.txt", "Aides to Whitcombe agreed.", [("Whitcombe", "ORG")]),
    ]
    rows = entity_rows(articles, RUN_1, resolve_place)
    folded = {r["name"]: r for r in _fold(rows, articles).to_pylist()}
    assert set(folded) == {"Dana Whitcombe", "Whitcombe"}
    assert folded["Whitcombe"]["type"] == "PERSON"
    assert folded["Whitcombe"]["same_as"] == folded["Dana Whitcombe"]["entity_id"]
    # a company with its own evidence is not a surname
    company = _article("co.txt", "Investors sold shares in Whitcombe.", [("Whitcombe", "ORG")])
    rows = entity_rows([*articles, company], RUN_1, resolve_place)
    folded = {r["name"]: r for r in _fold(rows, [*articles, company]).to_pylist()}
    assert (folded["Whitcombe"]["type"], folded["Whitcombe"]["same_as"]) == ("ORG", None)
    # nor is a word the model reads as a place in another article (a town in the news)
    town = _article("town.txt", "Marchers filled Whitcombe, Mo., again.", [("Whitcombe", "GPE")])
    rows = entity_rows([*articles, town], RUN_1, resolve_place)
    folded = {r["name"]: r for r in _fold(rows, [*articles, town]).to_pylist()}
    assert folded["Whitcombe"]["type"] != "PERSON" and folded["Whitcombe"]["same_as"] is None


def test_a_surname_the_table_also_holds_as_a_place_links_to_no_person() -> None:
    rows = [
        ("e1", "PERSON", "Ego Ferguson"),
        ("f1", "PERSON", "Ferguson"),  # "the protests in Ferguson", read as a person
        ("f2", "GPE", "Ferguson"),  # "Ferguson, Mo." in another article
        ("b1", "PERSON", "Barack Obama"),
        ("b2", "PERSON", "Obama"),
    ]
    assert link_names(rows) == {"b2": "b1"}
    assert link_names(rows[:2] + rows[3:]) == {"f1": "e1", "b2": "b1"}  # no such place
