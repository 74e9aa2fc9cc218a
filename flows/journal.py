"""The commit journal: files published all together or, after a crash, all once recovered.

A commit stages each file under `_staging/commits/<id>/`, then writes the journal
`_staging/commits/<id>.json` (atomically): the commit point. Applying the journal renames each
staged file over its final name (on object storage: a copy; a PUT is atomic per object).
`recover`, at the start of every run, applies every journal left by a killed run, then
deletes staged files without a journal and hidden temporary files. Applying twice is
harmless: a rename already done is skipped.
"""

from __future__ import annotations

import contextlib
import json
import os

import pyarrow as pa

from flows.layout import JOURNAL_DIR, journal_file, journal_folder, staged_file
from flows.storage import (
    Appended,
    filesystem,
    is_local,
    remove_files,
    write_json_atomic,
    write_parquet_appended,
    write_parquet_atomic,
)


def publish_files(
    out: str, commit_id: str, contents: list[tuple[str, pa.Table | Appended]]
) -> list[str]:
    """Publish tables (or files with rows added) at their final paths, all or (after a
    crash, once recovered) none: stage each, write the journal (the commit point), apply it,
    delete it. Returns the paths."""
    moves: list[list[str]] = []
    _, root = filesystem(out)
    for number, (final, table) in enumerate(contents):
        staged = staged_file(commit_id, number)
        if isinstance(table, Appended):
            write_parquet_appended(out, staged, table)
        else:
            write_parquet_atomic(out, staged, table)
        moves.append([f"{root}/{staged}", final])
    journal = {"moves": moves}
    write_json_atomic(out, journal_file(commit_id), journal)  # the commit point
    _apply_journal(out, journal)
    _remove_tree(out, journal_folder(commit_id))
    remove_files(out, [f"{root}/{journal_file(commit_id)}"])
    return [final for _, final in moves]


def _apply_journal(out: str, journal: dict[str, list[list[str]]]) -> None:
    """Roll a committed batch forward: rename each staged file that is still there over its
    final name (a rename already done is skipped, so this may be redone)."""
    fs, _ = filesystem(out)
    for staged, final in journal["moves"]:
        if fs.exists(staged):
            fs.makedirs(final.rsplit("/", 1)[0], exist_ok=True)
            if is_local(out):
                os.replace(staged, final)
            else:
                fs.mv(staged, final)


def recover(out: str) -> int:
    """Finish or undo what a killed run left; returns how many journals were rolled forward.

    Journals are rolled forward (their batch was committed); staged files without a journal
    (a batch that was not) and hidden temporary files are deleted.
    """
    fs, _root = filesystem(out)
    journals = [p for p in _find(out, JOURNAL_DIR) if p.endswith(".json") and not _is_temporary(p)]
    for journal in journals:
        with fs.open(journal, "rb") as handle:
            _apply_journal(out, json.loads(handle.read()))
        remove_files(out, [journal])
    _remove_tree(out, JOURNAL_DIR)
    remove_files(out, [p for p in _find(out, "") if _is_temporary(p)])
    return len(journals)


def _is_temporary(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith(".") and name.endswith(".tmp")


def _find(out: str, folder: str) -> list[str]:
    fs, root = filesystem(out)
    base = f"{root}/{folder}".rstrip("/")
    if not fs.exists(base):
        return []
    return sorted(fs.find(base))


def _remove_tree(out: str, folder: str) -> None:
    fs, root = filesystem(out)
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"{root}/{folder}", recursive=True)
