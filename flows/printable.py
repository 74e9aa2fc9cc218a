"""Text made safe for a terminal: what a file name or a page brings (escape sequences, bell,
bidirectional overrides) is shown as `\\xNN`/`\\uNNNN`, never sent to the terminal raw."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the marks that reorder text (bidirectional overrides).
_CONTROL = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[{_CONTROL}]")
_KEEP_LINES = re.compile(f"(?![\\n\\t])[{_CONTROL}]")


def printable(text: object, lines: bool = False) -> str:
    """`text` with every control character escaped; `lines`: keep line breaks and tabs (a
    cell of body text), else one line (a path, a message)."""
    pattern = _KEEP_LINES if lines else _ANY_CONTROL
    return pattern.sub(_escape, str(text))


def shown(text: object, lines: bool = False) -> str:
    """`printable`, and rich's markup escaped: for text put inside a rich markup string."""
    from rich.markup import escape

    return escape(printable(text, lines))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
