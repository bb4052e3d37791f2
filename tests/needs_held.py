"""The needs that hold, as (need id, holder) pairs: after some texts, or for a user of a running service. Shared by
the need-safety and holder tests, which compare them with what a message must leave in place."""

from __future__ import annotations

from concierge.needs import active_needs
from concierge.scope import Scope
from concierge.service import ConciergeService


def held(texts: list[str]) -> set[tuple[str, str]]:
    """What holds after ``texts`` (oldest first), by the rule the plan uses."""
    return {(n.need_id, n.holder.casefold()) for n in active_needs(texts)}


def users_needs(service: ConciergeService, scope: Scope) -> set[tuple[str, str]]:
    """What the plan of ``scope``'s user applies now."""
    return {(n.need_id, n.holder.casefold()) for n in service.user_needs(scope)}
