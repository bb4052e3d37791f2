"""What a message pointing back at the session's previous statement stores ("My son is allergic to eggs", then
"My daughter too" -> "User's daughter has an egg allergy"): the turn reads the session's latest facts from memory
and the needs reader (``concierge.needs.detect_too``) gives the daughter the need."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from concierge.memory.forgetting import latest_facts
from concierge.needs.detect_too import said_too
from concierge.needs.sentences import compose_needs

if TYPE_CHECKING:
    from concierge.scope import Scope
    from concierge.service import ConciergeService

_POINTS_BACK = re.compile(r"\b(?:too|also|as well|same|so (?:is|does|has|am|are)|either)\b", re.IGNORECASE)


def facts_said_too(service: ConciergeService, scope: Scope, message: str) -> str | None:
    """The facts to store for a short message that points back at the session's previous statement, None when it
    does not."""
    if not scope.run_id or len(message.split()) > 8 or not _POINTS_BACK.search(message):
        return None
    before = [r.text for r in latest_facts(service.memories(scope), scope.run_id)]
    return ". ".join(compose_needs(said_too(message, before))) or None
