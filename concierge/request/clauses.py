"""A message's sentences and first-person clauses: the units a statement, a question and a request are told apart by.

"I'm vegan and I'm planning a trip to France" is two clauses; "what must the kitchen avoid? book Lyon" two sentences.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[.!?;])\s+|\s*[,;]\s+|\s+[-\u2013\u2014]{1,2}\s+|\s+and\s+(?=(?:i|i'm|im|we|we're)\b)", re.I)


def pieces(text: str) -> list[str]:
    """The message's sentences and first-person clauses (at least two words each; a shorter one joins the last)."""
    out: list[str] = []
    for part in _SPLIT.split(" ".join(text.split())):
        if out and len(part.split()) < 2:
            out[-1] = f"{out[-1]} {part}"
        elif part.strip():
            out.append(part.strip())
    return out or [text]
