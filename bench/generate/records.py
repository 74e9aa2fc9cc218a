"""What a generated corpus holds: one record per file, the counts, and the truth manifest."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One written input file and the truth about it (what a perfect pipeline should find)."""

    index: int
    path: str  # relative to the corpus root, POSIX separators
    kind: str  # one of ORIGINAL_KINDS, DUPLICATE_KINDS or "bad"
    format: str  # text_page | plain_text | html (inner format for gzip and duplicates)
    site: str
    encoding: str  # utf-8 | utf-8-sig | utf-16 | cp1252 | binary
    gzipped: bool
    duplicate_of: str | None = None  # path of the original for duplicates
    bad_kind: str | None = None
    sidecar: str | None = None  # path of NAME.meta.json when one was written


@dataclass(frozen=True)
class CorpusStats:
    """Counts of what `generate_corpus` wrote; `kinds` counts every file exactly once."""

    n: int
    kinds: Mapping[str, int]
    formats: Mapping[str, int]
    bad_kinds: Mapping[str, int]
    encodings: Mapping[str, int]
    sidecars: int
    records: tuple[FileRecord, ...] = field(repr=False, default=())

    def to_dict(self) -> dict[str, object]:
        """The counts as plain JSON-able data (without the per-file records)."""
        return {
            "n": self.n,
            "kinds": dict(self.kinds),
            "formats": dict(self.formats),
            "bad_kinds": dict(self.bad_kinds),
            "encodings": dict(self.encodings),
            "sidecars": self.sidecars,
        }


def summarise_records(n: int, records: Sequence[FileRecord]) -> CorpusStats:
    """The counts of a corpus from its records (kept in the result)."""
    return CorpusStats(
        n=n,
        kinds=dict(sorted(Counter(r.kind for r in records).items())),
        formats=dict(sorted(Counter(r.format for r in records if r.kind != "bad").items())),
        bad_kinds=dict(sorted(Counter(r.bad_kind for r in records if r.bad_kind).items())),
        encodings=dict(sorted(Counter(r.encoding for r in records).items())),
        sidecars=sum(1 for r in records if r.sidecar),
        records=tuple(records),
    )


def write_manifest(stats: CorpusStats, path: Path) -> None:
    """The ground truth as JSON lines, one per file, for scoring a pipeline run."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in stats.records:
            fh.write(
                json.dumps(
                    {
                        "path": r.path,
                        "kind": r.kind,
                        "format": r.format,
                        "site": r.site,
                        "encoding": r.encoding,
                        "gzipped": r.gzipped,
                        "duplicate_of": r.duplicate_of,
                        "bad_kind": r.bad_kind,
                        "sidecar": r.sidecar,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
