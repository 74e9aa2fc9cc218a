"""From one raw input to a parsed document or a reject: format detection, decoding, parsing.

Rejects of the parse stage: `empty_body` when no text is left at all, `error_page` for a
saved error or sign-in page ("403 Forbidden"). An index page is no reject: it is a row
labelled `page_kind = 'index'` (`transforms.html.kind`). The publication date is the first
plausible one of the page's metadata, htmldate, the URL, the path and the sidecar's `fetched_at`
(`transforms.text.dates`), for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePosixPath

from transforms.parse.text_page import (
    FALLBACK_CHROME,
    is_text_page,
    parse_plain_text,
    parse_text_page,
)
from transforms.records import ParsedDocument, Reject, Sidecar
from transforms.text.dates import date_in_path, date_in_url, first_plausible
from transforms.text.decoding import (
    DEFAULT_MAX_BYTES,
    DecodeError,
    decode_html,
    decode_text,
    gunzip_capped,
    is_gzip,
)
from transforms.text.language import article_language

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True, slots=True)
class RawInput:
    """One raw input as read from storage: its key under the raw root, bytes and sidecar;
    for a web archive's record, the suffix its body would have as a file and the charset
    its HTTP headers declare."""

    source_path: str
    data: bytes
    sidecar: Sidecar | None = None
    suffix: str | None = None
    charset: str | None = None

    @property
    def content_suffix(self) -> str:
        """The suffix that says what the content is (`.html`, `.txt`...)."""
        return self.suffix or content_suffix(self.source_path)


def content_suffix(source_path: str) -> str:
    """The suffix that says what the content is, looking through a `.gz`: `a.html.gz` → `.html`."""
    path = PurePosixPath(source_path.lower())
    if path.suffix == ".gz":
        path = path.with_suffix("")
    return path.suffix


def site_group(source_path: str) -> str:
    """The folder whose pages share chrome: the first folder under the raw root ("" at top)."""
    parts = PurePosixPath(source_path).parts
    return parts[0] if len(parts) > 1 else ""


def decode_input(raw: RawInput, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a raw input: gunzipped under the size cap, decoded, NFC. Raises DecodeError."""
    data = raw.data
    if not data.strip():
        raise DecodeError("empty_file", "file is empty or holds only white space")
    if is_gzip(data):
        data = gunzip_capped(data, max_bytes)
        if not data.strip():
            raise DecodeError("empty_file", "gzip member is empty")
    elif raw.source_path.lower().endswith(".gz"):
        raise DecodeError("corrupt_gzip", "file is named .gz but is not gzip data")
    if len(data) > max_bytes:
        raise DecodeError("too_large", f"{len(data):,} bytes is over the cap of {max_bytes:,}")
    if raw.content_suffix in HTML_SUFFIXES:
        return decode_html(data, raw.charset)
    return decode_text(data, raw.charset)


def parse_input(
    raw: RawInput,
    chrome: frozenset[str] = FALLBACK_CHROME,
    max_bytes: int = DEFAULT_MAX_BYTES,
    now: datetime | None = None,
) -> ParsedDocument | Reject:
    """Decode and parse one raw input; anything that cannot become an article is a Reject.

    `now` is the ingest time: no publication date after it is believed.
    """
    suffix = raw.content_suffix
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return Reject(
            "discover",
            "unsupported_format",
            f"no parser for {suffix or 'files without a suffix'}: expected .txt, "
            ".html or .htm (optionally .gz)",
        )
    try:
        text = decode_input(raw, max_bytes)
    except DecodeError as exc:
        return Reject("decode", exc.error_type, str(exc))
    try:
        document, kind = _parse_text(text, suffix, raw, chrome, now)
    except Exception as exc:  # a parser bug on one odd page must not stop the batch
        return Reject("parse", "parser_error", f"{type(exc).__name__}: {exc}")
    if kind == "error":
        return Reject(
            "parse",
            "error_page",
            f"a saved error or sign-in page, no article text (title {document.title!r})",
        )
    if not document.paragraphs:
        return Reject(
            "parse", "empty_body", "no article text found (only a title, chrome or navigation)"
        )
    return with_language(with_published_at(apply_sidecar(document, raw.sidecar), raw, now))


def with_language(document: ParsedDocument) -> ParsedDocument:
    """The document with its language decided, once, from its text
    (`transforms.text.language.article_language`; what the page declares breaks ties)."""
    return replace(document, language=article_language(document.body, document.declared_language))


def with_published_at(
    document: ParsedDocument, raw: RawInput, now: datetime | None
) -> ParsedDocument:
    """The first plausible date of the page, its URL, its path and the sidecar, with its source."""
    published_at, source = first_plausible(
        [
            (document.published_at_source or "meta", document.published_at),
            ("url", date_in_url(document.url)),
            ("path", date_in_path(raw.source_path)),
            (
                raw.sidecar.fetched_source if raw.sidecar else "sidecar",
                raw.sidecar.fetched_at if raw.sidecar else None,
            ),
        ],
        now,
    )
    return replace(document, published_at=published_at, published_at_source=source)


def _parse_text(
    text: str, suffix: str, raw: RawInput, chrome: frozenset[str], now: datetime | None
) -> tuple[ParsedDocument, str]:
    """The parsed document and its kind (article, index, empty or error)."""
    if suffix in HTML_SUFFIXES:
        from transforms.html.page import read_html_page

        page = read_html_page(text, url=raw.sidecar.url if raw.sidecar else None, now=now)
        return page.document, page.kind
    if is_text_page(text, chrome):
        return parse_text_page(text, chrome), "article"
    return parse_plain_text(text), "article"


def apply_sidecar(document: ParsedDocument, sidecar: Sidecar | None) -> ParsedDocument:
    """What the crawler recorded (url, source) overrides what the page says."""
    if sidecar is None:
        return document
    return replace(
        document,
        url=sidecar.url or document.url,
        site=sidecar.source or document.site,
    )
