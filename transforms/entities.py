"""Named entities: clean the model's spans and group them into canonical entities per article.

The model (spaCy) is passed in by the caller; everything here is deterministic logic on
offsets and strings. The span rules (titles, gazetteer types, missed repeats, acronyms) are
in `transforms.entity_rules`. Within an article, a shorter person name joins the longer one
whose words contain it ("Putin", "President Putin", "Mr Putin" join "Vladimir Putin"), every
same-name span gets the label most of them carry, and the entity id hashes (type, canonical
name casefolded): places are keyed on the gazetteer's display name ("DPRK" → North Korea),
organisations on `org_aliases.csv` ("IMF") or the ORG of the article they abbreviate.

Across articles, the id is a function of one article's body and the static tables only, so
it never depends on the batch or run an article lands in: the same full name, place or known
alias gives the same id everywhere. A surname-only person in an article that never spells the
full name keeps its own id ("Putin"); `link_surnames` is the corpus-level rule that links it
to the one full-name PERSON ending with that surname, computed over the whole merged table
(so it is the same whatever the batches) into `entities.same_as`, never baked into mention ids.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from transforms.entity_rules import (
    HONORIFICS,
    find_repeats,
    org_acronyms,
    org_alias_name,
    person_words,
    retype_places,
    strip_titles,
)
from transforms.ids import stable_id
from transforms.places import canonical_place_name, is_demonym
from transforms.records import EntitySpan, Mention
from transforms.sentences import sentence_index, sentence_starts

ENTITY_TYPES: frozenset[str] = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
PERSON_TITLES: frozenset[str] = frozenset(
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
        "sir",
        "dame",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "professor",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "governor",
        "gov.",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen.",
        "colonel",
        "col.",
        "captain",
        "capt.",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "director",
        "minister",
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
PLACE_TYPES: frozenset[str] = frozenset({"GPE", "LOC"})

# Documents per `nlp.pipe` minibatch: chosen for memory. `bench/run.py --sizes 1000,10000`
# peak RSS of the run's process tree, 64 → 16: 2.62 → 1.73 GB (1k), 2.88 → 1.96 GB (10k).
# Speed is the same within noise (`python -m bench.ner_eval --minibatches 64,16,8`).
NER_BATCH_SIZE = 16
_LEADING_ARTICLE = re.compile(r"^(the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.[A-Za-z]\.|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Bros)\.)$")
_CUT_ABBREVIATION = re.compile(r"\b[A-Z]\.[A-Z]$")
_NEXT_WORD = re.compile(r" ([^\W\d_][\w'’-]*)")
# (the token before the word or "" at the start of the text, the word) right before a match
_PREVIOUS_WORD = re.compile(r"(?:^|(\S*)\s+)([^\W\d_][\w'’.-]*) $")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?-–—«»"

CanonicalName = Callable[[str, str], str | None]


@dataclass(frozen=True, slots=True)
class _Cleaned:
    span: EntitySpan
    surface: str
    key: str


def clean_span(body: str, span: EntitySpan) -> EntitySpan | None:
    """Trim a leading "the", a trailing "'s", edge punctuation and spaces; None if nothing left.

    A final dot stays only on an abbreviation ("U.S.", "Inc."), and an abbreviation the model
    cut before its final dot ("U.S") gets it back.
    """
    start, end = span.start_char, span.end_char
    while True:
        before = (start, end)
        text = body[start:end]
        if m := _LEADING_ARTICLE.match(text):
            start += m.end()
        text = body[start:end]
        if m := _TRAILING_POSSESSIVE.search(text):
            end -= len(m.group())
        while start < end and (body[start].isspace() or body[start] in _EDGE_PUNCT):
            start += 1
        while start < end and (
            body[end - 1].isspace()
            or (body[end - 1] in _EDGE_PUNCT and body[end - 1] != ".")
            or (body[end - 1] == "." and not _ABBREVIATION.search(body[start:end]))
        ):
            end -= 1
        if (start, end) == before:
            break
    if start >= end or not any(ch.isalpha() for ch in body[start:end]):
        return None
    if body[end : end + 1] == "." and _CUT_ABBREVIATION.search(body[start:end]):
        end += 1
    return EntitySpan(start, end, span.label, span.sentence_index)


def name_key(surface: str, label: str) -> str:
    """The comparison key of a name: casefolded words, person titles dropped."""
    words = surface.replace("’", "'").split()
    if label == "PERSON":
        while len(words) > 1 and words[0].casefold() in PERSON_TITLES:
            words = words[1:]
    return " ".join(words).casefold()


def canonicalize(
    body: str,
    spans: Iterable[EntitySpan],
    canonical_name: CanonicalName | None = None,
) -> list[Mention]:
    """Mentions of canonical entities from the model's raw spans over one article body.

    `canonical_name(surface, type)` may map a surface to a canonical display name (for
    example a gazetteer turning "DPRK" into "North Korea"); it returns None when it does
    not know the name. Organisations' short names are looked up in `org_aliases.csv`.
    The result depends on this body and the static tables only, never on other articles.
    """
    cleaned = _clean_all(body, spans)
    entity_type = _vote_types(cleaned)
    added = _repeated_names(body, cleaned, entity_type)
    if added:
        cleaned = sorted([*cleaned, *added], key=lambda c: c.span.start_char)
        entity_type = _vote_types(cleaned)
    display: dict[str, str] = {}
    for item in cleaned:
        kind = entity_type[item.key]
        known = canonical_name(item.surface, kind) if canonical_name else None
        if kind == "ORG":
            known = org_alias_name(item.surface)
        if known:
            display[item.key] = known
    parent = _join_short_names(cleaned, entity_type, display)
    names = _display_names(cleaned, parent, display)
    mentions = []
    for item in cleaned:
        root = parent.get(item.key, item.key)
        kind = entity_type[root]
        name = names[root]
        mentions.append(
            Mention(
                entity_id=entity_id(kind, name),
                canonical_name=name,
                entity_type=kind,
                surface=item.surface,
                start_char=item.span.start_char,
                end_char=item.span.end_char,
                sentence_index=item.span.sentence_index,
                label=item.span.label,
            )
        )
    return mentions


def place_display_name(surface: str, entity_type: str) -> str | None:
    """The gazetteer's display name for a place ("DPRK" → "North Korea"), else None."""
    if entity_type not in PLACE_TYPES:
        return None
    return canonical_place_name(surface)


def entity_id(entity_type: str, name: str) -> str:
    """The stable id of an entity: a hash of its type and casefolded canonical name."""
    return stable_id(entity_type, " ".join(name.split()).casefold())


def link_surnames(entities: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Corpus-level rule: a one-word PERSON joins the one full-name PERSON ending with it.

    `entities` are (entity_id, type, name) rows of the whole entities table. The answer
    depends on the set of rows only (never on their order or on batches), so it is applied
    over the merged table, where it sees every run; mentions keep their per-article ids.
    A surname shared by two full names ("Hollis" for Wade Hollis and Ada Hollis) links
    nowhere; only the last word counts, so "Kim" (first word of Kim Jong-un) links nowhere too.
    """
    full_names: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, set[str]] = defaultdict(set)
    for entity, kind, name in entities:
        if kind != "PERSON":
            continue
        words = name_key(name, kind).split()
        if len(words) > 1:
            full_names[words[-1]].add(entity)
        elif words:
            surnames[words[0]].add(entity)
    links: dict[str, str] = {}
    for surname, ids in surnames.items():
        targets = full_names.get(surname, set())
        if len(targets) == 1:
            target = next(iter(targets))
            links.update({entity: target for entity in ids})
    return dict(sorted(links.items()))


def _clean_all(body: str, spans: Iterable[EntitySpan]) -> list[_Cleaned]:
    trimmed: list[EntitySpan] = []
    last_end = -1
    for raw in sorted(spans, key=lambda s: (s.start_char, -s.end_char)):
        if raw.label not in ENTITY_TYPES:
            continue
        span = clean_span(body, raw)
        if span is None or span.start_char < last_end:
            continue
        trimmed.append(strip_titles(body, span, PERSON_TITLES))
        last_end = span.end_char
    persons = person_words(
        name_key(body[s.start_char : s.end_char], s.label) for s in trimmed if s.label == "PERSON"
    )
    result: list[_Cleaned] = []
    for span in trimmed:
        surface = body[span.start_char : span.end_char]
        label = retype_places(surface, span.label, persons)
        if label != span.label:
            span = EntitySpan(span.start_char, span.end_char, label, span.sentence_index)
        result.append(_Cleaned(span, surface, name_key(surface, label)))
    return result


def _vote_types(cleaned: Sequence[_Cleaned]) -> dict[str, str]:
    """One type per name in an article: the label most of its spans carry (first on ties).

    A one-word name that begins or ends a full person name of the article is that person.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in cleaned:
        votes[item.key][item.span.label] += 1
    types = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    persons = person_words(k for k, t in types.items() if t == "PERSON")
    for key, kind in types.items():
        if kind != "PERSON" and key in persons and " " not in key:
            types[key] = "PERSON"
    # Demonyms ("Russian") are nationalities, never places, whatever the model said.
    for item in cleaned:
        if types[item.key] in PLACE_TYPES and is_demonym(item.surface):
            types[item.key] = "NORP"
    return types


def _repeated_names(
    body: str, cleaned: Sequence[_Cleaned], entity_type: dict[str, str]
) -> list[_Cleaned]:
    """Spans for the other occurrences of the article's names (and its people's surnames)."""
    forms: dict[str, str] = {}
    for item in cleaned:
        forms.setdefault(item.surface, entity_type[item.key])
    for item in cleaned:
        words = item.surface.split()
        if entity_type[item.key] == "PERSON" and len(words) > 1:
            forms.setdefault(words[-1], "PERSON")
    taken = [(c.span.start_char, c.span.end_char) for c in cleaned]
    starts = sentence_starts(body)
    added: list[_Cleaned] = []
    for start, end, kind in find_repeats(body, forms, taken):
        if _inside_longer_name(body, start, end):
            continue
        surface = body[start:end]
        span = EntitySpan(start, end, kind, sentence_index(starts, start))
        added.append(_Cleaned(span, surface, name_key(surface, kind)))
    return added


def _inside_longer_name(body: str, start: int, end: int) -> bool:
    """Whether a capitalised word touches the match: it is then part of a name not found.

    A capitalised word before it does not count when it opens a sentence or is a title.
    """
    after = _NEXT_WORD.match(body, end)
    if after and after.group(1)[0].isupper():
        return True
    before = _PREVIOUS_WORD.search(body, max(0, start - 60), start)
    if before is None or not before.group(2)[0].isupper():
        return False
    word = before.group(2).rstrip(".").casefold()
    opens_sentence = not before.group(1) or before.group(1)[-1] in '.!?"“:'
    return not (opens_sentence or word in PERSON_TITLES or word in HONORIFICS)


def _join_short_names(
    cleaned: Sequence[_Cleaned], entity_type: dict[str, str], display: dict[str, str]
) -> dict[str, str]:
    """Map each person key to the longer person key whose words contain it, when unique.

    An ORG acronym joins the one ORG of the article whose initials it spells.
    """
    persons = sorted(
        {c.key for c in cleaned if entity_type[c.key] == "PERSON"},
        key=lambda k: (-len(k.split()), k),
    )
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
    org_surfaces = {c.surface: c.key for c in cleaned if entity_type[c.key] == "ORG"}
    for acronym, full in org_acronyms(org_surfaces).items():
        short = org_surfaces.get(acronym)
        if short is not None and short not in display:
            parent[short] = org_surfaces[full]
    # Names with the same canonical display name (aliases of one place) join too.
    by_display: dict[tuple[str, str], str] = {}
    for item in cleaned:
        if item.key in display and item.key not in parent:
            group = (entity_type[item.key], display[item.key].casefold())
            root = by_display.setdefault(group, item.key)
            if root != item.key:
                parent[item.key] = root
    return parent


def _display_names(
    cleaned: Sequence[_Cleaned], parent: dict[str, str], display: dict[str, str]
) -> dict[str, str]:
    """The display name of each root: a gazetteer name if known, else its best surface."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, int] = {}
    for index, item in enumerate(cleaned):
        root = parent.get(item.key, item.key)
        if root != item.key and item.key not in display:
            continue
        words = item.surface.split()
        if item.span.label == "PERSON":
            while len(words) > 1 and words[0].casefold() in PERSON_TITLES:
                words = words[1:]
        form = " ".join(words)
        forms[root][form] += 1
        first_seen.setdefault(form, index)
    names: dict[str, str] = {}
    for root, counter in forms.items():
        if root in display:
            names[root] = display[root]
            continue
        names[root] = _unshouted(
            min(
                counter,
                key=lambda f: (
                    f.isupper() and len(f) > 4,
                    -len(f.split()),
                    -counter[f],
                    first_seen[f],
                ),
            )
        )
    return names


def _unshouted(name: str) -> str:
    """A headline's ALL CAPS name in word case ("VLADIMIR PUTIN" → "Vladimir Putin").

    Acronyms stay ("NATO", "KCNA"); the id is the same either way (it is casefolded), and
    the same display form then comes out of every article, whatever the batch.
    """
    if not name.isupper() or (" " not in name and len(name) <= 5):
        return name
    return " ".join(word.capitalize() for word in name.split())


def find_entity_spans(
    nlp: Any, bodies: Sequence[str], batch_size: int = NER_BATCH_SIZE, n_process: int = 1
) -> list[list[EntitySpan]]:
    """The model's raw entity spans for each body, with the sentence index of each span."""
    results: list[list[EntitySpan]] = []
    for body, doc in zip(
        bodies, nlp.pipe(bodies, batch_size=batch_size, n_process=n_process), strict=True
    ):
        starts = sentence_starts(body)
        results.append(
            [
                EntitySpan(
                    ent.start_char, ent.end_char, ent.label_, sentence_index(starts, ent.start_char)
                )
                for ent in doc.ents
            ]
        )
    return results
