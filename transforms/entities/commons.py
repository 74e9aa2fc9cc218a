"""Words the model takes for names: common nouns written with a capital, and acronyms of
common nouns. `is_common_noun` says so of one span, from its article's evidence:

- a word of `not_entities.csv` (technical abbreviations such as "API", diseases such as
  "Covid") or a pronoun ("Contact Us");
- an acronym the article writes in the plural ("APIs"; not "a BBC reporter", which an
  organisation's name also takes), spells out in lower-case words ("pay-per-click (PPC)")
  or lists beside common nouns ("SEO and PPC", "yoga, HIIT, and golf"; not where a list
  puts it beside a name the curated list knows, "Python, SQL, automation"); a word in
  capitals ("FREE") English has and the article also writes in lower case; never
  an acronym the alias table, the curated list or the gazetteer knows ("NATO", "US");
- a one-word name, never a known kind or a sure place, that the article capitalises only
  where capitals say nothing about a name (a table cell or list item begins, a heading in
  title case, a list of capitalised words, after another capitalised word) or where a
  sentence, paragraph or clause after a colon begins, and that is a common word: the
  article also writes it in lower case ("Software as a service ...", "... custom
  software"); or, for a name the model reads as no person, place or people, English has
  it as a word (`transforms.entities.lexicon`: "Cost of College by State") and the
  gazetteer knows no place of that name ("Hull 3 Leeds 2" are clubs); then a list it is
  in must hold only words of the language and no known name ("Finance, Healthcare,
  Retail", not "Google, Apple, Amazon") and open where capitals say nothing (a line, an
  item, a clause after a colon: not "including Medicare, Medicaid"), and a sentence may
  begin with it only as a verb or adjective (the imperative "Stick to a plan", "Free
  shipping"), not a noun alone ("Amazon launched ...") nor a subject before its verb
  ("Shell said ...").
"""

from __future__ import annotations

import functools
import re

from transforms.entities.enumerations import listed_members, listed_with_common_noun
from transforms.entities.gazetteer import lookup
from transforms.entities.kinds import known_kind
from transforms.entities.lexicon import is_english_word, is_noun_only
from transforms.entities.places import code_country, place_label
from transforms.entities.rules import org_alias_name
from transforms.entities.static import function_words, read_csv

_AFTER_NAME_WORD = re.compile(r"([A-Z]\w*)\s$")  # "White House": part of another name
# Capitalised words that open a sentence, not a name ("But Visa ...", "The Guardian").
_OPENING_WORDS = function_words("opening")
# Words that title case never makes a name ("Contact Us", "About Us").
_FUNCTION_WORDS = frozenset({"us", "we", "our", "you", "your", "me", "my", "they", "them"})
_WORD = re.compile(r"(?<![\w-])\w+(?![\w-])")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
# Where a capital says nothing about a name (the 4 characters before it): a table cell, a
# list item or a quotation begins.
_ITEM_OPENING = re.compile(r"(?:\||^\s*[•\-–—]\s|\n\s*[•\-–—]\s|•\s|[\"“‘(#]|\d\.\s)\s*$")
# Where a sentence, a paragraph or a clause after a colon or dash begins: a capital says
# nothing, but a name begins a sentence as often as a verb does.
_SENTENCE_OPENING = re.compile(r"(?:\n|[.!?:;–—][\"”’)]?\s)\s*$")
# A member of a list of capitalised words ("Finance, Healthcare, Retail").
_CAPITALISED_BEFORE = re.compile(r"(?<![\w&-])([A-Z][\w&-]*),\s*(?:(?:and|or|&)\s+)?$")
_CAPITALISED_AFTER = re.compile(r",\s*(?:(?:and|or|&)\s+)?([A-Z][\w&-]*)(?![\w&-])")
_LONGEST_LIST = 12
# Words a title-case heading leaves in lower case ("Cost of College by State").
_MINOR_WORDS = function_words("minor")
_SUBJECT_VERBS = function_words("subject_verb")
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b")
_HEADING_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LINE_END = re.compile(r"[\n|]")
# Labels of a name the lexicon may make a common word: not a person, place or people.
_THING_LABELS = frozenset({"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
# The words before an acronym's definition: "pay-per-click (PPC)".
_DEFINED = re.compile(r"([\w’'-]+(?:\s+[\w’'-]+){0,6})\s*[”\"]?\s*\($")


def is_common_noun(body: str, start: int, end: int, label: str = "", language: str = "en") -> bool:
    """Whether the text at [start, end) is a common noun, not a name (module docstring);
    `label` is the model's. In another language than English, only the words of
    `not_entities.csv` for every language and a word the article also writes in lower case
    and capitalises only where capitals say nothing ("Grève" opening a line, "la grève"):
    the pronouns, the acronym rules and the lexicon read English words."""
    text = body[start:end]
    if text.casefold() in common_words(language):
        return True
    english = language == "en"
    if english and not text.isupper() and text.casefold() in _FUNCTION_WORDS:
        return True
    if _ACRONYM.match(text):
        return english and _common_acronym(body, text)
    if " " in text or not text[:1].isupper() or text.isupper() or not text[1:].islower():
        return False
    if known_kind(text) is not None or place_label(text) is not None:
        return False
    if _lower_case_too(body, text) or not english:
        return _lower_case_too(body, text) and _capitalised_only_at_openings(
            body, text, lexical=False
        )
    return (
        label in _THING_LABELS
        and is_english_word(text.lower())
        and not lookup(text)  # a town's name too ("Hull", "Bath"): its teams and clubs
        and _capitalised_only_at_openings(body, text, lexical=True)
    )


@functools.cache
def common_words(language: str = "en") -> frozenset[str]:
    """The words of `not_entities.csv` that are no name on their own in `language`: those
    of every language (`any`: technical abbreviations, diseases, "Email"), and English's own
    words ("Men", "Note", "Total", "Dad"; the institutions a house style capitalises as common
    nouns, "the Government", "the State", "the City Council": a different body in each
    article) in English only ("Total" is a French company), and
    French's own (`fr`: the institutions French capitalises as common nouns, "l'État", "le
    Conseil", "la République"; "AG", an assemblée générale) in French only."""
    return frozenset(
        row["word"] for row in read_csv("not_entities.csv") if row["language"] in ("any", language)
    )


@functools.lru_cache(maxsize=32)
def _common_acronym(body: str, acronym: str) -> bool:
    """Whether the article uses an acronym as a common noun (module docstring)."""
    if known_kind(acronym) or org_alias_name(acronym) or code_country(acronym) or lookup(acronym):
        return False
    if acronym + "s" in _words(body):
        return True
    word = acronym.lower()
    if len(acronym) > 3 and is_english_word(word) and word in _words(body):
        return True  # a word in capitals ("FREE demo") the article also writes in lower case
    starts = _words(body).get(acronym, ())
    if any(_is_known(w) for s in starts for w in listed_members(body, s, s + len(acronym))):
        return False  # listed beside a known name somewhere: "Python, SQL"
    for start in starts:
        end = start + len(acronym)
        if _spelled_in_lower_case(body, start, acronym) or listed_with_common_noun(
            body, start, end, _is_common_word, _is_known
        ):
            return True
    return False


def _spelled_in_lower_case(body: str, start: int, acronym: str) -> bool:
    """Whether "(ACR)" at `start` follows lower-case words whose initials spell it."""
    end = start + len(acronym)
    if body[start - 1 : start] != "(" or body[end : end + 1] != ")":
        return False
    found = _DEFINED.search(body, max(0, start - 80), start)
    if found is None:
        return False
    spelled = re.split(r"[\s-]+", found.group(1))[-len(acronym) :]
    return (
        len(spelled) == len(acronym)
        and "".join(w[:1] for w in spelled).upper() == acronym
        and all(w.islower() for w in spelled)
    )


def _is_common_word(word: str) -> bool:
    return word.casefold() in common_words()


def _is_known(word: str) -> bool:
    return known_kind(word) is not None


def _lower_case_too(body: str, word: str) -> bool:
    return word.lower() in _words(body)


def _capitalised_only_at_openings(body: str, word: str, lexical: bool) -> bool:
    """Whether the article capitalises `word` (at least once, as a word of its own) only
    where capitals say nothing. With `lexical` (no lower-case occurrence vouches for the
    word), a sentence may open with it only as a verb or adjective, and a list of
    capitalised words it is in must hold only words of the language, no known name."""
    starts = _words(body).get(word, ())
    for start in starts:
        before = body[max(0, start - 4) : start]
        name_word = _AFTER_NAME_WORD.search(body, max(0, start - 30), start)
        if name_word and name_word.group(1).casefold() in _OPENING_WORDS:
            before = "\n"  # the sentence opens with the word before
        elif name_word:
            continue
        if (
            _ITEM_OPENING.search(before)
            or _in_heading(body, start)
            or _in_capitalised_list(body, start, len(word), lexical)
        ):
            continue
        if start and not _SENTENCE_OPENING.search(before):
            return False
        if lexical and (is_noun_only(word.lower()) or _opens_a_clause(body, start + len(word))):
            return False  # "Amazon launched ...", "Shell said ...": a subject, not a verb
    return bool(starts)


def _opens_a_clause(body: str, end: int) -> bool:
    """Whether the word ending at `end` is followed by a verb a subject takes ("said",
    "has", "will"): the word is then the sentence's subject, a name."""
    following = _NEXT_WORD.match(body[end : end + 30])
    return following is not None and following.group(1) in _SUBJECT_VERBS


def _in_capitalised_list(body: str, start: int, length: int, lexical: bool) -> bool:
    """Whether the word is a member of a list of capitalised words; with `lexical`, its
    other members must be words of the language, none a known name."""
    members, first = _list_members(body, start, length)
    if not members or not lexical:
        return bool(members)
    if first and not (
        _ITEM_OPENING.search(body, max(0, first - 4), first)
        or _SENTENCE_OPENING.search(body, max(0, first - 4), first)
        or _in_heading(body, first)
    ):
        return False  # a list inside a sentence ("including Medicare, Medicaid"): capitals tell
    return all(
        len(m) > 1
        and m.casefold() not in _OPENING_WORDS
        and known_kind(m) is None
        and (is_english_word(m.lower()) or _is_common_word(m))
        for m in members
    )


def _list_members(body: str, start: int, length: int) -> tuple[list[str], int]:
    """The other capitalised one-word members of the list the word at `start` is in, and
    where the list's first member starts."""
    members: list[str] = []
    position = start
    while len(members) < _LONGEST_LIST and (
        found := _CAPITALISED_BEFORE.search(body, max(0, position - 40), position)
    ):
        members.append(found.group(1))
        position = found.start(1)
    first = position
    position = start + length
    while len(members) < 2 * _LONGEST_LIST and (found := _CAPITALISED_AFTER.match(body, position)):
        members.append(found.group(1))
        position = found.end(1)
    return members, first


def _in_heading(body: str, start: int) -> bool:
    """Whether the line (or table cell) around `start` is a heading in title case: two or
    more words, each capitalised but the minor ones ("How to Buy a House"), and no list
    (a line of capitalised words between commas is a list: `_in_capitalised_list`)."""
    first = max(body.rfind("\n", 0, start), body.rfind("|", 0, start)) + 1
    last = _LINE_END.search(body, start)
    line = body[first : last.start() if last else len(body)]
    if "," in line:
        return False
    words = [w for w in _HEADING_WORD.findall(line) if w.casefold() not in _MINOR_WORDS]
    return 2 <= len(words) <= 16 and all(w[0].isupper() for w in words)


@functools.lru_cache(maxsize=2)
def _words(body: str) -> dict[str, list[int]]:
    """Where each word of a body starts (one pass per body: its spans ask many times)."""
    found: dict[str, list[int]] = {}
    for match in _WORD.finditer(body):
        found.setdefault(match.group(), []).append(match.start())
    return found
