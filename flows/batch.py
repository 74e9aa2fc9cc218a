"""One batch of inputs: read ─► decode ─► parse ─► enrich ─► rows.

The I/O (reading raw files) is here; every decision is a call into `transforms/`. A batch
runs in a worker process and hands its rows back to the flow, whose sequential commit
(`flows.commit`) decides duplicates and publishes them. Whatever goes wrong with one input,
in any stage, makes that input a reject: a batch never fails for one input.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial

from flows.archives import RecordReader
from flows.contained import NotAFile, OutsideRaw
from flows.nlp import load_ner
from flows.place_cache import load_place_index
from flows.settings import Settings
from flows.storage import FileEntry, read_raw
from transforms.entities.article import (
    EXTRACTED,
    entities_status,
    extract_mentions,
    model_language,
)
from transforms.entities.places import resolve_place
from transforms.entities.spans import NER_BATCH_SIZE
from transforms.ids import sha256_hex
from transforms.output.rows import Article, ArticleRows, RejectedInput, RunInfo, article_rows
from transforms.parse.document import RawInput, parse_input, site_group
from transforms.records import ParsedDocument, Reject, RejectStage

ProgressHook = Callable[[int], None]
"""Called with the number of inputs a batch has just finished."""
ReadInput = Callable[[FileEntry], tuple[RawInput, str | None]]
"""Reads an input: its bytes, and why its sidecar was ignored (`_read_input`)."""
ParseInput = Callable[[RawInput, frozenset[str]], ParsedDocument | Reject]
"""Parses an input's bytes with its site's chrome (`transforms.parse.document.parse_input`)."""


@dataclass(frozen=True, slots=True)
class Batch:
    """A unit of Prefect work: a few hundred inputs and the chrome of their sites."""

    batch_id: str
    entries: Sequence[FileEntry]  # a tuple, or `flows.packed.PackedEntries` in a plan
    chrome: dict[str, frozenset[str]]
    label: str = ""  # "batch 3/12 (200 inputs)": how the flow run names its task


@dataclass(frozen=True, slots=True)
class BatchOutput:
    """What a batch hands to the commit: each input's rows or reject, and its timings."""

    batch: Batch
    articles: tuple[ArticleRows, ...]
    rejects: tuple[RejectedInput, ...]
    seconds_by_stage: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # source_path: what was ignored


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start


def process_batch(
    batch: Batch, settings: Settings, run: RunInfo, on_progress: ProgressHook | None = None
) -> BatchOutput:
    """Turn a batch of raw files into rows; bad inputs become rejects, never errors."""
    seconds: dict[str, float] = {}
    notes: dict[str, str] = {}
    articles: list[Article] = []
    rejects: list[RejectedInput] = []
    with _timed(seconds, "read+parse"), RecordReader(settings.raw) as records:
        read = partial(_read_input, settings, records)
        parse = partial(parse_input, max_bytes=settings.max_bytes, now=run.started_at)
        for entry in batch.entries:
            outcome = _read_and_parse(entry, batch, read, parse, notes)
            if isinstance(outcome, Article):
                articles.append(outcome)
            else:
                rejects.append(outcome)
    rows: list[ArticleRows] = []
    if settings.entities:
        with _timed(seconds, "entities"):
            # Once per process: no input is reported done before the model is in.
            load_ner()
            load_place_index()
    if on_progress and rejects:
        on_progress(len(rejects))
    # Small chunks, so that progress moves per input and not per batch (the model's own
    # minibatch size, so the spans are the same).
    for start in range(0, len(articles), NER_BATCH_SIZE):
        chunk = articles[start : start + NER_BATCH_SIZE]
        if settings.entities:
            with _timed(seconds, "entities"):
                chunk, failed = _with_entities(chunk)
            rejects += failed
        with _timed(seconds, "rows"):
            for article in chunk:
                made = _rows_or_reject(article, run)
                if isinstance(made, ArticleRows):
                    rows.append(made)
                else:
                    rejects.append(made)
        if on_progress:
            on_progress(len(articles[start : start + NER_BATCH_SIZE]))
    return BatchOutput(batch, tuple(rows), tuple(rejects), seconds, notes)


def _read_input(
    settings: Settings, records: RecordReader, entry: FileEntry
) -> tuple[RawInput, str | None]:
    """An input's bytes and why its sidecar was ignored: a web archive's record, or a file
    (refused when it is over the size cap). Raises OSError."""
    if entry.archive_inputs is not None:
        return records.read(entry.source_path, settings.max_bytes), None
    if entry.size > settings.max_bytes and not entry.source_path.lower().endswith(".gz"):
        raise TooLarge(f"{entry.size:,} bytes is over the size cap of {settings.max_bytes:,}")
    return read_raw(settings.raw, entry, settings.max_bytes)


class TooLarge(OSError):
    """A file over the size cap (from its listed size: it is not opened)."""


def _read_and_parse(
    entry: FileEntry, batch: Batch, read: ReadInput, parse: ParseInput, notes: dict[str, str]
) -> Article | RejectedInput:
    try:
        return _read_and_parse_unguarded(entry, batch, read, parse, notes)
    except Exception as exc:  # one input must never stop the batch: it becomes a reject
        return _internal_error(entry.source_path, None, "read", exc)


def _internal_error(
    path: str, sha: str | None, stage: RejectStage, exc: Exception
) -> RejectedInput:
    return RejectedInput(
        path, sha, Reject(stage, "internal_error", f"unexpected {type(exc).__name__}: {exc}")
    )


def _read_and_parse_unguarded(
    entry: FileEntry, batch: Batch, read: ReadInput, parse: ParseInput, notes: dict[str, str]
) -> Article | RejectedInput:
    if entry.problem:
        return RejectedInput(entry.source_path, None, entry.problem)
    try:
        raw, sidecar_problem = read(entry)
    except TooLarge as exc:
        return RejectedInput(entry.source_path, None, Reject("read", "too_large", str(exc)))
    except FileNotFoundError:
        return RejectedInput(
            entry.source_path,
            None,
            Reject(
                "read", "vanished", "the file was listed but is gone: deleted while the run went"
            ),
        )
    except OutsideRaw as exc:
        return RejectedInput(entry.source_path, None, Reject("read", "outside_raw", str(exc)))
    except NotAFile as exc:
        return RejectedInput(entry.source_path, None, Reject("read", "not_a_file", str(exc)))
    except OSError as exc:
        return RejectedInput(
            entry.source_path,
            None,
            Reject("read", "unreadable", f"cannot read the file: {exc.strerror or exc}"),
        )
    if sidecar_problem:
        notes[entry.source_path] = sidecar_problem
    sha = sha256_hex(raw.data)
    parsed = parse(raw, batch.chrome.get(site_group(entry.source_path), frozenset()))
    if isinstance(parsed, Reject):
        return RejectedInput(entry.source_path, sha, parsed)
    return Article(entry.source_path, sha, parsed)


def _with_entities(articles: Sequence[Article]) -> tuple[list[Article], list[RejectedInput]]:
    """The articles with their `entities_status`, and their mentions when a model of their
    language is run (`transforms.entities.entities_status`), each language's articles by its
    own model (loaded on first use); an article the entity stage fails on is a reject."""
    languages = [a.document.language for a in articles]
    statuses = [entities_status(language) for language in languages]
    by_model: dict[str, list[Article]] = {}
    for article, language in zip(articles, languages, strict=True):
        if (model := model_language(language)) is not None:
            by_model.setdefault(model, []).append(article)
    done: list[Article] = []
    failed: list[RejectedInput] = []
    for model, modelled in sorted(by_model.items()):
        one_done, one_failed = _extracted(modelled, model)
        done += one_done
        failed += one_failed
    if len(by_model) == 1 and len(done) + len(failed) == len(articles):
        return done, failed
    others = [
        replace(a, entities_status=s)
        for a, s in zip(articles, statuses, strict=True)
        if s != EXTRACTED
    ]
    order = {a.source_path: index for index, a in enumerate(articles)}
    return sorted([*done, *others], key=lambda a: order[a.source_path]), failed


def _extracted(
    articles: Sequence[Article], language: str
) -> tuple[list[Article], list[RejectedInput]]:
    """The articles (all in `language`) with the mentions its model and the rules find."""
    try:
        found = extract_mentions(load_ner(language), [a.document.body for a in articles], language)
    except Exception as exc:  # one body broke the minibatch: find it, one article at a time
        if len(articles) == 1:
            article = articles[0]
            return [], [_internal_error(article.source_path, article.source_sha256, "enrich", exc)]
        kept: list[Article] = []
        failed: list[RejectedInput] = []
        for article in articles:
            one_kept, one_failed = _extracted([article], language)
            kept += one_kept
            failed += one_failed
        return kept, failed
    return [
        Article(a.source_path, a.source_sha256, a.document, mentions, EXTRACTED)
        for a, mentions in zip(articles, found, strict=True)
    ], []


def _rows_or_reject(article: Article, run: RunInfo) -> ArticleRows | RejectedInput:
    try:
        return article_rows(article, run, resolve_place)
    except Exception as exc:  # a transform bug on one article must not stop the batch
        return _internal_error(article.source_path, article.source_sha256, "enrich", exc)
