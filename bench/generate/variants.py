"""Variants of an article: retitled and syndicated copies, and the broken inputs."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from functools import cache
from random import Random

from bench.generate.body import REAL_SIZE_LIMIT, REAL_SIZE_WORDS, BodyWriter
from bench.generate.cast import Cast
from bench.generate.identity import Identity, render_headline
from bench.generate.vocabulary import Site


def retitle(ident: Identity, original: str, title_case: bool, rng: Random) -> str:
    """Another headline for the same story (a retitled copy), never the original's."""
    for _ in range(20):
        text = render_headline(ident.headline_slots, rng.choice(ident.topic.headlines), title_case)
        if text != original:
            return text
    return original + " (updated)"


def near_copy(
    paras: list[str],
    ident: Identity,
    style: Site,
    republisher: Site,
    rng: Random,
    cast: Cast | None = None,
) -> list[str]:
    """A syndicated copy: one paragraph rewritten, or a republication note appended
    (a real-size copy stays within its size, leaving room for a wire dateline)."""
    paras = list(paras)
    if rng.random() < 0.5 and len(paras) > 2:
        k = rng.randrange(1, len(paras))
        others = sum(len(p.split()) for p in paras) - len(paras[k].split())
        room = None if cast is None else REAL_SIZE_LIMIT - 10 - others
        rewritten = BodyWriter(rng, ident, style, cast).paragraph(room)
        words = others + len(rewritten.split())
        # a real-size copy whose new paragraph would leave it too short (or empty) is noted
        if rewritten and (cast is None or words >= REAL_SIZE_WORDS[0]):
            paras[k] = rewritten
            return paras
    paras.append(
        f"This article was first published by {style.name} and is republished "
        f"under a content-sharing agreement with {republisher.name}."
    )
    return paras


def render_bad(
    bad_kind: str,
    rng: Random,
    text_page: Callable[[bool], str],
    html_page: Callable[[], str],
) -> bytes:
    """The bytes of one broken input; `text_page(with_body)` and `html_page()` render the
    file's own story, for the kinds that start from a real page."""
    if bad_kind == "empty":
        return b""
    if bad_kind == "binary_png":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(2_000, 20_000))
    if bad_kind == "nul_text":
        text = text_page(True).encode("utf-8")
        step = rng.randint(3, 9)
        return b"\x00".join(text[k : k + step] for k in range(0, len(text), step))
    if bad_kind == "undecodable":
        junk = bytes(
            rng.choice((0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC0, 0xC1, 0xF5, 0xFF)) for _ in range(400)
        )
        return b"Headline\n\n" + junk + b"\n"
    if bad_kind == "truncated_gzip":
        data = gzip.compress(html_page().encode(), mtime=0)
        return data[: len(data) // 2]
    if bad_kind == "gzip_bomb":
        return gzip_bomb()
    return text_page(False).encode("utf-8")  # chrome_only: a page without its body


@cache
def gzip_bomb() -> bytes:
    """20 MB of zeros, gzipped to about 20 kB."""
    return gzip.compress(bytes(20 * 1024 * 1024), compresslevel=9, mtime=0)
