"""Language first, then entities: what the text says against `<html lang>`, and the mentions
an English model would write on pages in other languages, on a real many-language set.

    .venv/bin/python -m bench.languages [--limit N] [--readme bench/README.md]

The set is trafilatura's evaluation pages (`../shared/data/trafilatura-eval`, read in place:
990 pages, mostly German). Each page goes through the flow's parse, which decides its
`language` (`transforms.text.language.article_language`: the text, the page's declared language
only when the text is too short or unsure); that is compared with what the page declares
(`declared_language`). "Before" is the entity stage as it ran on every article (the English
model over any language); "after" runs it only where `entities_status` is `extracted`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bench.run import write_block
from bench.top_entities import DATA
from flows.nlp import load_ner
from transforms.entities.article import EXTRACTED, entities_status, extract_mentions
from transforms.parse.document import RawInput, parse_input
from transforms.records import ParsedDocument, Reject, Sidecar

EVAL = DATA / "trafilatura-eval"


def no_eval_set() -> bool:
    """Whether the evaluation set is absent (then said on stderr)."""
    if EVAL.is_dir():
        return False
    print(f"no evaluation set at {EVAL}: nothing to measure", file=sys.stderr)
    return True


def parsed_pages(limit: int | None = None) -> list[ParsedDocument]:
    """The flow's parse of each page of the set (rejects left out)."""
    index = json.loads((EVAL / "evaldata.json").read_text(encoding="utf-8"))
    docs = []
    for url, entry in sorted(index.items())[:limit]:
        path = EVAL / "pages" / f"{entry['file']}.gz"
        if not path.exists():
            continue
        parsed = parse_input(RawInput(f"eval/{path.name}", path.read_bytes(), Sidecar(url=url)))
        if not isinstance(parsed, Reject):
            docs.append(parsed)
    return docs


def measure(docs: list[ParsedDocument]) -> str:
    """The language table and the mentions before/after, as markdown."""
    detected = [d.language for d in docs]
    statuses = [entities_status(lang) for lang in detected]
    per_language = Counter(lang or "unknown" for lang in detected)
    pairs = Counter((d.declared_language, lang) for d, lang in zip(docs, detected, strict=True))
    agree = sum(n for (page, text), n in pairs.items() if page == text)
    declared = sum(n for (page, _), n in pairs.items() if page)
    differ = ", ".join(
        f"{page} → {text or 'unknown'} {n}"
        for (page, text), n in pairs.most_common()
        if page != text
    )
    foreign = [d.body for d, s in zip(docs, statuses, strict=True) if s != EXTRACTED]
    before = sum(len(m) for m in extract_mentions(load_ner(), foreign)) if foreign else 0
    lines = [
        "Command: `python -m bench.languages`  ",
        f"{len(docs)} pages parsed as articles. The language the flow now writes (the text's;"
        " the page's own only when the text cannot tell) equals what it wrote before (the"
        " page's `<html lang>`, else a guess from its first paragraphs) on "
        f"{agree} of {declared} pages ({100 * agree / max(1, declared):.1f} %); they differ "
        f"(before → now): {differ or 'none'}.",
        "",
        "| language | articles | entities_status |",
        "|---|---:|---|",
    ]
    for lang, count in per_language.most_common():
        status = entities_status(None if lang == "unknown" else lang)
        lines.append(f"| {lang} | {count} | {status} |")
    lines += [
        "",
        f"Mentions on the {len(foreign)} articles without a model for their language: "
        f"**before {before:,}** (the English model ran on every article), **after 0** "
        "(`entities_status = no_model_for_language`).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Measure and print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--readme", type=Path, help="rewrite the table block in this file")
    args = parser.parse_args(argv)
    if no_eval_set():
        return 2
    table = measure(parsed_pages(args.limit))
    print(table)
    if args.readme:
        write_block(
            args.readme,
            "<!-- languages -->",
            "<!-- /languages -->",
            table,
            "## Language first, then entities (issue 24)",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
