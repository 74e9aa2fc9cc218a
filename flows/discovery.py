"""Listing the raw inputs: every file under the raw root as a `FileEntry`, and what cannot be
listed or followed (a folder that cannot be read, a symlink loop, a name that is not UTF-8)
as an entry with its problem. Local trees are walked with `os.scandir` (the no-op rerun costs
about as much as listing the files); other locations through fsspec.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from fsspec.implementations.local import LocalFileSystem

from flows.storage import FileEntry, filesystem, reason
from transforms.parse.document import SIDECAR_SUFFIX
from transforms.records import Reject


def _skip(name: str) -> bool:
    return name.startswith((".", "_")) or name.endswith(SIDECAR_SUFFIX)


def discover_files(
    raw: str,
    list_folder: Callable[[str], list[os.DirEntry[str]]] | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> list[FileEntry]:
    """Every raw input under `raw` at any depth, sorted (`iter_files`, held in a list)."""
    return list(iter_files(raw, list_folder, on_skip))


def iter_files(
    raw: str,
    list_folder: Callable[[str], list[os.DirEntry[str]]] | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[FileEntry]:
    """Every raw input under `raw` at any depth, by source_path. Sidecars are skipped (read
    with their file); so are names starting with `.` or `_` (hidden files and folders,
    private state), each told to `on_skip` (its key; a folder is not walked).

    Whatever cannot be listed or followed is listed with its problem, so that it becomes a
    reject: a folder that cannot be listed, a symlink loop, a link out of the raw root, a
    name that is not UTF-8. `list_folder` lists one local folder (`os.scandir` by default).

    A local tree is walked folder by folder in key order, so the listing streams: the
    walk holds the names of the folders on its current path, never the whole listing (a
    plan over 300,000 inputs would otherwise hold 300,000 entries at once). The root is
    listed before the first entry is given, so a missing root raises at the call.
    """
    fs, root = filesystem(raw)
    if isinstance(fs, LocalFileSystem):
        top = _sorted_folder(root, len(os.path.join(root, "")), list_folder or _scandir)
        return _walk_local(root, top, list_folder or _scandir, on_skip or _ignore)
    entries = []
    for path, info in fs.find(root, detail=True).items():
        relative = path[len(root) :].lstrip("/")
        if info.get("type") != "file" or relative.endswith(SIDECAR_SUFFIX):
            continue
        if any(_skip(p) for p in relative.split("/")):
            (on_skip or _ignore)(relative)
            continue
        mtime = info.get("mtime") or info.get("LastModified") or 0
        stamp = (
            int(mtime.timestamp() * 1e9) if isinstance(mtime, datetime) else int(float(mtime) * 1e9)
        )
        entries.append(FileEntry(relative, int(info.get("size") or 0), stamp))
    return iter(sorted(entries, key=lambda e: e.source_path))


def _scandir(folder: str) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as scanner:
        return list(scanner)


def _ignore(key: str) -> None:
    pass


def _sorted_folder(
    folder: str, prefix: int, list_folder: Callable[[str], list[os.DirEntry[str]]]
) -> list[tuple[str, os.DirEntry[str]]]:
    """A folder's entries by the order of the keys under them: a file's key is its own, a
    folder's keys all start with its key and `/` (so `a.txt` < `a/b.txt`, as strings sort).
    Raises OSError when the folder cannot be listed."""
    named = []
    for entry in list_folder(folder):
        key = _key(entry.path[prefix:])
        try:  # walked: a folder, not a link, with a UTF-8 name (`_classify`)
            walked = key.encoded == key.text and entry.is_dir(follow_symlinks=False)
        except OSError:
            walked = False
        named.append((f"{key.text}/" if walked else key.text, entry))
    named.sort(key=lambda pair: pair[0])
    return named


def _walk_local(
    root: str,
    top: list[tuple[str, os.DirEntry[str]]],
    list_folder: Callable[[str], list[os.DirEntry[str]]],
    on_skip: Callable[[str], None],
) -> Iterator[FileEntry]:
    real_root = os.path.realpath(root)
    prefix = len(os.path.join(root, ""))  # every path listed is root joined with more
    stack = [iter(top)]
    while stack:
        named = next(stack[-1], None)
        if named is None:
            stack.pop()
            continue
        key, entry = named
        if _skip(entry.name):
            if not entry.name.endswith(SIDECAR_SUFFIX):
                on_skip(key.removesuffix("/"))
            continue
        found = _classify(entry.path[prefix:], real_root, entry)
        if isinstance(found, FileEntry):
            yield found
        elif found:
            try:
                stack.append(iter(_sorted_folder(found, prefix, list_folder)))
            except OSError as exc:
                yield _problem_entry(
                    root, found, "unlistable", f"cannot list the folder: {reason(exc)}"
                )


def _classify(relative: str, real_root: str, entry: os.DirEntry[str]) -> FileEntry | str | None:
    """A file to list, a folder to walk (its path), or None for a link to a folder inside
    (`relative`: its path under the raw root)."""
    key = _key(relative)
    if key.encoded != key.text:
        return FileEntry(key.text, 0, 0, Reject("discover", "undecodable_name", _NOT_UTF8))
    try:
        if entry.is_symlink():
            return _classify_link(key.text, real_root, entry.path)
        if entry.is_dir(follow_symlinks=False):
            return entry.path
        st = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return FileEntry(key.text, 0, 0, Reject("read", "vanished", f"listed, then {reason(exc)}"))
    if stat.S_ISREG(st.st_mode):
        return FileEntry(key.text, st.st_size, st.st_mtime_ns)
    return FileEntry(key.text, 0, 0)  # a FIFO, socket or device: a reject, never opened


def _classify_link(relative: str, real_root: str, path: str) -> FileEntry | None:
    try:
        target_stat = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return FileEntry(relative, 0, 0, Reject("discover", "symlink_loop", _LOOP))
        return FileEntry(
            relative, 0, 0, Reject("read", "unreadable", f"dangling symlink: {reason(exc)}")
        )
    target = os.path.realpath(path)
    inside = target == real_root or target.startswith(real_root + os.sep)
    if not inside:
        return FileEntry(relative, 0, 0, Reject("read", "outside_raw", _OUTSIDE))
    if stat.S_ISDIR(target_stat.st_mode):
        return None  # reached through its real path anyway
    if stat.S_ISREG(target_stat.st_mode):  # the target's size and time: a changed target is seen
        return FileEntry(relative, target_stat.st_size, target_stat.st_mtime_ns)
    return FileEntry(relative, 0, 0)


_NOT_UTF8 = "the file name is not UTF-8: its bytes are kept as \\x escapes in source_path"
_LOOP = "symlink loop: the link leads back to itself"
_OUTSIDE = "symlink leads outside the raw root: not followed"


@dataclass(frozen=True, slots=True)
class _Key:
    text: str  # how source_path shows it: undecodable bytes as \xNN escapes
    encoded: str  # the name as the OS gave it


def _key(relative: str) -> _Key:
    posix = relative.replace(os.sep, "/")
    if posix.isascii():  # most names: nothing to escape
        return _Key(posix, posix)
    return _Key(os.fsencode(posix).decode("utf-8", "backslashreplace"), posix)


def _problem_entry(root: str, folder: str, error_type: str, message: str) -> FileEntry:
    relative = _key(os.path.relpath(folder, root)).text
    return FileEntry(relative + "/", 0, 0, Reject("discover", error_type, message))
