"""`newsetl extract FILE…` (or a page on stdin): what the pipeline makes of one input, shown
as readable text or JSON, with no server and no tables.

Each input goes through `flows.batch.process_batch`, the function a run's batches call (read
with its sidecar, decode, parse, entities, rows), as a batch of one; nothing is decided here.
The rows are the ones the run would write (the `articles` row with every column, its
entities, mentions and links), or the reject with its reason. What a run learns from the
other inputs is not known for one: a site's repeated lines (chrome) and cross-article
duplicates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.exit_codes import EXIT_USAGE

if TYPE_CHECKING:
    from transforms.output.rows import ArticleRows, RejectedInput

STDIN_NAME = "stdin.html"
BODY_SHOWN = 600  # characters of the body in the text view (JSON has it whole)
LISTED = 12  # entities and links listed in the text view (JSON has them all)


def add_extract_command(commands: Any) -> None:
    """The `extract` subcommand."""
    extract = commands.add_parser(
        "extract",
        help="show what the pipeline makes of one page (no server, no tables)",
        description="Show what the pipeline makes of each input: the article's fields, its "
        "entities and links (the rows a run would write), or why it is rejected. A page can "
        "come on stdin (FILE '-', or no FILE).",
    )
    extract.add_argument("files", nargs="*", metavar="FILE", help="raw input files ('-': stdin)")
    extract.add_argument("--json", action="store_true", help="print JSON, one object an input")
    extract.add_argument(
        "--raw", metavar="PATH",
        help="the raw root a FILE in it is read under, as a run reads it: its path, its "
        "site's chrome (default: the run's --raw)",
    )  # fmt: skip
    extract.add_argument(
        "--name", default=STDIN_NAME,
        help=f"the name stdin's page is read as; its suffix picks the parser ({STDIN_NAME})",
    )  # fmt: skip
    extract.add_argument(
        "--no-entities", dest="entities", action="store_false",
        help="skip named-entity recognition (no model to load)",
    )  # fmt: skip


def run_extract(args: argparse.Namespace) -> int:
    """Print each input's result; exit status 2 when a FILE does not exist."""
    from flows.console import error
    from flows.settings import load_settings

    files = args.files or ["-"]
    missing = [f for f in files if f != "-" and not os.path.isfile(f)]
    if missing:
        error(f"extract: {missing[0]}: no such file")
        return EXIT_USAGE
    raw = args.raw or load_settings().raw
    started = time.perf_counter()
    warm_up(args.entities)
    print(f"models loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for file in files:
        started = time.perf_counter()
        if file == "-":
            with _as_file(sys.stdin.buffer.read(), args.name) as path:
                result = extract(path, path.parent, args.entities, shown_as=args.name)
        else:
            result = extract(Path(file), raw, args.entities)
        seconds = time.perf_counter() - started
        if args.json:
            print(json.dumps(result, default=str, ensure_ascii=False), flush=True)
        else:
            print(as_text(result, seconds), flush=True)
    return 0


def warm_up(entities: bool) -> None:
    """Load what a batch loads once per process (the entity model, the place index, the
    language identifier, the parsers' libraries), so that an input's time is its own."""
    import transforms.html.page  # noqa: F401  (trafilatura, lxml)
    from flows.place_cache import load_place_index
    from transforms.output.dedup import minhash_signature
    from transforms.text.language import detect_language

    if entities:
        from flows.nlp import load_ner

        load_ner()
    load_place_index()
    detect_language("A sentence to load the language identifier with.")
    minhash_signature("A sentence to load the near-duplicate hashing with.")


@contextmanager
def _as_file(data: bytes, name: str) -> Iterator[Path]:
    """Stdin's bytes as a file named `name` (the batch reads files)."""
    with tempfile.TemporaryDirectory(prefix="newsetl-extract-") as folder:
        path = Path(folder) / os.path.basename(name)
        path.write_bytes(data)
        yield path


def extract(
    path: Path, raw: str | Path, entities: bool = True, shown_as: str | None = None
) -> dict[str, Any]:
    """What a run over `raw` makes of the file at `path` (its rows, or its reject), with
    its site's chrome learnt as the run learns it. A file outside `raw` is read as if its
    folder were the raw root, with no chrome."""
    from flows.batch import Batch, process_batch
    from flows.settings import Settings
    from flows.storage import FileEntry
    from transforms.output.rows import RunInfo

    root = Path(raw).resolve()
    where = path.resolve()
    inside = where.is_relative_to(root)
    if not inside:
        root = where.parent
    relative = where.relative_to(root).as_posix()
    stat = where.stat()
    entry = FileEntry(relative, stat.st_size, stat.st_mtime_ns)
    settings = Settings(raw=str(root), out="", workers=1, entities=entities)
    chrome = _site_chrome(settings, relative) if inside else {}
    run = RunInfo("extract", datetime.now(UTC))
    output = process_batch(Batch("extract", (entry,), chrome), settings, run)
    shown: dict[str, Any] = {"input": shown_as or str(path)}
    if output.notes:
        shown["notes"] = list(output.notes.values())
    if output.rejects:
        (rejected,) = output.rejects
        return shown | {"reject": _reject(rejected)}
    (rows,) = output.articles
    return shown | _rows(rows)


def _site_chrome(settings: Any, relative: str) -> dict[str, frozenset[str]]:
    """The chrome of the file's site (its first folder under the raw root), learnt from the
    site's files as a run's plan learns it."""
    from flows.discovery import discover_files
    from flows.planning import learn_chrome
    from transforms.parse.document import site_group

    site = site_group(relative)
    if not site:
        return {}
    entries = discover_files(os.path.join(settings.raw, site))
    named = [entry._replace(source_path=f"{site}/{entry.source_path}") for entry in entries]
    return learn_chrome(named, {site}, settings)


def _reject(rejected: RejectedInput) -> dict[str, Any]:
    reject = rejected.reject
    return {"stage": reject.stage, "reason": reject.error_type, "message": reject.message}


def _rows(rows: ArticleRows) -> dict[str, Any]:
    return {
        "article": rows.article,
        "entities": rows.entities,
        "mentions": rows.mentions,
        "links": rows.links,
    }


def as_text(result: dict[str, Any], seconds: float) -> str:
    """The result for people: the verdict, the article's fields, entities and links."""
    lines = [f"== {result['input']} ({seconds:.2f} s)"]
    lines += [f"note: {note}" for note in result.get("notes", [])]
    if "reject" in result:
        reject = result["reject"]
        lines.append(f"rejected at {reject['stage']}: {reject['reason']}")
        lines.append(f"why: {reject['message']}")
        return "\n".join(lines)
    article = result["article"]
    kind = article.get("page_kind", "article")
    lines.append(f"page kind: {kind}" + _evidence(article))
    for name, value in article.items():
        if name in ("body", "page_kind", "page_kind_score", "page_kind_evidence"):
            continue
        if value not in (None, "", []):
            lines.append(f"{name}: {_short(value)}")
    body = str(article.get("body") or "")
    cut = body[:BODY_SHOWN] + (f"… ({len(body):,} characters)" if len(body) > BODY_SHOWN else "")
    lines += ["body:", *("  " + line for line in cut.splitlines())]
    lines += _entities(result["entities"], result["mentions"])
    lines += _links(result["links"])
    return "\n".join(lines)


def _evidence(article: dict[str, Any]) -> str:
    """Why the page is of its kind: the index test's evidence (it states the score), or
    its score alone."""
    score, evidence = article.get("page_kind_score"), article.get("page_kind_evidence")
    if evidence:
        return f" ({evidence})"
    return "" if score is None else f" (index score {score})"


def _short(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _entities(entities: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[str]:
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[str(mention["entity_id"])] = counts.get(str(mention["entity_id"]), 0) + 1
    ranked = sorted(entities, key=lambda e: (-counts.get(str(e["entity_id"]), 0), e["name"]))
    lines = [f"entities ({len(entities)}, {len(mentions)} mentions):"]
    for entity in ranked[:LISTED]:
        times = counts.get(str(entity["entity_id"]), 0)
        lines.append(f"  {entity['type']:<12} {entity['name']}  ×{times}")
    if len(ranked) > LISTED:
        lines.append(f"  … {len(ranked) - LISTED} more (--json lists them all)")
    return lines


def _links(links: list[dict[str, Any]]) -> list[str]:
    internal = sum(bool(link.get("is_internal")) for link in links)
    lines = [f"links ({len(links)}: {internal} internal, {len(links) - internal} external):"]
    for link in links[:LISTED]:
        text = f"  {link.get('anchor_text') or ''}"[:60]
        lines.append(f"{text:<62} {link.get('target_url') or '(' + str(link['kind']) + ')'}")
    if len(links) > LISTED:
        lines.append(f"  … {len(links) - LISTED} more (--json lists them all)")
    return lines
