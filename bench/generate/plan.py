"""The plan of a corpus: what each file index is, decided up front from `Random(seed)`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from random import Random

from bench.generate.vocabulary import SITES, SITES_BY_FORMAT

ORIGINAL_KINDS: tuple[str, ...] = ("text_page", "plain_text", "html", "gzip")
DUPLICATE_KINDS: tuple[str, ...] = ("dup_exact", "dup_retitled", "dup_near")
BAD_KINDS: tuple[str, ...] = (
    "empty",
    "binary_png",
    "nul_text",
    "undecodable",
    "truncated_gzip",
    "gzip_bomb",
    "chrome_only",
)
KIND_SHARES: Mapping[str, float] = {
    "text_page": 0.45,
    "plain_text": 0.25,
    "html": 0.25,
    "gzip": 0.05,
}
DUP_SHARES: Mapping[str, float] = {"dup_exact": 0.4, "dup_retitled": 0.25, "dup_near": 0.35}
_FORMATS: tuple[str, ...] = ("text_page", "plain_text", "html")
# the inner format each broken input pretends to have (the rest look like text pages)
_BAD_FORMATS: Mapping[str, str] = {
    "binary_png": "html",
    "truncated_gzip": "html",
    "undecodable": "plain_text",
    "gzip_bomb": "plain_text",
}


@dataclass(frozen=True)
class Plan:
    """Kind, format, site and source of every file index, and the originals of each site."""

    seed: int
    n: int
    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    sites: tuple[str, ...]
    sources: tuple[int, ...]  # original index for duplicates, else -1
    bad_kinds: tuple[str, ...]
    members: Mapping[str, tuple[int, ...]]  # site -> original indices, ascending
    real_size: bool = False  # bodies sized and peopled like real news (300-500 words)


def apportion(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Integer counts summing to `total`, proportional to `shares` (largest remainder)."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:rest]:
        counts[k] += 1
    return counts


def expected_counts(n: int, bad_share: float, dup_share: float) -> dict[str, int]:
    """How many files of each kind `generate_corpus` writes for these arguments."""
    n_bad = round(n * bad_share)
    n_dup = round(n * dup_share)
    n_orig = n - n_bad - n_dup
    if n_orig < 1 and n > 0:
        raise ValueError("bad_share + dup_share leave no room for original articles")
    counts = apportion(n_orig, KIND_SHARES)
    counts.update(apportion(n_dup, DUP_SHARES))
    counts["bad"] = n_bad
    return counts


def make_plan(
    n: int, seed: int, bad_share: float, dup_share: float, real_size: bool = False
) -> Plan:
    """The plan for `n` files: kinds shuffled, then a format and site drawn for each."""
    rng = Random(seed)
    counts = expected_counts(n, bad_share, dup_share)
    kinds = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(kinds)
    originals = [i for i, k in enumerate(kinds) if k in ORIGINAL_KINDS]
    formats: list[str] = []
    sites: list[str] = []
    sources: list[int] = []
    bad_kinds: list[str] = []
    n_bad = 0
    for kind in kinds:
        source = -1
        bad = ""
        if kind in _FORMATS:
            fmt = kind
            site = rng.choice(SITES_BY_FORMAT[fmt]).key
        elif kind == "gzip":
            fmt = rng.choices(_FORMATS, (45, 25, 25))[0]
            site = rng.choice(SITES_BY_FORMAT[fmt]).key
        elif kind in DUPLICATE_KINDS:
            source = rng.choice(originals)
            fmt, site = "", ""  # resolved below, once the source's format is known
        else:
            bad = BAD_KINDS[n_bad % len(BAD_KINDS)]
            n_bad += 1
            fmt = _BAD_FORMATS.get(bad, "text_page")
            site = rng.choice(SITES_BY_FORMAT[fmt]).key
        formats.append(fmt)
        sites.append(site)
        sources.append(source)
        bad_kinds.append(bad)
    formats, sites = _place_duplicates(rng, kinds, formats, sites, sources)
    members: dict[str, list[int]] = {key: [] for key in SITES}
    for i in originals:
        members[sites[i]].append(i)
    return Plan(
        seed,
        n,
        tuple(kinds),
        tuple(formats),
        tuple(sites),
        tuple(sources),
        tuple(bad_kinds),
        {k: tuple(v) for k, v in members.items()},
        real_size,
    )


def _place_duplicates(
    rng: Random, kinds: list[str], formats: list[str], sites: list[str], sources: list[int]
) -> tuple[list[str], list[str]]:
    """Formats and sites with each duplicate's filled in (all originals are placed by now)."""
    formats, sites = list(formats), list(sites)
    for i, kind in enumerate(kinds):
        if kind not in DUPLICATE_KINDS:
            continue
        j = sources[i]
        if kind == "dup_near":
            # syndication: the same story on another publisher, in any format
            formats[i] = rng.choice(_FORMATS)
            choices = [s.key for s in SITES_BY_FORMAT[formats[i]] if s.key != sites[j]]
            sites[i] = rng.choice(choices)
        else:
            formats[i], sites[i] = formats[j], sites[j]
    return formats, sites
