"""Text from users or files made safe for one line of terminal output.

Why: a memory is stored as the user wrote it, and a line-oriented listing (``memory list``) prints one
memory per line. A newline, a carriage return, U+2028/U+2029 or an escape sequence inside a stored text
would forge extra lines or rewrite the terminal, so such characters are shown as escapes (``\\n``,
``\\u2028``, ``\\x1b``) there. JSON output needs nothing: the encoder escapes them already.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Bidirectional overrides and isolates reorder what follows them on screen ("Trojan Source").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def _escaped(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Invisible format characters (U+200B zero width space, U+2060 word joiner, U+00AD soft hyphen...) hide
# text or make two different memories look alike; the zero width joiner is kept: it builds emoji (👨‍👩‍👧).
_ZWJ = "\u200d"


def _unsafe(ch: str) -> bool:
    return (
        ch in _BIDI
        or unicodedata.category(ch) in ("Cc", "Zl", "Zp")
        or (ch != _ZWJ and unicodedata.category(ch) == "Cf")
    )


def escape_line(text: str) -> str:
    """``text`` with control, line-separator, bidi-override and invisible format characters as visible escapes."""
    if text.isprintable():  # the common case; isprintable() is False for every character escaped below
        return text
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in text)
