"""A request asked as a question ("Do you know any vegan restaurants in Berlin?"): the options are shown, nothing
is drafted to a venue, and the question is not a fact about the user (only the clauses that tell are kept)."""

from __future__ import annotations

import re

from concierge.request.clauses import pieces

_I = re.IGNORECASE
_ASKS_ABOUT = re.compile(
    r"^\W*(?:(?:do|does|did)\s+(?:you|u)\s+(?:know|have|recommend)|(?:you\s+)?know\s+(?:any|of|some|a|an)\b|"
    r"(?:can|could|would)\s+(?:you|u)\s+recommend|(?:have\s+you\s+)?got\s+any\b|(?:are|is)\s+there|any\b|anything\b|"
    r"(?:what|which|where)\b(?!\s+about\b|\s+(?:should|can|could)\s+(?:i|we)\s+book))",
    _I,
)
_BOOK = re.compile(r"\b(?:book|reserve|reservation|table\s+for)\b", _I)


def _asks_about(piece: str) -> bool:
    """A question about what exists ("are there ...?", "any ...?", "do you know ...?"), not a request."""
    return bool(_ASKS_ABOUT.search(piece)) and piece.rstrip().endswith("?")


def asks_only(message: str) -> bool:
    """The message asks about options ("are there halal places in Paris?") and asks for no booking."""
    return not _BOOK.search(message) and any(_asks_about(p) for p in pieces(message))


def told_part(message: str) -> str:
    """What the message tells, without its questions ("I'm vegan, any restaurants in Berlin?" -> "I'm vegan")."""
    return " ".join(p for p in pieces(message) if not _asks_about(p) and not p.rstrip().endswith("?"))
