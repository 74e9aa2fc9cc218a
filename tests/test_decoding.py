"""Decoding: BOMs, UTF-8, Windows-1252, Latin-1, UTF-16, gzip caps, NFC."""

from __future__ import annotations

import gzip
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.text.decoding import DecodeError, decode_text, gunzip_capped

TEXT = "Café owners in München say “tourism” is back — naïve hopes?"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "cp1252"],
)
def test_encodings_decode_to_the_same_text(data: bytes) -> None:
    assert decode_text(data) == TEXT


def test_latin1_accents_survive() -> None:
    assert decode_text("Zürich and Genève".encode("latin-1")) == "Zürich and Genève"


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Amélie")
    assert decode_text(decomposed.encode("utf-8")) == "Amélie"


def test_crlf_becomes_newline_and_controls_go() -> None:
    assert decode_text(b"a\r\nb\rc\x07d") == "a\nb\ncd"


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError) as info:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert info.value.error_type == "binary_content"


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    with pytest.raises(DecodeError) as info:
        gunzip_capped(bomb, max_bytes=100_000)
    assert info.value.error_type == "too_large"


def test_truncated_gzip_is_refused() -> None:
    data = gzip.compress(TEXT.encode() * 50)
    with pytest.raises(DecodeError) as info:
        gunzip_capped(data[: len(data) // 2])
    assert info.value.error_type == "truncated_gzip"


def test_gzip_round_trip() -> None:
    assert gunzip_capped(gzip.compress(b"hello")) == b"hello"


@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_decode_error(data: bytes) -> None:
    try:
        text = decode_text(data)
    except DecodeError:
        return
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("A DIY Investor\u00e2\u0080\u0099s Guide", "A DIY Investor’s Guide"),  # C1 variant
        ("the council\u00e2\u20ac\u2122s vote", "the council’s vote"),  # cp1252 variant
        ("caf\u00c3\u00a9 au lait", "café au lait"),
        ("Stra\u00dfe\u00b0 and na\u00efve caf\u00e9", "Straße° and naïve café"),  # real text stays
    ],
)
def test_double_encoded_utf8_is_repaired(text: str, repaired: str) -> None:
    assert decode_text(text.encode("utf-8")) == repaired
