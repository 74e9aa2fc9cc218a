"""Stable ids: lowercase hex of a keyed BLAKE2b hash, the same in every run and process."""

from __future__ import annotations

import hashlib


def stable_id(*parts: str) -> str:
    """A 16-hex-digit id for the given key parts (joined by a separator no text holds)."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def sha256_hex(data: bytes | str) -> str:
    """SHA-256 of bytes, or of a string's UTF-8 encoding, as lowercase hex."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()
