"""Small web archives written with warcio for the tests, in the shape of Common Crawl's
CC-NEWS: a warcinfo record, then per page a request, a response and a metadata record, with
revisits, error responses and non-HTML bodies among them."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FETCHED = "2024-03-05T06:07:08Z"


def article_html(n: int, *, dated: bool = False, charset: str | None = "utf-8") -> str:
    """A news article page of its own wording: number `n` in its title and every paragraph."""
    meta = f"<meta charset='{charset}'>" if charset else ""
    date = "<meta property='article:published_time' content='2024-02-01T09:00:00Z'>"
    paragraphs = "".join(
        f"<p>{sentence.format(n=n)}</p>"
        for sentence in (
            "The ferry company in Portwell said on Tuesday that crossing {n} would resume "
            "next week after the storm damaged the northern pier.",
            "Engineers spent three days checking the pier and found that the damage to "
            "berth {n} was smaller than the harbour board had feared.",
            "Passengers who booked crossing {n} during the closure will get their money "
            "back or a seat on a later sailing, the company said.",
        )
    )
    return (
        f"<!doctype html><html><head>{meta}<title>Crossing {n} resumes | Portwell Gazette"
        f"</title>{date if dated else ''}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Ferry crossing {n} resumes after the storm</h1>{paragraphs}</article>"
        "<footer>Portwell Gazette</footer></body></html>"
    )


@dataclass
class WrittenArchive:
    """What a builder wrote: the responses that are inputs (URL by order), the records it
    expects skipped (counted by reason), and the record cut short, if any."""

    path: Path
    urls: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    cut_url: str | None = None


class ArchiveBuilder:
    """Writes one archive, record by record."""

    def __init__(self, path: Path, gzip: bool = True) -> None:
        self.written = WrittenArchive(path)
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=gzip)
        info = self._writer.create_warcinfo_record(path.name, {"software": "newsetl tests"})
        self._writer.write_record(info)
        self.written.skipped["warcinfo record"] += 1

    def response(
        self,
        url: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
        *,
        request: bool = True,
        metadata: bool = True,
    ) -> None:
        """A fetch as CC-NEWS records it: request, response, metadata."""
        if request:
            payload = io.BytesIO(f"GET {url} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode())
            self._write(url, "request", payload, None)
            self.written.skipped["request record"] += 1
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        self._write(url, "response", io.BytesIO(body), headers)
        if status.startswith("200") and content_type.startswith(("text/html", "text/plain")):
            self.written.urls.append(url)
        elif not status.startswith("200"):
            self.written.skipped[f"HTTP {status.split()[0]}"] += 1
        else:
            self.written.skipped[content_type.split(";")[0]] += 1
        if metadata:
            self._write(url, "metadata", io.BytesIO(b"fetchTimeMs: 120\r\n"), None)
            self.written.skipped["metadata record"] += 1

    def revisit(self, url: str) -> None:
        """A revisit record (identical payload seen before)."""
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self._writer.create_revisit_record(
            url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, FETCHED, http_headers=headers
        )
        self._writer.write_record(record)
        self.written.skipped["revisit record"] += 1

    def _write(self, url: str, kind: str, payload: io.BytesIO, headers: object) -> None:
        record = self._writer.create_warc_record(
            url,
            kind,
            payload=payload,
            http_headers=headers,
            warc_headers_dict={"WARC-Date": FETCHED},
        )
        self._writer.write_record(record)

    def finish(self, cut_last: int = 0) -> WrittenArchive:
        """Write the archive; `cut_last` bytes off its end (the last response's gzip member
        cut short, when it is the last record)."""
        data = self._buffer.getvalue()
        if cut_last:
            data = data[:-cut_last]
            self.written.cut_url = self.written.urls.pop()
        self.written.path.parent.mkdir(parents=True, exist_ok=True)
        self.written.path.write_bytes(data)
        return self.written


def cc_news_archive(path: Path, pages: int = 6) -> WrittenArchive:
    """A CC-NEWS-style archive: `pages` articles (request, response, metadata each), a
    revisit, a 404, a PDF, and a last article whose gzip member is cut short."""
    builder = ArchiveBuilder(path)
    for n in range(pages):
        builder.response(f"https://gazette.example/news/crossing-{n}", article_html(n).encode())
        if n == 1:
            builder.revisit(f"https://gazette.example/news/crossing-{n}")
        if n == 2:
            builder.response(
                "https://gazette.example/missing", b"<html>gone</html>", status="404 Not Found"
            )
        if n == 3:
            builder.response(
                "https://gazette.example/report.pdf", b"%PDF-1.4 ...", "application/pdf"
            )
    builder.response(
        "https://gazette.example/news/cut-short", article_html(99).encode(), metadata=False
    )
    return builder.finish(cut_last=60)
