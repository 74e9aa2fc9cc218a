"""Web archives at the scale of a few thousand pages (issue 26): reading speed of warcio and
FastWARC, and `newsetl run` over one archive beside the same pages as loose files.

Packs the HTML and text pages of a generated real-size corpus (`python -m bench.generate
--n N --real-size`) into one CC-NEWS-style `.warc.gz` (per page a request, a response and a
metadata record; the URL from the page's sidecar when it has one), then measures, in one run:

- records per second through the whole archive, each response's body read: warcio's
  `ArchiveIterator`, FastWARC's `ArchiveIterator`, and the planning scan
  (`flows.archives.scan_archive`, warcio);
- `newsetl run --no-entities` on the archive and on the same pages as files: wall, inputs/s,
  peak RSS of the flow process and of each worker; then the no-op rerun on the archive.

`python bench/warc.py --pages 3000 [--out bench/results] [--readme bench/README.md]`
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import bench_env, ensure_corpus, log, stop_server, write_block  # noqa: E402
from bench.scale import ProcessPeaks, measure_tree  # noqa: E402

MARK_START = "<!-- bench:warc -->"
MARK_END = "<!-- /bench:warc -->"
_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


def pack_archive(corpus: Path, pages: int, archive: Path, loose: Path) -> int:
    """Write the first `pages` HTML/text pages of `corpus` into `archive` (and as files
    under `loose`); the number of pages packed."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paths = sorted(
        p for p in corpus.rglob("*") if p.is_file() and p.suffix in _TYPES and p.stat().st_size
    )[:pages]
    archive.parent.mkdir(parents=True, exist_ok=True)
    with archive.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for path in paths:
            relative = path.relative_to(corpus)
            url = _url(path) or f"https://{relative.parts[0]}.example/{relative.as_posix()}"
            request = f"GET {url} HTTP/1.1\r\n\r\n".encode()
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(request))
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", _TYPES[path.suffix])], protocol="HTTP/1.1"
            )
            body = io.BytesIO(path.read_bytes())
            writer.write_record(
                writer.create_warc_record(url, "response", payload=body, http_headers=headers)
            )
            meta = io.BytesIO(b"fetchTimeMs: 100\r\n")
            writer.write_record(writer.create_warc_record(url, "metadata", payload=meta))
            target = loose / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return len(paths)


def _url(page: Path) -> str | None:
    sidecar = page.with_name(page.name.rsplit(".", 1)[0] + ".meta.json")
    if not sidecar.exists():
        return None
    url = json.loads(sidecar.read_text()).get("url")
    return url if isinstance(url, str) else None


def read_speeds(archive: Path) -> dict[str, float]:
    """Records per second through the archive for each reader (bodies read)."""
    from fastwarc.warc import ArchiveIterator as FastIterator
    from warcio.archiveiterator import ArchiveIterator

    from flows.archives import scan_archive
    from flows.storage import FileEntry

    speeds: dict[str, float] = {}
    started = time.perf_counter()
    with archive.open("rb") as handle:
        records = sum(1 for record in ArchiveIterator(handle) if record.content_stream().read())
    speeds["warcio ArchiveIterator"] = records / (time.perf_counter() - started)
    started = time.perf_counter()
    with archive.open("rb") as handle:
        records = sum(1 for record in FastIterator(handle) if record.reader.read())
    speeds["FastWARC ArchiveIterator"] = records / (time.perf_counter() - started)
    entry = FileEntry(archive.name, archive.stat().st_size, archive.stat().st_mtime_ns)
    started = time.perf_counter()
    scan = scan_archive(str(archive.parent), entry)
    records = len(scan.inputs) + sum(scan.skipped.values())
    speeds["planning scan (flows.archives, warcio)"] = records / (time.perf_counter() - started)
    speeds["records"] = records
    return speeds


def markdown(
    pages: int, size_mb: float, speeds: dict[str, float], runs: dict[str, ProcessPeaks]
) -> str:
    """The two tables: readers, then runs."""
    lines = [
        f"One `.warc.gz` of {pages:,} generated real-size pages ({int(speeds['records']):,} "
        f"records, {size_mb:.1f} MB); {os.cpu_count()} cores, load before "
        f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        "| reader (all records, bodies read) | records/s |",
        "|---|---:|",
        *(f"| {name} | {rate:,.0f} |" for name, rate in speeds.items() if name != "records"),
        "",
        "| `newsetl run --no-entities` | wall (s) | inputs/s | flow peak RSS (MB) | "
        "worker peak RSS (MB) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, run in runs.items():
        rate = pages / run.wall if run.wall else 0.0
        workers = ", ".join(str(mb) for mb in run.worker_mb) or "-"
        lines.append(f"| {name} | {run.wall:.1f} | {rate:.1f} | {run.flow_mb:,.0f} | {workers} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and record the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--readme", type=Path, default=REPO / "bench" / "README.md")
    args = parser.parse_args(argv)
    out = args.out.resolve() / f"warc-{args.pages}"
    shutil.rmtree(out, ignore_errors=True)
    corpus = ensure_corpus(args.out.resolve(), args.pages + args.pages // 2, 0)
    archive = out / "raw-warc" / "cc-news" / "CC-NEWS-bench.warc.gz"
    pages = pack_archive(corpus, args.pages, archive, out / "raw-files")
    log(f"packed {pages:,} pages into {archive}")
    speeds = read_speeds(archive)
    home = tempfile.mkdtemp(prefix="newsetl-warc-prefect-")
    env = bench_env(home)
    newsetl = str(Path(sys.executable).parent / "newsetl")
    runs: dict[str, ProcessPeaks] = {}
    try:
        (out / "empty").mkdir()
        log("a run on an empty folder (starts the newsetl server: not measured)")
        measure_tree([newsetl, "run", "--raw", str(out / "empty"), "--out", str(out / "o")], env)
        for name, raw, target in (
            ("the archive", out / "raw-warc", out / "out-warc"),
            ("the same pages as files", out / "raw-files", out / "out-files"),
            ("no-op rerun on the archive", out / "raw-warc", out / "out-warc"),
        ):
            log(f"newsetl run: {name}")
            runs[name] = measure_tree(
                [newsetl, "run", "--raw", str(raw), "--out", str(target), "--no-entities"],
                env,
            )
            if runs[name].returncode:
                raise RuntimeError(runs[name].output[-3000:])
    finally:
        stop_server(env)
        shutil.rmtree(home, ignore_errors=True)
    table = markdown(pages, archive.stat().st_size / 2**20, speeds, runs)
    print(table, flush=True)
    if str(args.readme) != "-":
        write_block(args.readme, MARK_START, MARK_END, table, "## Web archives (issue 26)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
