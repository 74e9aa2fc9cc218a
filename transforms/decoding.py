"""Bytes to NFC text: BOMs, gzip with a size cap, UTF-8 first, charset detection otherwise."""

from __future__ import annotations

import codecs
import unicodedata
import zlib

from charset_normalizer import from_bytes

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GZIP_MAGIC = b"\x1f\x8b"


class DecodeError(ValueError):
    """Raised when bytes cannot become text; `error_type` names the reason for rejects."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def is_gzip(data: bytes) -> bool:
    """Whether the bytes start with the gzip magic number."""
    return data[:2] == _GZIP_MAGIC


def gunzip_capped(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress gzip (all members) but refuse to produce more than `max_bytes`."""
    out = bytearray()
    remaining = data
    while remaining:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(remaining, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise DecodeError("corrupt_gzip", f"gzip data is corrupt: {exc}") from exc
        if len(out) > max_bytes:
            raise DecodeError(
                "too_large",
                f"gzip expands past the cap of {max_bytes:,} bytes (a gzip bomb or a huge file)",
            )
        if not inflater.eof:
            raise DecodeError(
                "truncated_gzip", "gzip stream ends before its end marker (file truncated)"
            )
        remaining = inflater.unused_data.lstrip(b"\x00")
    return bytes(out)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return b"\x00" in sample


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes whose encoding is not announced, and NFC-normalise the result.

    A BOM wins; then a `declared` encoding (e.g. from an HTML meta tag) if the bytes decode
    with it; then strict UTF-8; then charset-normalizer's best guess, with Windows-1252 as
    the last resort for short Latin text it cannot score.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    "undecodable",
                    f"bytes after a {encoding} BOM do not decode: {exc.reason} at byte {exc.start}",
                ) from exc
    if _looks_binary(data):
        raise DecodeError("binary_content", "file holds NUL bytes: looks binary, not text")
    if declared:
        try:
            return _clean(data.decode(_normalise_codec(declared)))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    guess = detect_legacy_charset(data)
    if guess is not None:
        try:
            return _clean(data.decode(guess))
        except (LookupError, UnicodeError):
            pass
    try:
        return _clean(data.decode("cp1252"))
    except UnicodeDecodeError:
        return _clean(data.decode("latin-1"))


def detect_legacy_charset(data: bytes) -> str | None:
    """charset-normalizer's guess, preferring Windows-1252 among equally good candidates.

    Short Western text scores about the same in cp1250, cp1252, cp1257 or even cp775;
    the web's default legacy encoding is cp1252, so it wins whenever it reads the bytes
    with no more chaos than the best guess (é must not become č). Text in another script
    reads as chaos in cp1252, so that guess stands.
    """
    matches = from_bytes(data[:65536])
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return str(best.encoding)


def _normalise_codec(name: str) -> str:
    """Map a declared charset to Python's codec; ISO-8859-1 means Windows-1252 on the web."""
    codec = codecs.lookup(name.strip().strip("'\"")).name
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r\f")


def _clean(text: str) -> str:
    """NFC, Unix newlines, no stray control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)
    return unicodedata.normalize("NFC", text)
