"""Bytes to NFC text, for every input format: the one place where a charset is decided.

Order: a BOM; UTF-16 without a BOM (NUL bytes on one byte parity only); NUL bytes left over
mean binary; then a declared charset that fits the bytes (an HTML `<meta charset>`, see
`declared_charset`); strict UTF-8; the best legacy guess (`detect_legacy_charset`); and
Windows-1252, the web's default, as the last resort. gzip is unpacked under a size cap first.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from functools import cache

from charset_normalizer import from_bytes

from transforms.text.mojibake import repair_mojibake

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GZIP_MAGIC = b"\x1f\x8b"
_SAMPLE_BYTES = 65536
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
_UNSAFE_CODECS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
_ASCII_PROBE = "<meta charset=x>"
# Python codec names (after `_python_codec`) of the East Asian multi-byte encodings.
_CJK_PREFIXES = (
    "big5",
    "cp932",
    "cp949",
    "cp950",
    "euc_",
    "gb",
    "hz",
    "iso2022",
    "johab",
    "shift_jis",
)
# Below this share of non-ASCII bytes the text is taken as Western: one stray byte in
# English is a Windows-1252 character (0xA3 £, 0x92 ’), never half of a CJK one.
_MOSTLY_ASCII = 0.01
# Text whose bytes are this much printable ASCII is no UTF-16 without a BOM: CJK text in
# UTF-16 has about half its bytes outside that range (every code unit over U+00FF, one of
# its two bytes anything), English with a few stray bytes 90 % or more inside it.
_WESTERN_PRINTABLE = 0.8
_PRINTABLE_ASCII = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}
# Windows-1258 has combining tone marks: read as it, a stray byte after an English word
# joins the word's last letter ("councils" + 0xEC → "councilś"). Vietnamese text has a
# tenth or more of its bytes above ASCII, English with stray bytes far fewer.
_VIETNAMESE_MIN_NON_ASCII = 0.1
# Single-byte encodings a web page or a news corpus is written in: Central European,
# Turkish, Baltic and Vietnamese among the Latin ones, and the Cyrillic, Greek, Hebrew,
# Arabic and Thai ones. A guess of another code page (cp775, cp864, iso8859_10…) on such
# bytes is a misreading of Windows-1252.
_LATIN_LEGACY = ("cp1250", "iso8859_2", "cp1254", "iso8859_9", "cp1257", "iso8859_13", "cp1258")
_CYRILLIC_LEGACY = ("cp1251", "iso8859_5", "koi8_r", "koi8_u", "cp866", "mac_cyrillic")
_OTHER_LEGACY = ("cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874")
_WEB_SINGLE_BYTE = frozenset((*_LATIN_LEGACY, *_CYRILLIC_LEGACY, *_OTHER_LEGACY, "tis_620"))
# A reading in another script must give that script for at least this share of the
# letters: English with a euro sign read as cp1251, or a stray byte read as Big5, gives one
# Cyrillic or CJK letter among thousands of Latin ones.
_MIN_SCRIPT_LETTERS = 0.05
_UTF16_MIN_NUL_SHARE = 0.05  # of the code units: spaces, digits and punctuation at least
# ´ (0xB4) stays out: it is often typed as an apostrophe ("don´t").
_ISO_8859_15_LETTERS = re.compile(
    rb"\xa4|(?<=[A-Za-z\xc0-\xff])[\xa6\xa8\xb8\xbc\xbd\xbe](?=[A-Za-z\xc0-\xff])"
)


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


def decode_html(data: bytes, transport: str | None = None) -> str:
    """HTML bytes to NFC text: `decode_text` with the charset the transport declares (a
    WARC record's HTTP Content-Type), else the page's own `<meta charset>`."""
    return decode_text(data, declared=transport or declared_charset(data))


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes whose encoding is not announced (or announced by `declared`), NFC."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    "undecodable",
                    f"bytes after a {encoding} BOM do not decode: {exc.reason} at byte {exc.start}",
                ) from exc
    if b"\x00" in data[:8192]:
        text = decode_utf16_without_bom(data)
        if text is None:
            raise DecodeError("binary_content", "file holds NUL bytes: looks binary, not text")
        return _clean(text)
    for label in (declared, "utf-8"):
        if label:
            try:
                return _clean(data.decode(_python_codec(label)))
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return _clean(data.decode(detect_legacy_charset(data)))
    except (LookupError, UnicodeError):
        return _clean(data.decode("latin-1"))


def decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text that lost its BOM, or None when the NUL bytes say binary instead.

    Text in UTF-16 puts a zero byte in the high half of every ASCII character (LE: odd
    positions, BE: even ones) and almost never in the low half; binary data has zeros on
    both sides. CJK text has next to no ASCII: a rare NUL (一 is U+4E00) is UTF-16 only if
    charset-normalizer reads the bytes so. The decoded text must be printable.
    """
    sample = data[:8192]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    high, low, encoding = (odd, even, "utf-16-le") if odd >= even else (even, odd, "utf-16-be")
    if units < 2 or low * 3 > high:
        return None
    if high < _UTF16_MIN_NUL_SHARE * units:
        best = from_bytes(data[:_SAMPLE_BYTES]).best()
        encoding = _python_codec(best.encoding) if best else ""
        if not encoding.startswith("utf_16"):
            return None
    try:
        text = data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:4096]
    controls = sum(1 for ch in head if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return text if controls * 100 <= len(head) else None


def detect_legacy_charset(data: bytes) -> str:
    """The single- or multi-byte legacy encoding that reads the bytes best.

    Mostly-ASCII bytes are Western (`_western_charset`) without asking charset-normalizer.
    Otherwise its best guess stands if it is a web encoding (single-byte or CJK) whose
    reading is in its own script for a real share of the letters (`_reads_in_own_script`),
    and unless Windows-1252 reads the bytes with no more chaos (short Western text scores
    alike in cp1250 and cp1252, and é must not become č). Western otherwise.
    """
    sample = data[:_SAMPLE_BYTES]
    non_ascii = sum(1 for byte in sample if byte >= 0x80)
    if non_ascii <= _MOSTLY_ASCII * len(sample):
        return _western_charset(sample)
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return _western_charset(sample)
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return _western_charset(sample)
    encoding = _python_codec(best.encoding)
    if encoding == "cp1258" and non_ascii < _VIETNAMESE_MIN_NON_ASCII * len(sample):
        return _western_charset(sample)
    if encoding.startswith(("utf_16", "utf_32")):
        if _printable_ascii_share(sample) >= _WESTERN_PRINTABLE:
            return _western_charset(sample)
        return encoding  # CJK text in UTF-16 has no NUL byte to give it away
    if (
        encoding in _WEB_SINGLE_BYTE or encoding.startswith(_CJK_PREFIXES)
    ) and _reads_in_own_script(sample, encoding):
        return encoding
    return _western_charset(sample)


def _printable_ascii_share(sample: bytes) -> float:
    """The share of the bytes that are printable ASCII characters, tabs or newlines."""
    return sum(1 for byte in sample if byte in _PRINTABLE_ASCII) / max(len(sample), 1)


def _western_charset(sample: bytes) -> str:
    """Windows-1252, or ISO-8859-15 when the bytes use its €, œ, š, ž or Ÿ and no cp1252 byte.

    The two differ on eight bytes that cp1252 reads as symbols (¤ ¦ ¨ ´ ¸ ¼ ½ ¾): ¤ is next
    to never written while € is, and ½ or ¨ between two letters is a letter (cœur).
    """
    if any(0x80 <= byte <= 0x9F for byte in sample):
        return "cp1252"
    return "iso8859_15" if _ISO_8859_15_LETTERS.search(sample) else "cp1252"


def _reads_in_own_script(sample: bytes, encoding: str) -> bool:
    """Whether the encoding's reading of the bytes is in the script the encoding serves.

    Latin-script encodings (cp1250, ISO-8859-2…) always pass; the others must turn a real
    share of the letters into non-Latin ones (Cyrillic, Greek, Hebrew, Arabic, Thai, CJK).
    """
    text = sample.decode(encoding, errors="replace")
    letters = [ch for ch in text if ch.isalpha()]
    foreign = sum(1 for ch in letters if ord(ch) >= 0x0370)
    if not letters or foreign == 0:
        return _is_latin_script(encoding)
    return foreign >= _MIN_SCRIPT_LETTERS * len(letters) or _is_latin_script(encoding)


@cache
def _is_latin_script(encoding: str) -> bool:
    """Whether the encoding's letters above ASCII are Latin (its 0xC0-0xFF reads as Latin)."""
    probe = bytes(range(0xC0, 0x100)).decode(encoding, errors="ignore")
    return sum(1 for ch in probe if ch.isalpha() and ord(ch) < 0x0250) > len(probe) // 2


def declared_charset(data: bytes) -> str | None:
    """The `<meta charset>` / http-equiv charset of HTML bytes, unless the bytes contradict it."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if codec.name in _UNSAFE_CODECS or not _is_ascii_compatible(codec.name):
        return None  # not an ASCII-compatible text codec: no web page is in it
    if codec.name.startswith(("utf-16", "utf-32")):
        return None  # a UTF-16 page cannot announce itself in ASCII; browsers read UTF-8
    if codec.name != "utf-8" and not data.isascii() and _decodes(data, "utf-8"):
        return None  # valid multi-byte UTF-8 under a legacy label: the label lies
    python_codec = _python_codec(name)
    if not _decodes(data, python_codec):
        return None  # the label does not fit the bytes: detection decides
    if python_codec.startswith(_CJK_PREFIXES) and not data.isascii():
        return name if _reads_in_own_script(data[:_SAMPLE_BYTES], python_codec) else None
    return name


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether the bytes decode strictly with the encoding (False for an unknown one)."""
    try:
        data.decode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def _is_ascii_compatible(encoding: str) -> bool:
    """Whether ASCII markup decodes to itself in the encoding."""
    try:
        return _ASCII_PROBE.encode("ascii").decode(encoding) == _ASCII_PROBE
    except (LookupError, UnicodeError, ValueError):
        return False


def _python_codec(name: str) -> str:
    """Map a declared charset to Python's codec; ISO-8859-1 means Windows-1252 on the web."""
    codec = codecs.lookup(name.strip().strip("'\"")).name.replace("-", "_")
    return "cp1252" if codec in {"latin_1", "iso8859_1", "ascii"} else codec


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # a regex: str.translate is 10x slower


def _clean(text: str) -> str:
    """NFC, Unix newlines, no stray control characters, double-encoded UTF-8 repaired."""
    text = repair_mojibake(text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))
