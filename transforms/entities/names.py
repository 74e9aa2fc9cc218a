"""Canonical names and ids: how a name is compared, displayed and turned into an entity id.

An entity id never depends on the model's label: a place that resolves is keyed by its
GeoNames id (two places called Georgia are two entities, "Russia" and "Russian Federation"
one); any other name by its key (casefolded words but those written with a capital inside,
"ReAct"; curly apostrophes straightened, a trailing possessive and a company's legal suffix
dropped: `id_key`), whatever type it ends up with.
The type is decided later, over the whole table (`transforms.entities.types`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from transforms.ids import stable_id

PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})
HONORIFICS: frozenset[str] = frozenset(
    ["mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "mx"]
)
PERSON_TITLES: frozenset[str] = HONORIFICS | frozenset(
    [
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "premier",
        "king",
        "queen",
        "prince",
        "princess",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "director",
        "ambassador",
        "pope",
        "cardinal",
        "bishop",
        "coach",
        "leader",
        "spokesman",
        "spokeswoman",
        "lord",
        "lady",
    ]
)
# French honorifics and titles, for French text only: "M." is "Monsieur" there, an initial in
# English ("M. Night Shyamalan"). Accented titles ("président", "général") are other words
# than the English ones.
FRENCH_HONORIFICS: frozenset[str] = frozenset(["m", "mm", "mme", "mmes", "mlle", "dr", "pr"])
FRENCH_TITLES: frozenset[str] = FRENCH_HONORIFICS | frozenset(
    [
        "président",
        "présidente",
        "premier",
        "première",
        "ministre",
        "maire",
        "sénateur",
        "sénatrice",
        "député",
        "députée",
        "général",
        "roi",
        "reine",
        "prince",
        "princesse",
        "pape",
        "juge",
        "gouverneur",
        "ambassadeur",
        "ambassadrice",
        "docteur",
        "professeur",
        "chancelier",
        "chancelière",
        "cardinal",
        "évêque",
        "capitaine",
        "colonel",
        "entraîneur",
    ]
)
_HONORIFICS = {"en": HONORIFICS, "fr": FRENCH_HONORIFICS}
_TITLES = {"en": PERSON_TITLES, "fr": FRENCH_TITLES}
# Legal forms a company name may carry or drop ("Pirelli SpA" is "Pirelli").
COMPANY_SUFFIXES: frozenset[str] = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "ltd",
        "limited",
        "plc",
        "llc",
        "ag",
        "sa",
        "spa",
        "nv",
        "bv",
        "gmbh",
        "ab",
        "asa",
        "oyj",
        "kk",
        "bhd",
        "pty",
        "pte",
        "tbk",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")
_SUFFIX_PUNCT = re.compile(r"[.,]")
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")


def is_title(word: str, language: str = "en") -> bool:
    """Whether a word is a person's title or honorific in `language` ("President", "Mr.",
    "Dr"; French "M.", "Mme", "président")."""
    return word.rstrip(".").casefold() in _TITLES[language]


def is_honorific(word: str, language: str = "en") -> bool:
    """Whether a word is an honorific in `language`: it opens a person's name ("Dr", "Mme")."""
    return word.rstrip(".").casefold() in _HONORIFICS[language]


def strip_title_words(name: str, language: str = "en") -> str:
    """A name without its leading titles ("President Vladimir Putin" → "Vladimir Putin")."""
    words = name.split()
    while len(words) > 1 and is_title(words[0], language):
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> str:
    """The comparison key of a name: casefolded words, straight apostrophes, no possessive
    and no trailing legal suffix ("Pirelli SpA" and "PIRELLI" → "pirelli")."""
    return " ".join(_key_words(name)).casefold()


def id_key(name: str) -> str:
    """The key an entity id is made of: `name_key`, but a word written with a capital after
    a small letter keeps its case ("ReAct", "iOS", "HubSpot"). Such a spelling is deliberate
    and may name another thing than its plain form ("ReAct", a prompting technique; "React",
    a JavaScript library), while capitals ("REACT" in a heading) and small letters say
    nothing. Inside one article every form of a name is one name (`name_key`); across the
    corpus a plain form rarer than the one deliberate spelling of it is linked to it
    (`transforms.entities.corpus.spelling_links`: "Hubspot" → "HubSpot")."""
    return " ".join(w if has_inner_capital(w) else w.casefold() for w in _key_words(name))


def has_inner_capital(text: str) -> bool:
    """Whether a capital follows a small letter in the text ("iOS", "McDonald", "ReAct")."""
    return _INNER_CAPITAL.search(text) is not None


def _key_words(name: str) -> list[str]:
    words = name.replace("’", "'").replace("‘", "'").split()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    while len(words) > 1 and _SUFFIX_PUNCT.sub("", words[-1]).casefold() in COMPANY_SUFFIXES:
        words = words[:-1]
        words[-1] = words[-1].rstrip(",")
    return words


def has_company_suffix(name: str) -> bool:
    """Whether a name ends with a legal form ("Lear Corp.", "Pirelli SpA")."""
    words = name.split()
    return len(words) > 1 and _SUFFIX_PUNCT.sub("", words[-1]).casefold() in COMPANY_SUFFIXES


def entity_id(entity_type: str, name: str, geonames_id: int | None = None) -> str:
    """The stable id of an entity: its GeoNames id for a resolved place, else its name key.

    The type only tells a place from the rest: "Jordan" the person and "Jordan" an
    unresolved name are one entity (its type is voted), the country is another.
    """
    if entity_type in PLACE_TYPES and geonames_id is not None:
        return stable_id("geonames", str(geonames_id))
    return stable_id("name", id_key(name))


def display_name(forms: Counter[str], first_seen: dict[str, int]) -> str:
    """The best surface among `forms` (counts): longest, mixed case, most seen, first."""
    best = min(
        forms,
        key=lambda f: (f.isupper() and len(f) > 4, -len(f.split()), -forms[f], first_seen[f]),
    )
    return unshouted(best)


def unshouted(name: str) -> str:
    """A headline's ALL CAPS name in word case ("VLADIMIR PUTIN" → "Vladimir Putin").

    Acronyms stay ("NATO", "KCNA"); the id is the same either way (it is casefolded), and
    the same display form then comes out of every article, whatever the batch.
    """
    if not name.isupper() or (" " not in name and len(name) <= 5):
        return name
    return " ".join(word.capitalize() for word in name.split())


def person_words(person_keys: Iterable[str]) -> frozenset[str]:
    """First and last words of the multi-word person names of an article (casefolded)."""
    words: set[str] = set()
    for key in person_keys:
        parts = key.split()
        if len(parts) > 1:
            words.update((parts[0], parts[-1]))
    return frozenset(words)
