"""Repair of double-encoded UTF-8: text that was UTF-8, read as Latin-1 or Windows-1252 and
saved again as UTF-8 ("â€™" for "’", "Ã©" for "é"). Some saved pages carry it in their
own bytes, so no choice of charset undoes it.
"""

from __future__ import annotations

import re

# A lead character and its continuation characters (C1 controls or cp1252's symbols).
_CONTINUATION = (
    "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
    "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
    "\u0153\u017e\u0178"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
    f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
)
# Every sequence starts with a lead and a continuation: one character class each, which the
# regex engine scans for five times faster than the three-way pattern (whole pages pass).
_MAYBE_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")


def repair_mojibake(text: str) -> str:
    """The text with each double-encoded UTF-8 sequence replaced by the character it encodes."""
    return _MOJIBAKE.sub(_repair, text) if _MAYBE_MOJIBAKE.search(text) else text


def _repair(match: re.Match[str]) -> str:
    """The character a double-encoded UTF-8 sequence stands for, or the sequence as it was."""
    try:
        data = bytes(ord(ch) if ord(ch) < 256 else ch.encode("cp1252")[0] for ch in match[0])
        repaired = data.decode("utf-8")
    except (UnicodeError, ValueError):
        return match[0]
    # two bytes beyond Armenian (Hebrew, Arabic, NKo…) are likelier real "ß°" than mojibake
    return repaired if len(data) > 2 or ord(repaired) < 0x0590 else match[0]
