"""Rules for French text only: what the French model's spans need that English spans do not.

- `french_span`: a span read as a name, or None. An article the model took into the span is
  left out ("la France" → "France": lower case, so never part of a name, unlike "Le Monde"
  or "La Rochelle"; a capitalised one only before a country: "La France a ..."); a role is
  no name: a span of title words only ("Premier ministre") or a title before its
  complement ("ministre de la Santé", "président de la République"); one letter is no name
  (a sentence's "A Paris" is "À Paris" without its accent).
- `french_label`: a place the gazetteer does not know that is a nationality's noun
  ("Français", "Africaine") is a NORP.
- `place_name`: a country's French name is the name the gazetteer knows it by
  ("Allemagne" → "Germany"), from ISO 3166's French names (pycountry's translations). Only
  for French text: in English, "Chili" is a dish and "Inde" no word.
"""

from __future__ import annotations

import functools
import gettext
import re

import pycountry

from transforms.entities.gazetteer import place_key
from transforms.entities.names import is_title
from transforms.entities.places import is_country, place_label, resolve_place
from transforms.records import EntitySpan

_ARTICLE = re.compile(r"(?:la|le|les)\s+|l['’]\s*")
_CAPITAL_ARTICLE = re.compile(r"(?:La|Le|Les)\s+|L['’]\s*")
# a nationality's noun ("les Français", "une Africaine", "les Européens", "des Allemands")
_DEMONYM = re.compile(
    r"[A-ZÉ][a-zéèêëïîôûç-]+(?:ais|aise|ain|aine|ien|ienne|ois|oise|éen|éenne|and|ande|ol|ole)s?"
)
# what follows a title when the span names a role, not a person: "de la Santé", "du Travail"
_COMPLEMENT = re.compile(r"(?:de\s+la|de\s+l['’]|du|des)\b")


def french_span(body: str, span: EntitySpan) -> EntitySpan | None:
    """The span without a lower-case article; None for a role or a single letter."""
    start, end = span.start_char, span.end_char
    if found := _ARTICLE.match(body, start, end):
        start = found.end()
    elif (found := _CAPITAL_ARTICLE.match(body, start, end)) and _article_before_country(
        body[start:end], body[found.end() : end]
    ):
        start = found.end()  # "La France a ...": the sentence's article, not the name's
    words = body[start:end].split()
    if len(body[start:end].strip()) <= 1 or not words:
        return None
    titles = 0
    while titles < len(words) and is_title(words[titles], "fr"):
        titles += 1
    rest = " ".join(words[titles:])
    if titles and (not rest or _COMPLEMENT.match(rest)):
        return None
    if start == span.start_char:
        return span
    return EntitySpan(start, end, span.label, span.sentence_index)


def _article_before_country(whole: str, rest: str) -> bool:
    """Whether a capitalised article opens a country's name that is no place with it
    ("La France"; not "Le Havre", "La Rochelle", places with their article)."""
    return is_country(place_name(rest, "fr")) and place_label(whole, 0) is None


def french_label(surface: str, label: str) -> str:
    """The type of a French LOC span the gazetteer does not know and that is a nationality's
    noun ("Français", "Africaine"): NORP, as the English model labels "the French"."""
    if label == "LOC" and resolve_place(place_name(surface, "fr")) is None:
        return "NORP" if _DEMONYM.fullmatch(surface) else label
    return label


def place_name(surface: str, language: str) -> str:
    """The name the gazetteer knows a place of an article in `language` by: a French
    country name is its ISO English name in French text; any other name is itself."""
    if language != "fr":
        return surface
    return _french_countries().get(place_key(surface), surface)


@functools.cache
def _french_countries() -> dict[str, str]:
    """French country name (compared as the gazetteer compares names) → ISO English name;
    an ISO name with a comma ("Russie, Fédération de") also by its first part when no
    other country shares it ("Russie"; not "Corée", two countries)."""
    try:
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return {}
    names: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            english = getattr(country, attr, None)
            if not english:
                continue
            translated = french.gettext(english)
            names.setdefault(place_key(translated), country.name)
            if ", " in translated:
                heads.setdefault(place_key(translated.split(", ")[0]), set()).add(country.name)
    for head, countries in heads.items():
        if len(countries) == 1:
            names.setdefault(head, next(iter(countries)))
    return names
