"""Issue 24's first-screen rules on small texts of our own (spans given as a model would
give them, so the rules are tested without the model): places only from a place reading,
kinds the model does not know, common nouns that are no entity."""

from __future__ import annotations

from tests.test_entities import by_surface, mentions
from transforms.entities.commons import is_common_noun
from transforms.entities.kinds import kind_cue, known_kind
from transforms.entities.names import entity_id
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
    assert "GB" not in found
    # after a US city, "CA" is the state (it was no country before states were known)
    assert found["CA"].canonical_name == "California"
    assert found["CA"].place is not None and found["CA"].place.country_code == "US"
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


def test_a_state_code_is_a_state_only_in_a_place_context() -> None:
    body = "The plant moved from Austin, TX to Reno. TX taxes are low; TX is big."
    found = mentions(body, ("Austin", "GPE"), ("TX", "ORG"), ("Reno", "GPE"), ("TX", "GPE", 1))
    austin_tx = next(m for m in found if m.surface == "TX")
    assert austin_tx.entity_type == "GPE" and austin_tx.canonical_name == "Texas"
    assert austin_tx.place is not None and austin_tx.place.country_code == "US"
    # a code ISO gives a country too is the state after a US city ("Laos" otherwise)
    body = "Jazz bars in New Orleans, LA stay open late."
    named = by_surface(mentions(body, ("New Orleans", "GPE"), ("LA", "GPE")))
    assert named["LA"].canonical_name == "Louisiana"
    # no state named and no place before: a code is no place ("DC charging" is a current)
    body = "Fast DC charging came to Ohio this year."
    named = by_surface(mentions(body, ("DC", "GPE"), ("Ohio", "GPE")))
    assert "DC" not in named or named["DC"].place is None


def test_a_thing_one_has_is_a_product_and_the_x_is_no_person() -> None:
    body = "Her heart rate matched an Orbix Band, which she wore daily."
    found = mentions(body, ("Orbix Band", "ORG"))
    assert [(m.surface, m.entity_type) for m in found] == [("Orbix Band", "PRODUCT")]
    body = "Apps sold on the Zorb Market and elsewhere."
    found = mentions(body, ("Zorb Market", "PERSON"))
    assert [(m.surface, m.entity_type) for m in found] == [("Zorb Market", "ORG")]
    # a company named before the noun it modifies is no thing one has
    assert kind_cue("a Zorb search", 2, 6, "ORG") is None


def test_a_word_in_capitals_is_no_name() -> None:
    body = "Book a FREE demo today. The demo is free and takes ten minutes."
    assert mentions(body, ("FREE", "ORG")) == []


def test_a_person_name_opened_by_the_articles_company_is_its_product() -> None:
    body = (
        "Apple said on Monday that sales rose. Apple also said the fledgling Apple Pay now "
        "takes most cards. Wang Donghai met Wang in Beijing; Wang said Wang Donghai agreed."
    )
    found = mentions(
        body,
        ("Apple", "ORG"),
        ("Apple", "ORG", 1),
        ("Apple Pay", "PERSON"),
        ("Wang Donghai", "PERSON"),
        ("Wang", "ORG", 1),
        ("Wang", "PERSON", 2),
        ("Wang Donghai", "PERSON", 1),
    )
    kinds = {(m.surface, m.canonical_name, m.entity_type) for m in found}
    # "Apple" is no first name of "Apple Pay"; "Wang", read PERSON once, is a surname
    assert kinds == {
        ("Apple", "Apple", "ORG"),
        ("Apple Pay", "Apple Pay", "PRODUCT"),
        ("Wang Donghai", "Wang Donghai", "PERSON"),
        ("Wang", "Wang Donghai", "PERSON"),
    }


def test_islands_and_former_countries_are_places() -> None:
    body = "Search teams flew over Borneo, which the Soviet Union once mapped from orbit."
    found = by_surface(mentions(body, ("Borneo", "PERSON"), ("Soviet Union", "ORG")))
    assert (found["Borneo"].entity_type, found["Soviet Union"].entity_type) == ("LOC", "GPE")


def test_a_list_inside_a_sentence_keeps_its_capitals_as_evidence() -> None:
    body = "Federal health benefits, including Medicare, Medicaid and the new plans, grew.\n"
    medicaid = body.index("Medicaid")
    assert not is_common_noun(body, medicaid, medicaid + 8, "ORG")
    line = "Industries: Finance, Healthcare, Retail\nWe serve finance teams."
    healthcare = line.index("Healthcare")
    assert is_common_noun(line, healthcare, healthcare + 10, "ORG")


def test_a_people_word_no_table_knows_on_or_listed_with_software_is_no_people() -> None:
    body = (
        "The tool runs on Zorbix. For Zorbix or Ubuntu, install the package first. "
        "Attacks on Muslims rose, and Serbian voters went to the polls."
    )
    found = mentions(
        body,
        ("Zorbix", "NORP"),
        ("Zorbix", "NORP", 1),
        ("Ubuntu", "ORG"),
        ("Muslims", "NORP"),
        ("Serbian", "NORP"),
    )
    votes = [(m.surface, m.entity_type, m.vote_type) for m in found]
    assert votes == [
        ("Zorbix", "ORG", "ORG"),  # "on Zorbix": a platform
        ("Zorbix", "ORG", "PRODUCT"),  # listed with known software
        ("Ubuntu", "PRODUCT", "PRODUCT"),
        ("Muslims", "NORP", "NORP"),  # plural: a people one may be "on" (attacks on)
        ("Serbian", "NORP", "NORP"),  # a nationality takes no cue
    ]


def test_an_account_handle_is_no_name() -> None:
    body = "Follow Mara Quill on Twitter: @MaraQuillWrites. @Zorblat_News posted it first."
    found = mentions(
        body,
        ("Mara Quill", "PERSON"),
        ("@MaraQuillWrites", "ORG"),
        ("@Zorblat_News", "PERSON"),
    )
    assert [m.surface for m in found] == ["Mara Quill"]


def test_a_people_and_its_adjective_are_one_entity_named_as_the_table_writes_it() -> None:
    body = (
        "Americans voted on Tuesday. American officials said the North Koreans had left, "
        "and many Americans stayed home while the Swiss and the Danes watched the Texans."
    )
    found = mentions(
        body,
        ("Americans", "NORP"),
        ("American", "NORP"),
        ("North Koreans", "NORP"),
        ("Americans", "NORP", 1),
        ("Swiss", "NORP"),
        ("Danes", "NORP"),
        ("Texans", "NORP"),
    )
    names = [(m.surface, m.canonical_name) for m in found]
    assert names == [  # "American officials": a modifier, no mention of its own
        ("Americans", "American"),
        ("North Koreans", "North Korean"),
        ("Americans", "American"),
        ("Swiss", "Swiss"),  # no plural form: the table's word
        ("Danes", "Dane"),  # the people's word, not the adjective's ("Danish")
        ("Texans", "Texans"),  # in no table: as written
    ]
    # the people is the entity an article naming "the American" counts toward
    assert found[0].entity_id == entity_id("NORP", "American")
