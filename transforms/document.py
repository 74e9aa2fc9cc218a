"""From one raw input to a parsed document or a reject: format detection, decoding, parsing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from transforms.decoding import DEFAULT_MAX_BYTES, DecodeError, decode_text, gunzip_capped, is_gzip
from transforms.records import ParsedDocument, Reject, Sidecar
from transforms.text_page import FALLBACK_CHROME, is_text_page, parse_plain_text, parse_text_page

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True, slots=True)
class RawInput:
    """One raw file as read from storage: its key under the raw root, bytes and sidecar."""

    source_path: str
    data: bytes
    sidecar: Sidecar | None = None


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
    if content_suffix(raw.source_path) in HTML_SUFFIXES:
        from transforms.html import decode_html

        return decode_html(data)
    return decode_text(data)


def parse_input(
    raw: RawInput,
    chrome: frozenset[str] = FALLBACK_CHROME,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedDocument | Reject:
    """Decode and parse one raw input; anything that cannot become an article is a Reject."""
    suffix = content_suffix(raw.source_path)
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
        document = _parse_text(text, suffix, raw, chrome)
    except Exception as exc:  # a parser bug on one odd page must not stop the batch
        return Reject("parse", "parser_error", f"{type(exc).__name__}: {exc}")
    if not document.paragraphs:
        return Reject(
            "parse", "empty_body", "no article text found (only a title, chrome or navigation)"
        )
    return apply_sidecar(document, raw.sidecar)


def _parse_text(text: str, suffix: str, raw: RawInput, chrome: frozenset[str]) -> ParsedDocument:
    if suffix in HTML_SUFFIXES:
        from transforms.html import parse_html

        return parse_html(text, url=raw.sidecar.url if raw.sidecar else None)
    if is_text_page(text, chrome):
        return parse_text_page(text, chrome)
    return parse_plain_text(text)


def apply_sidecar(document: ParsedDocument, sidecar: Sidecar | None) -> ParsedDocument:
    """What the crawler recorded (url, source) overrides what the page says."""
    if sidecar is None:
        return document
    return replace(
        document,
        url=sidecar.url or document.url,
        site=sidecar.source or document.site,
    )
