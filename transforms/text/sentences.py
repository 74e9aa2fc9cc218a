"""Sentence boundaries and an extractive summary, by rule (no model needed)."""

from __future__ import annotations

import bisect
import re
from collections import Counter

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "rev",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
    ]
)
# A sentence ends at . ! ? … before white space and a capital or digit, at a Chinese or
# Japanese full stop (。！？, no space follows them), or at a blank line.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[。！？]+[”’」』）]*|\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "said",
        "says",
        "she",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "not",
        "after",
        "also",
        "over",
        "than",
        "more",
        "about",
        "up",
        "out",
        "what",
        "when",
        "there",
        "can",
    ]
)


def sentence_starts(text: str) -> list[int]:
    """Start offsets of the sentences in `text` (the first is always 0)."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith((".",)) and _ends_with_abbreviation(text, match.start()):
            continue
        end = match.end()
        while end < len(text) and text[end].isspace():
            end += 1
        if end < len(text) and end > starts[-1]:
            starts.append(end)
    return starts


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_index(starts: list[int], offset: int) -> int:
    """Index of the sentence holding character `offset`, given `sentence_starts`."""
    return bisect.bisect_right(starts, offset) - 1


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, trimmed."""
    starts = sentence_starts(text)
    bounds = [*starts[1:], len(text)]
    return [text[a:b].strip() for a, b in zip(starts, bounds, strict=True) if text[a:b].strip()]


def summarize(text: str, max_sentences: int = 3) -> str:
    """The `max_sentences` most representative sentences, in their original order.

    A sentence scores by the mean corpus frequency of its content words (the classic
    frequency summariser); the lead sentence gets a bonus because news puts it first.
    """
    sentences = split_sentences(text)
    if len(sentences) <= max_sentences:
        return " ".join(sentences)
    # Each word lies in exactly one sentence (one starts after white space or a full stop), so
    # one pass over the sentences gives both the text's frequencies and each sentence's words.
    content_words = [
        [w for w in (m.casefold() for m in _WORD.findall(s)) if w not in _STOPWORDS]
        for s in sentences
    ]
    frequency = Counter(w for words in content_words for w in words)

    def score(item: tuple[int, str]) -> float:
        index, _ = item
        content = [frequency[w] for w in content_words[index]]
        base = sum(content) / (len(content) + 3) if content else 0.0
        return base * (1.5 if index == 0 else 1.0)

    best = sorted(enumerate(sentences), key=score, reverse=True)[:max_sentences]
    return " ".join(sentence for _, sentence in sorted(best))
