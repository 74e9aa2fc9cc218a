"""Turns plan entries into files: names, stories, encodings, sidecars, bytes on disk."""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left, bisect_right
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bench.generate.body import BodyWriter, Story
from bench.generate.cast import Cast, make_cast
from bench.generate.identity import (
    STREAM_BAD,
    STREAM_BODY,
    STREAM_DUP,
    STREAM_PAGE,
    Identity,
    make_identity,
    render_headline,
    seeded_rng,
    slugify,
)
from bench.generate.pages import HtmlFrame, render_html_page, render_plain_text, render_text_page
from bench.generate.plan import DUPLICATE_KINDS, Plan
from bench.generate.records import FileRecord
from bench.generate.variants import near_copy, render_bad, retitle
from bench.generate.vocabulary import SITES, Site

_NO_BOM_UTF16 = "utf-16-le"
_IDENTITY_CACHE = 20_000  # identities kept per process: neighbours share them


class Renderer:
    """Turns plan entries into files; caches identities, which neighbours share."""

    def __init__(self, plan: Plan, out: Path) -> None:
        self.plan = plan
        self.out = out
        self._identities: dict[int, Identity] = {}
        self._dirs: set[Path] = set()

    # ---- what each index is -------------------------------------------------------
    def ident(self, i: int) -> Identity:
        """The identity of article `i` (past the corpus too: navigation links outside it)."""
        found = self._identities.get(i)
        if found is None:
            if len(self._identities) > _IDENTITY_CACHE:
                self._identities.clear()
            found = self._identities[i] = make_identity(self.plan.seed, i)
        return found

    def headline(self, i: int) -> str:
        """The headline file `i` carries (a retitled copy gets its own)."""
        plan = self.plan
        if plan.kinds[i] == "dup_retitled":
            j = plan.sources[i]
            rng = seeded_rng(plan.seed, i, STREAM_DUP)
            return retitle(self.ident(j), self.headline(j), SITES[plan.sites[i]].title_case, rng)
        j = plan.sources[i] if plan.kinds[i] == "dup_near" else i
        slots = self.ident(j).headline_slots
        return render_headline(slots, slots["template"], SITES[plan.sites[j]].title_case)

    def relpath(self, i: int) -> str:
        """Where file `i` lives under the corpus root."""
        plan = self.plan
        kind = plan.kinds[i]
        if kind == "dup_exact":
            original = self.relpath(plan.sources[i])
            folder, _, name = original.rpartition("/")
            stem, dot, ext = name.partition(".")
            return f"mirror/{folder}/{stem[:-7]}-{i:06d}{dot}{ext}"
        j = plan.sources[i] if kind in DUPLICATE_KINDS else i
        when = self.ident(j).published
        site = SITES[plan.sites[i]]
        slug = slugify(self.headline(i))
        if kind == "bad":
            ext = {"html": ".html", "plain_text": ".txt", "text_page": ".txt"}[plan.formats[i]]
            if plan.bad_kinds[i] in ("truncated_gzip", "gzip_bomb"):
                ext += ".gz"
        else:
            ext = ".html" if plan.formats[i] == "html" else ".txt"
            if kind == "gzip":
                ext += ".gz"
        if site.format == "plain_text":
            folder = f"corpora/{site.key}/{when:%Y/%m}"
        else:
            folder = f"{site.key}/{when:%Y/%m}"
        return f"{folder}/{slug}-{i:06d}{ext}"

    def canonical_url(self, i: int) -> str:
        """The URL the publisher gives file `i`."""
        site = SITES[self.plan.sites[i]]
        when = self.ident(self.plan.sources[i] if self.plan.sources[i] >= 0 else i).published
        return f"https://{site.domain}/{when:%Y/%m/%d}/{slugify(self.headline(i))}-{i}"

    def neighbours(self, i: int, count: int) -> list[int]:
        """Up to `count` other original articles of the same site, nearest in order."""
        members = self.plan.members[self.plan.sites[i]]
        pos = bisect_left(members, i)
        lo = max(0, pos - count // 2 - 1)
        picked = [m for m in members[lo : lo + count + 2] if m != i]
        return picked[:count]

    def _nav(self, i: int) -> tuple[str, str]:
        """Headlines of the previous and next article of the same site."""
        members = self.plan.members[self.plan.sites[i]]
        rng = seeded_rng(self.plan.seed, i, STREAM_PAGE)
        before = bisect_left(members, i) - 1
        after = bisect_right(members, i)
        # an article outside the corpus, as when the neighbour was never crawled
        other = self.ident(self.plan.n + i).headline_slots
        outside = render_headline(other, other["template"], rng.random() < 0.5)
        prev = self.headline(members[before]) if before >= 0 else outside
        nxt = self.headline(members[after]) if after < len(members) else outside
        return prev, nxt

    # ---- content --------------------------------------------------------------------
    def _cast(self, j: int) -> Cast | None:
        """The wider cast of original `j` when the corpus is real-size."""
        return make_cast(self.plan.seed, j, self.ident(j)) if self.plan.real_size else None

    def _body(self, j: int, style: Site) -> list[str]:
        """The paragraphs original `j` is written with."""
        rng = seeded_rng(self.plan.seed, j, STREAM_BODY)
        return BodyWriter(rng, self.ident(j), style, self._cast(j)).paragraphs()

    def story(self, i: int) -> Story:
        """What file `i` says: its original's story, changed for a near copy."""
        plan = self.plan
        kind = plan.kinds[i]
        j = plan.sources[i] if kind in DUPLICATE_KINDS else i
        ident = self.ident(j)
        style = self.style(j)
        paras = self._body(j, style)
        if kind == "dup_near":
            rng = seeded_rng(plan.seed, i, STREAM_DUP)
            paras = near_copy(paras, ident, style, SITES[plan.sites[i]], rng, self._cast(j))
        return Story(ident, self.headline(i), tuple(paras), style)

    def story_of_own(self, i: int) -> Story:
        """The story a broken input was made from (its own index, never a source's)."""
        style = self.style(i)
        return Story(self.ident(i), self.headline(i), tuple(self._body(i, style)), style)

    def style(self, j: int) -> Site:
        """The house style an original's body is written in (curly quotes for cp1252 files)."""
        site = SITES[self.plan.sites[j]]
        if not site.curly and self.encoding(j) == "cp1252":
            return replace(site, curly=True)
        return site

    def encoding(self, i: int) -> str:
        """The encoding file `i` is meant to be written in (cp1252 may fall back to UTF-8)."""
        fmt = self.plan.formats[i]
        r = seeded_rng(self.plan.seed, i, STREAM_BAD).random()
        if fmt == "html":
            return "cp1252" if r < 0.1 else "utf-8"
        if r < 0.08:
            return "cp1252"
        if r < 0.14:
            return "utf-16"
        return "utf-8-sig" if r < 0.22 else "utf-8"

    def text_page(self, i: int, story: Story, with_body: bool = True) -> str:
        """File `i` as a site text page."""
        return render_text_page(SITES[self.plan.sites[i]], story, self._nav(i), with_body)

    def html_page(self, i: int, story: Story, charset: str) -> str:
        """File `i` as a saved web page linking to its site's neighbours."""
        related = tuple(
            (self.canonical_url(r), self.headline(r)) for r in self.neighbours(i, 6)[:5]
        )
        frame = HtmlFrame(SITES[self.plan.sites[i]], self.canonical_url(i), charset, related)
        return render_html_page(story, frame, seeded_rng(self.plan.seed, i, STREAM_PAGE))

    # ---- files ----------------------------------------------------------------------
    def article_bytes(self, i: int) -> tuple[bytes, str]:
        """The bytes of an article file (not gzipped) and the encoding actually used."""
        fmt = self.plan.formats[i]
        story = self.story(i)
        encoding = self.encoding(i)
        if fmt == "html":
            # some pages do not declare their charset at all
            declared = seeded_rng(self.plan.seed, i, STREAM_DUP + 200).random() < 0.85
            charset = "windows-1252" if encoding == "cp1252" else ("utf-8" if declared else "")
            text = self.html_page(i, story, charset)
        elif fmt == "text_page":
            text = self.text_page(i, story)
        else:
            text = render_plain_text(SITES[self.plan.sites[i]], story)
        if encoding == "cp1252":
            try:
                return text.encode("cp1252"), "cp1252"
            except UnicodeEncodeError:  # a name outside Windows-1252 (Gdańsk, Wiśniewski)
                if fmt == "html":
                    text = self.html_page(i, story, "utf-8")
                return text.encode("utf-8"), "utf-8"
        if encoding == "utf-16":
            return b"\xff\xfe" + text.encode(_NO_BOM_UTF16), "utf-16"
        if encoding == "utf-8-sig":
            return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"
        return text.encode("utf-8"), "utf-8"

    def bad_bytes(self, i: int) -> bytes:
        """The bytes of broken input `i`."""
        return render_bad(
            self.plan.bad_kinds[i],
            seeded_rng(self.plan.seed, i, STREAM_BAD),
            lambda with_body: self.text_page(i, self.story_of_own(i), with_body),
            lambda: self.html_page(i, self.story_of_own(i), "utf-8"),
        )

    def sidecar(self, i: int) -> bytes | None:
        """A crawler's NAME.meta.json for some HTML and plain articles."""
        fmt = self.plan.formats[i]
        if fmt == "text_page":
            return None
        rng = seeded_rng(self.plan.seed, i, STREAM_DUP + 100)
        if rng.random() >= (0.35 if fmt == "html" else 0.3):
            return None
        url = self.canonical_url(i)
        if rng.random() < 0.2:
            url += "?utm_source=rss&utm_medium=feed"
        j = self.plan.sources[i] if self.plan.sources[i] >= 0 else i
        fetched = self.ident(j).published + timedelta(minutes=rng.randint(5, 60 * 72))
        meta = {
            "url": url,
            "fetched_at": fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": SITES[self.plan.sites[i]].name,
        }
        return (json.dumps(meta, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, i: int) -> FileRecord:
        """Write file `i` (and its sidecar) and say what it is."""
        plan = self.plan
        kind = plan.kinds[i]
        rel = self.relpath(i)
        sidecar_rel: str | None = None
        duplicate_of: str | None = None
        if kind == "bad":
            data, encoding = self.bad_bytes(i), "binary"
            gzipped = rel.endswith(".gz")
        elif kind == "dup_exact":
            j = plan.sources[i]
            data, encoding = self.article_bytes(j)
            gzipped = plan.kinds[j] == "gzip"
            if gzipped:
                data = gzip.compress(data, mtime=0)
            duplicate_of = self.relpath(j)
        else:
            data, encoding = self.article_bytes(i)
            gzipped = kind == "gzip"
            if gzipped:
                data = gzip.compress(data, mtime=0)
            if kind in DUPLICATE_KINDS:
                duplicate_of = self.relpath(plan.sources[i])
            else:
                meta = self.sidecar(i)
                if meta is not None:
                    base = rel.removesuffix(".gz").rsplit(".", 1)[0]
                    sidecar_rel = base + ".meta.json"
                    self._put(sidecar_rel, meta)
        self._put(rel, data)
        return FileRecord(
            i,
            rel,
            kind,
            plan.formats[i],
            plan.sites[i],
            encoding,
            gzipped,
            duplicate_of,
            plan.bad_kinds[i] or None,
            sidecar_rel,
        )

    def _put(self, rel: str, data: bytes) -> None:
        """Write one file, making its folder the first time it is needed."""
        path = self.out / rel
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        with open(path, "wb") as fh:
            fh.write(data)
