"""A need's holder said with emphasis, written plainly before the parse.

"It's my wife who's coeliac, not me", "it's our guest who is", "the vegan one is my brother", "the one with the nut
allergy is my son", "I'm not the vegan one, that's my wife": the parser makes "it" or "one" the subject, so the need
went to the speaker or to "one of us".
Said plainly ("my wife is coeliac", "our guest is", "my brother is vegan"), the detector reads whose need it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Who holds it: "my wife", "our guest", "my older brother", "my friend Sam", "Sam".
_WHO = r"(?P<who>(?:(?:my|our|his|her|their|the)\s+(?:[a-z-]+\s+)?[a-z-]+(?:\s+[A-Z][a-z]+)?)|[A-Z][a-z]+)"

# "it's my wife who's coeliac", "it is our guest who is", "it was my son who has the allergy"
_IT_IS_WHO = re.compile(
    rf"\b(?P<it>it)(?:'s|\s+is|\s+was)\s+{_WHO}\s+(?:who|that)(?:'s|\s+is|\s+are|\s+was)(?=\W|$)", re.IGNORECASE
)
_IT_HAS_WHO = re.compile(
    rf"\b(?P<it>it)(?:'s|\s+is|\s+was)\s+{_WHO}\s+(?:who|that)\s+(?=has\b|needs\b|uses\b|can't\b)", re.IGNORECASE
)
# "the vegan one is my brother", "the gluten-free one's my wife"
_THE_NEED_ONE = re.compile(rf"\b(?P<it>the)\s+(?P<need>[\w-]+)\s+one(?:'s|\s+is)\s+{_WHO}", re.IGNORECASE)
# "I'm not the gluten-free one, that's my wife", "I am not the vegan one - it's my brother": a denial, then whose it is
_NOT_THE_ONE = re.compile(
    rf"\b(?P<it>I)(?:'m|\s+am)\s+not\s+the\s+(?P<need>[\w-]+)\s+one\s*[,;:!.\u2013\u2014-]+\s*"
    rf"(?:that|it)(?:'s|\s+is|\s+would\s+be)\s+{_WHO}",
    re.IGNORECASE,
)
# "the one who's vegan is my brother", "the one with the nut allergy is my son"
_THE_ONE_WHO = re.compile(
    rf"\b(?P<it>the)\s+one\s+(?:(?:who|that)(?:'s|\s+is)\s+(?P<state>[\w\s-]+?)|with\s+(?P<has>[\w\s-]+?))"
    rf"\s+is\s+{_WHO}",
    re.IGNORECASE,
)


def _cased(match: re.Match[str], plain: str) -> str:
    """``plain`` opening with a capital where the emphatic form opened the sentence with one."""
    return plain[:1].upper() + plain[1:] if match.group("it")[:1].isupper() else plain


def holder_said_plainly(text: str, states_a_need: Callable[[str], bool]) -> str:
    """``text`` with an emphatic statement of whose need it is written as a plain one; "the one ..." only when
    ``states_a_need`` of the speaker said so ("the cheap one is my favourite" stays as said)."""
    text = _IT_IS_WHO.sub(lambda m: _cased(m, f"{m.group('who')} is"), text)
    text = _IT_HAS_WHO.sub(lambda m: _cased(m, f"{m.group('who')} "), text)

    def need_one(m: re.Match[str]) -> str:
        return (
            _cased(m, f"{m.group('who')} is {m.group('need')}")
            if states_a_need(f"I am {m.group('need')}.")
            else m.group(0)
        )

    def the_one(m: re.Match[str]) -> str:
        if m.group("has"):
            plain = f"{m.group('who')} has {m.group('has')}"
            return _cased(m, plain) if states_a_need(f"I have {m.group('has')}.") else m.group(0)
        plain = f"{m.group('who')} is {m.group('state')}"
        return _cased(m, plain) if states_a_need(f"I am {m.group('state')}.") else m.group(0)

    def not_the_one(m: re.Match[str]) -> str:
        need = m.group("need")
        plain = f"I'm not {need}, {m.group('who')} is {need}"
        return plain if states_a_need(f"I am {need}.") else m.group(0)

    text = _NOT_THE_ONE.sub(not_the_one, text)
    return _THE_ONE_WHO.sub(the_one, _THE_NEED_ONE.sub(need_one, text))
