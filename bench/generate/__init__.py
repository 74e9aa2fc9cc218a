"""Seeded generator of a realistic raw news corpus for the newsetl benchmark (issue 7).

`generate_corpus(out, n, seed)` writes `n` files under `out`: site text pages, plain
articles, HTML pages, gzipped copies of each, sidecars, duplicates and broken inputs, in
several encodings and nested folders. The same arguments always give the same bytes: every
random choice comes from a `random.Random` seeded by `(seed, article index, stream)`, so the
work can be split across processes without changing a byte.

Modules, in the order a file is made: `vocabulary` (the words, read from
`vocabulary/*.json`), `plan` (what each index is), `identity` (who and where an article is
about), `body` (its paragraphs), `pages` (the three formats), `variants` (copies and broken
inputs), `renderer` (names, encodings, bytes on disk), `corpus` (the driver), `records`
(the counts and truth manifest) and `cli` (`python -m bench.generate --help`).
"""

from bench.generate.cli import main
from bench.generate.corpus import generate_corpus
from bench.generate.plan import (
    BAD_KINDS,
    DUPLICATE_KINDS,
    KIND_SHARES,
    ORIGINAL_KINDS,
    expected_counts,
)
from bench.generate.records import CorpusStats, FileRecord, write_manifest

__all__ = [
    "BAD_KINDS",
    "DUPLICATE_KINDS",
    "KIND_SHARES",
    "ORIGINAL_KINDS",
    "CorpusStats",
    "FileRecord",
    "expected_counts",
    "generate_corpus",
    "main",
    "write_manifest",
]
