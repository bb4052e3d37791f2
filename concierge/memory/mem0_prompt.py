"""Reading mem0's extraction prompt: the user's own words of an add ("## New Messages").

Both extraction models need them (the offline one to extract, any model's reply to be checked against them), so
the reading lives here, beside the memory layer that builds the prompt, not in either model.
"""

from __future__ import annotations

import re

_NEW_MESSAGES = re.compile(r"## New Messages\n(?P<body>.*?)(?:\n\n## |\Z)", re.DOTALL)
_SPEAKER = re.compile(r"^(user|assistant|system): ", re.MULTILINE)


def user_turns(prompt: str) -> list[str]:
    """The user's messages in mem0's "## New Messages" section ("user: ..." lines, may span lines)."""
    match = _NEW_MESSAGES.search(prompt)
    if not match:
        return []
    parts = _SPEAKER.split(match.group("body"))
    # split() yields ["", role, text, role, text, ...]
    return [text.strip() for role, text in zip(parts[1::2], parts[2::2], strict=True) if role == "user"]
