"""Chat asides around a need said without a subject, set aside before the parse.

"Lactose intolerant, just thought you should know", "Coeliac, FYI.", "Vegetarian since 2015 🥦": the remark ("FYI",
"btw", "just so you're aware") and the emoji say nothing about the need, but the parser hangs the bare adjective on
them ("FYI" read as a name holding the need, the emoji as the head of the sentence), so the need is lost or given to
no one. And "were" typed for "we're" at the head of a clause ("..., were both vegetarians") loses its subject.
"""

from __future__ import annotations

import re

# Remarks that only tell the assistant why it is told; said before or after the statement.
_REMARK = (
    r"(?:just\s+)?(?:(?:i\s+)?thought\s+(?:you\s+)?(?:should|might|ought\s+to)\s+(?:want\s+to\s+)?know"
    r"|so\s+you(?:'re|\s+are)\s+aware|so\s+you\s+know|(?:just\s+)?(?:fyi|btw|by\s+the\s+way)"
    r"|for\s+(?:the\s+record|your\s+information|your\s+info|info|reference)|in\s+case\s+it\s+matters"
    r"|just\s+(?:saying|letting\s+you\s+know|a\s+heads[\s-]up)|heads[\s-]up|if\s+that\s+matters)"
)
_TRAILING_REMARK = re.compile(rf"[,;:\s\u2013-]+{_REMARK}\s*(?=[.!]*\s*(?:$|\n))", re.IGNORECASE)
_LEADING_REMARK = re.compile(rf"(?:^|(?<=[.!?]\s)){_REMARK}\s*[,:\u2013-]+\s*", re.IGNORECASE)

# Pictographs, symbols and their joiners/selectors (emoji blocks of Unicode).
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u200d\ufe0f\u2b00-\u2bff\u2300-\u23ff]+"
)

# "were" typed for "we're" at the head of a clause, before what says who ("were both", "were all", "were also").
_WERE = re.compile(r"(?:^|(?<=[,;.!]\s))were(?=\s+(?:both|all|each|also|too|the\s+two|two)\b)", re.IGNORECASE)


# Words that take a need back: beside them an emoji may be the doubt that makes the retraction not plain ("I'm not
# allergic to peanuts anymore. 🤔" asks, issue 24), so it stays for the retraction's reader to see.
_TAKING_BACK = re.compile(
    r"n't\b|\b(?:not|no\s+longer|any\s*more|never|outgr[eo]wn?|outgrew|stopped|quit|gave\s+up|gone|cured)\b",
    re.IGNORECASE,
)


def without_asides(text: str) -> str:
    """``text`` with remarks to the assistant and emoji taken out, and a clause-opening "were" read as "we're"."""
    if not _TAKING_BACK.search(text):
        text = _EMOJI.sub(" ", text)
    text = _TRAILING_REMARK.sub("", text)
    text = _LEADING_REMARK.sub("", text)
    text = _WERE.sub(lambda m: "We're" if m.group(0)[0].isupper() else "we're", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
