"""Showing user-supplied text safely: never interpreted as markdown, look-alike ids made visible.

Memories, chat messages and replies go through ``st.text`` / ``st.code`` (no markdown at all).
Where Streamlit only takes markdown (labels, headers, alerts), ids go in as code spans
(``md_code``), and other text (error messages quoting input) goes through ``md_escape``.
"""

from __future__ import annotations

import re
import unicodedata

from streamlit.delta_generator import DeltaGenerator

# CommonMark: a backslash before any ASCII punctuation character makes it literal.
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK_TRIGGER = re.compile(r"@|://|www\.|mailto:|xmpp:", re.IGNORECASE)
MAX_NAMED_CHARACTERS = 5


def md_escape(text: str) -> str:
    """``text`` for a markdown context (an alert, a label), shown literally and never as a link.

    Markdown syntax is backslash-escaped; words GFM would autolink (e-mail addresses, ``www.``,
    ``scheme://``) become code spans, because escapes do not stop GFM's autolinking.
    """
    return "".join(
        md_code(part) if _AUTOLINK_TRIGGER.search(part) else _ASCII_PUNCTUATION.sub(r"\\\1", part)
        for part in re.split(r"(\s+)", text)
    )


def md_code(text: str) -> str:
    """``text`` as a markdown code span: shown literally, never a link, image or emphasis."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def non_ascii_note(identifier: str) -> str | None:
    """Why an id may not be the user it looks like (``alice`` spelled with a Cyrillic U+0430), or None if all ASCII.

    Such ids are distinct users (correct for isolation); the note names each non-ASCII character
    by code point and Unicode name so an operator can tell them apart.
    """
    odd = list(dict.fromkeys(ch for ch in identifier if not ch.isascii()))
    if not odd:
        return None
    named = [f"“{ch}” U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}" for ch in odd[:MAX_NAMED_CHARACTERS]]
    more = f" and {len(odd) - MAX_NAMED_CHARACTERS} more" if len(odd) > MAX_NAMED_CHARACTERS else ""
    look_alike = "(a different user from any look-alike)"
    return f":material/warning: contains non-ASCII characters: {', '.join(named)}{more} {look_alike}"


def show_user_id(container: DeltaGenerator, user_id: str) -> None:
    """A visible note under an id that is not plain ASCII (it may look like another user's id)."""
    if note := non_ascii_note(user_id):
        container.caption(note)
