"""CoNLL-2003 documents as articles: text rebuilt from the tokens, gold spans as char offsets.

Each document's sentences become paragraphs (joined by a blank line, as an article body);
tokens are joined by a space except where English puts none (before "," or "'s", inside
quotes), and every token keeps its offsets, so the gold spans index the rebuilt text exactly.
A gold span is a run of tokens of one type (IOB1: B- starts a new one), as in the CoNLL
evaluation. The data is for evaluation only: it is read from `../shared/data`, never copied.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CONLL_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "conll2003-dev" / "eng.testa"
CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")
# The pipeline's OntoNotes-style types mapped to CoNLL's (shared/data/README.md).
TO_CONLL: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}
_NO_SPACE_BEFORE = frozenset(
    {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "'S", "'", "n't"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$"})

# (document id, start, end, CoNLL type): offsets index the rebuilt text.
GoldSpan = tuple[str, int, int, str]


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One CoNLL document rebuilt as an article body, with its gold spans."""

    doc_id: str
    text: str
    spans: tuple[GoldSpan, ...]
    words: int


def read_documents(path: Path = CONLL_DEV) -> list[GoldDocument]:
    """Every document of a CoNLL-2003 file, in file order, ids `d000`, `d001`, ..."""
    docs = []
    for index, sentences in enumerate(_split_documents(path.read_text(encoding="utf-8"))):
        docs.append(_rebuild(f"d{index:03d}", sentences))
    return docs


def _split_documents(text: str) -> Iterator[list[list[tuple[str, str]]]]:
    """Documents as sentences of (token, NER tag); `-DOCSTART-` separates documents."""
    document: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in [*text.splitlines(), ""]:
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if sentence:
                document.append(sentence)
                sentence = []
            if fields and document:
                yield document
                document = []
            continue
        sentence.append((fields[0], fields[-1]))
    if sentence:
        document.append(sentence)
    if document:
        yield document


def _rebuild(doc_id: str, sentences: Sequence[Sequence[tuple[str, str]]]) -> GoldDocument:
    parts: list[str] = []
    spans: list[GoldSpan] = []
    length = 0
    words = 0
    for sentence_number, sentence in enumerate(sentences):
        if sentence_number:
            parts.append("\n\n")
            length += 2
        previous = ""
        open_quote = False
        current: tuple[int, int, str] | None = None
        for position, (token, tag) in enumerate(sentence):
            if position and _space_between(previous, token, open_quote):
                parts.append(" ")
                length += 1
            if token == '"':
                open_quote = not open_quote
            start, end = length, length + len(token)
            parts.append(token)
            length = end
            words += 1
            previous = token
            kind = tag[2:] if tag != "O" else ""
            if current and (not kind or tag.startswith("B-") or kind != current[2]):
                spans.append((doc_id, current[0], current[1], current[2]))
                current = None
            if kind:
                current = (current[0], end, kind) if current else (start, end, kind)
        if current:
            spans.append((doc_id, current[0], current[1], current[2]))
    return GoldDocument(doc_id, "".join(parts), tuple(spans), words)


def _space_between(previous: str, token: str, open_quote: bool) -> bool:
    if token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
        return False
    if token == '"':
        return not open_quote  # a closing quote sticks to the word before it
    return not (previous == '"' and open_quote)
