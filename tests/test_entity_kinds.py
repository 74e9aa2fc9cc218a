"""Issue 24's first-screen rules on small texts of our own (spans given as a model would
give them, so the rules are tested without the model): places only from a place reading,
kinds the model does not know, common nouns that are no entity."""

from __future__ import annotations

from tests.test_entities import by_surface, mentions
from transforms.entities.commons import is_common_noun
from transforms.entities.kinds import kind_cue, known_kind
from transforms.entities.places import code_country, resolve_place


def test_a_code_is_a_place_when_the_article_names_its_country() -> None:
    body = "Crowds filled Tbilisi as Georgia voted on Sunday. Turnout in GE was the highest yet."
    found = by_surface(mentions(body, ("Tbilisi", "GPE"), ("Georgia", "GPE"), ("GE", "GPE")))
    assert found["GE"].entity_type == "GPE"
    assert found["GE"].place is not None and found["GE"].place.country_code == "GE"
    assert found["GE"].entity_id == found["Georgia"].entity_id


def test_a_code_without_support_is_no_place() -> None:
    body = "GE shares rose on Monday after GE sold its lighting arm to a rival in Ohio."
    found = mentions(body, ("GE", "GPE"), ("GE", "ORG", 1), ("Ohio", "GPE"))
    # the model's place reading is dropped; its organisation reading stays, with no place
    assert [(m.surface, m.entity_type, m.place) for m in found if m.surface == "GE"] == [
        ("GE", "ORG", None)
    ]


def test_a_unit_after_a_figure_or_a_state_after_a_foreign_city_is_no_country() -> None:
    body = (
        "The firm moved from London to San Diego, CA, and Canada is next. "
        "Its phones ship with 128 GB of storage."
    )
    found = by_surface(
        mentions(
            body,
            ("London", "GPE"),
            ("San Diego", "GPE"),
            ("CA", "GPE"),
            ("Canada", "GPE"),
            ("GB", "GPE"),
        )
    )
    assert "CA" not in found and "GB" not in found
    assert found["Canada"].place is not None and found["Canada"].place.country_code == "CA"
    assert code_country("CA") == "CA" and code_country("US") is None  # US is ours, not ISO's


def test_a_translated_alternate_name_is_no_place() -> None:
    assert resolve_place("White House") is None  # a translation of Casablanca's name
    tokyo = resolve_place("Tokio")  # a one-word spelling still is
    assert tokyo is not None and tokyo.country_code == "JP"


def test_a_city_acronym_is_not_the_city() -> None:
    body = "Flights leave San Francisco (SFO) daily; SFO is busy and San Francisco is foggy."
    found = by_surface(mentions(body, ("San Francisco", "GPE"), ("SFO", "ORG")))
    assert found["SFO"].entity_id != found["San Francisco"].entity_id


def test_a_brand_is_typed_by_the_list_whatever_the_model_says() -> None:
    body = "Twitter banned the account. Later Twitter said the ban would stay."
    found = mentions(body, ("Twitter", "PERSON"), ("Twitter", "PERSON", 1))
    assert {(m.surface, m.entity_type) for m in found} == {("Twitter", "ORG")}
    assert known_kind("windows") == "PRODUCT" and known_kind("Acme") is None


def test_an_unknown_platform_is_typed_by_its_context() -> None:
    body = "Zorblr users left in droves. Many had posted on Zorblr for years."
    found = mentions(body, ("Zorblr", "PERSON"), ("Zorblr", "PERSON", 1))
    assert {m.entity_type for m in found} == {"ORG"}
    assert kind_cue("Ana Ruiz users", 0, 8, "PERSON") == "ORG"
    assert kind_cue("He met Ana Ruiz on Monday.", 7, 15, "PERSON") is None


def test_a_product_of_a_known_brand_is_no_person() -> None:
    body = "Teams moved to Google Cloud last year."
    found = mentions(body, ("Google Cloud", "PERSON"))
    assert [(m.surface, m.entity_type) for m in found] == [("Google Cloud", "PRODUCT")]


def test_common_nouns_are_no_entities() -> None:
    body = (
        "Pros\n\nFast setup.\n\nSoftware as a service is growing. Our APIs are open, "
        "and the API docs say so. We build custom software. Covid closed the office."
    )
    found = mentions(
        body, ("Pros", "PERSON"), ("Software", "ORG"), ("API", "ORG"), ("Covid", "PERSON")
    )
    assert found == []


def test_a_name_in_the_middle_of_a_sentence_is_kept() -> None:
    body = "Buyers of Apple phones say apple pie is nice. Later, Apple sued."
    assert not is_common_noun(body, body.index("Apple"), body.index("Apple") + 5)
    body = "Stick to the plan. We used a stick. The Stick Company sells them."
    assert is_common_noun(body, 0, 5)
