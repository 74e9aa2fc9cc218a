"""French articles (issue 24): the French model's labels in the project's types, French
titles, and the English-only rules kept off French text. The spans are given (no model), as
the French model labels them; `tests/test_entity_language.py` runs the real model."""

from __future__ import annotations

from transforms.entities.article import canonicalize, model_language, place_display_name
from transforms.records import EntitySpan, Mention


def _span(body: str, text: str, label: str) -> EntitySpan:
    start = body.index(text)
    return EntitySpan(start, start + len(text), label)


def _typed(body: str, language: str, *spans: tuple[str, str]) -> dict[str, tuple[str, str]]:
    found: list[Mention] = canonicalize(
        body, [_span(body, *s) for s in spans], place_display_name, language
    )
    return {m.surface: (m.canonical_name, m.entity_type) for m in found}


def test_the_french_labels_are_the_project_types() -> None:
    body = (
        "À Annecy, Paul Girardin a présenté le Festival de la Lumière, soutenu par la "
        "Fondation Arbelle. Le festival ouvrira en juin."
    )
    assert _typed(
        body,
        "fr",
        ("Annecy", "LOC"),
        ("Paul Girardin", "PER"),
        ("Festival de la Lumière", "MISC"),
        ("Fondation Arbelle", "ORG"),
    ) == {
        # the French model's LOC is any place: a town the gazetteer knows is a GPE
        "Annecy": ("Annecy", "GPE"),
        "Paul Girardin": ("Paul Girardin", "PERSON"),
        "Festival de la Lumière": ("Festival de la Lumière", "MISC"),
        "Fondation Arbelle": ("Fondation Arbelle", "ORG"),
    }


def test_french_honorifics_are_french_only() -> None:
    french = "Selon M. Girardin, le projet avance. Mme Lacombe n'a pas répondu."
    assert _typed(french, "fr", ("M. Girardin", "PER"), ("Mme Lacombe", "PER")) == {
        "Girardin": ("Girardin", "PERSON"),
        "Lacombe": ("Lacombe", "PERSON"),
    }
    english = "The film is by M. Night Shyamalan, who spoke on Monday."
    assert _typed(english, "en", ("M. Night Shyamalan", "PERSON")) == {
        "M. Night Shyamalan": ("M. Night Shyamalan", "PERSON")
    }


def test_the_english_rules_do_not_read_french_words() -> None:
    # English reads "a Marie," as a thing one has (a product); French "a" is "has"
    french = "Le prix, il y a Marie, est remis chaque année par Total à Rouen."
    assert _typed(french, "fr", ("Marie", "PER"), ("Total", "ORG"), ("Rouen", "LOC")) == {
        "Marie": ("Marie", "PERSON"),
        # "Total" is a French company; "Total" the English word (a table's total) is no name
        "Total": ("Total", "ORG"),
        "Rouen": ("Rouen", "GPE"),
    }
    english = "The award, a Marie, is given each year. Total 14."
    typed = _typed(english, "en", ("Marie", "PERSON"), ("Total", "ORG"))
    assert typed == {"Marie": ("Marie", "PRODUCT")}


def test_which_model_reads_which_language() -> None:
    assert model_language("fr") == "fr"
    assert model_language("en") == "en"
    assert model_language(None) == "en"  # the text does not tell: taken for English
    assert model_language("de") is None


def _french(body: str, *spans: tuple[str, str]) -> list[tuple[str, str, str, str | None]]:
    """(surface, name, type, country) of each mention of a French body's given spans."""
    found = canonicalize(body, [_span(body, *s) for s in spans], place_display_name, "fr")
    return [
        (m.surface, m.canonical_name, m.entity_type, m.place.country_code if m.place else None)
        for m in found
    ]


def test_french_spans_roles_articles_and_countries() -> None:
    body = (
        "A Bordeaux, la ministre de la Santé a reçu le Premier ministre. Selon la France et "
        "l'Allemagne, Hélène Brissac restera présidente du conseil."
    )
    # roles and the accentless "À" are no names; a lower-case article is no part of one;
    # a French country name is the gazetteer's country, one entity with English articles'
    assert _french(
        body,
        ("A", "LOC"),
        ("ministre de la Santé", "PER"),
        ("Premier ministre", "MISC"),
        ("Bordeaux", "LOC"),
        ("la France", "LOC"),
        ("l'Allemagne", "LOC"),
        ("Hélène Brissac", "PER"),
    ) == [
        ("Bordeaux", "Bordeaux", "GPE", "FR"),
        ("France", "France", "GPE", "FR"),
        ("Allemagne", "Germany", "GPE", "DE"),
        ("Hélène Brissac", "Hélène Brissac", "PERSON", None),
    ]


def test_french_nationalities_sentence_articles_and_common_nouns() -> None:
    body = (
        "La France a voté. Les Français et les Européens attendent.\n"
        "Grève au port\nLa grève a duré trois jours au Havre, selon Le Monde."
    )
    # "Grève" opens a heading and the text writes "grève": a common noun; "La" opens the
    # sentence, not the country's name; "au Havre" is "à le Havre"
    assert _french(
        body,
        ("La France", "LOC"),
        ("Français", "LOC"),
        ("Européens", "LOC"),
        ("Grève", "ORG"),
        ("Havre", "LOC"),
        ("Le Monde", "ORG"),
    ) == [
        ("France", "France", "GPE", "FR"),
        ("Français", "Français", "NORP", None),
        ("Européens", "Européens", "NORP", None),
        ("Havre", "Le Havre", "GPE", "FR"),
        ("Le Monde", "Le Monde", "ORG", None),
    ]
