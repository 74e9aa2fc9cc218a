"""Names resolved inside one article: which names of the article are one entity.

- A person named by part of a name the article spells in full is that person: "Putin",
  "Mr Putin", "President Putin" join "Vladimir Putin"; "George Bush" joins "George W. Bush".
  A short name two full names share joins the one it ends (a surname), else neither.
- A company's short name joins its full name ("Magna" joins "Magna International Inc").
- An acronym joins the organisation the article defines it after ("the World Health
  Organization (WHO)") or, failing that, the one organisation whose initials it spells.
- Names of one place join ("DPRK", "North Korea").

Only then, over the whole table, does `transforms.entities.corpus` link a surname-only person
to the one full name that ends with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from transforms.entities.rules import org_acronyms


def join_people(person_keys: Iterable[str]) -> dict[str, str]:
    """Map each person key to the longer person key whose words contain it, when unique."""
    persons = sorted(set(person_keys), key=lambda k: (-len(k.split()), k))
    parent: dict[str, str] = {}
    for key in persons:
        words = set(key.split())
        longer = [
            other
            for other in persons
            if len(other.split()) > len(words)
            and words <= set(other.split())
            and other not in parent
        ]
        if len(longer) == 1:
            parent[key] = longer[0]
        elif longer:
            # Several candidates ("Kim" in "Kim Jong-un" and "Kim Yo-jong"): the one that
            # ends with the short name (a surname) wins, else stay apart.
            surname = [o for o in longer if o.split()[-len(words) :] == key.split()]
            if len(surname) == 1:
                parent[key] = surname[0]
    return parent


def join_acronyms(
    org_surfaces: Mapping[str, str], defined: Mapping[str, str], taken: Iterable[str]
) -> dict[str, str]:
    """Map each acronym's key to the key of the organisation it stands for in this article.

    `org_surfaces` maps the surfaces of the article's organisations to their keys; `defined`
    maps an acronym to the key of the name the article defines it after; keys in `taken`
    (already named by the alias table) are left alone.
    """
    known = set(taken)
    parent: dict[str, str] = {}
    for acronym, full in org_acronyms(org_surfaces).items():
        short = org_surfaces.get(acronym)
        if short is not None and short not in known:
            parent[short] = org_surfaces[full]
    for acronym, full_key in defined.items():
        short = acronym.casefold()
        if short != full_key and short not in known:
            parent[short] = full_key
    return parent


def join_short_forms(short_keys: Iterable[str], company_keys: Iterable[str]) -> dict[str, str]:
    """Map a name to the one company whose full name it begins ("Magna" → "Magna
    International Inc"), when exactly one company of the article begins with it."""
    companies = sorted(set(company_keys))
    parent: dict[str, str] = {}
    for key in sorted(set(short_keys)):
        words = key.split()
        longer = [c for c in companies if c != key and c.split()[: len(words)] == words]
        if len(longer) == 1:
            parent[key] = longer[0]
    return parent


def join_same_names(names: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Map each key to the first key (in key order) with the same (type, canonical name)."""
    parent: dict[str, str] = {}
    roots: dict[tuple[str, str], str] = {}
    for key in sorted(names):
        kind, name = names[key]
        root = roots.setdefault((kind, name.casefold()), key)
        if root != key:
            parent[key] = root
    return parent


def find_root(parent: Mapping[str, str], key: str) -> str:
    """The key at the end of `key`'s chain of joins (a chain never loops)."""
    seen = {key}
    while key in parent and parent[key] not in seen:
        key = parent[key]
        seen.add(key)
    return key
