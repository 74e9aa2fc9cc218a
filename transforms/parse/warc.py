"""Web archives (WARC) as inputs: which records are articles, and what their headers say.

A `.warc` or `.warc.gz` file under the raw root is an archive of inputs. Each HTTP response
record with status 200 and an HTML or plain-text body is one input, keyed by the archive's
path and the record's byte offset (`archive.warc.gz#000000012345`: zero-padded, so that
the keys sort in the archive's order). Every other record is skipped and counted by reason
(`request record`, `HTTP 404`, `application/pdf`...), never a reject of its own. Reading the
archive is I/O and lives in `flows.archives`; this module only decides.
"""

from __future__ import annotations

from datetime import datetime
from email.message import Message

from transforms.text.dates import parse_datetime

ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
RECORD_SEPARATOR = "#"
_OFFSET_DIGITS = 12
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})


def is_archive(source_path: str) -> bool:
    """Whether a raw file is a web archive (by its name)."""
    return source_path.lower().endswith(ARCHIVE_SUFFIXES)


def record_key(archive: str, offset: int) -> str:
    """The input key of the record at `offset` in `archive`."""
    return f"{archive}{RECORD_SEPARATOR}{offset:0{_OFFSET_DIGITS}d}"


def split_record_key(source_path: str) -> tuple[str, int] | None:
    """The archive and offset a record key names (None when it names a plain file)."""
    archive, sep, offset = source_path.rpartition(RECORD_SEPARATOR)
    if not sep or not is_archive(archive) or not offset.isdigit():
        return None
    return archive, int(offset)


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lowercase, without its parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def http_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header declares (`text/html; charset=ISO-8859-1`)."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip().lower() or None if isinstance(charset, str) else None


def record_suffix(record_type: str, status: int | None, content_type: str | None) -> str:
    """The suffix a record's body would have as a file (`.html`, `.txt`) when the record is
    an input; else why it is skipped, as a count key (`request record`, `HTTP 404`,
    `application/pdf`, `no content type`)."""
    if record_type != "response":
        return f"{record_type} record"
    if status != 200:
        return f"HTTP {status}" if status is not None else "response without HTTP headers"
    kind = media_type(content_type)
    if kind in _HTML_TYPES:
        return ".html"
    if kind in _TEXT_TYPES:
        return ".txt"
    return kind or "no content type"


def is_input_suffix(decision: str) -> bool:
    """Whether `record_suffix` took the record as an input."""
    return decision in {".html", ".txt"}


def warc_date(value: str | None) -> datetime | None:
    """A `WARC-Date` header as an aware UTC datetime."""
    return parse_datetime(value) if value else None
