"""Per-step checks of a dialogue scenario: typed reply fields (``reply:``), and the reply text.

A step's ``reply`` mapping names fields of the plan as it stands after the step (the reply's plan,
or the session's when the step only asked a question back) and what they must be; see
docs/SCENARIOS.md. Nothing parses prose: every field is read from the typed ``Reply``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from concierge.request.model import Intent

if TYPE_CHECKING:
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Option, Plan
    from concierge.reply import Reply


class ReplyFields(BaseModel):
    """What a step's reply must say, field by field (only the fields given are checked)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intent: Intent | None = None
    follow_up: Literal["change", "pick", "add_need", "confirm", "cancel", "none"] | None = None
    status: Literal["planned", "no_match", "not_covered", "suggestions", "none"] | None = None
    city: str | None = None
    venue: str | None = Field(default=None, description="catalog id of the first choice")
    area: str | None = Field(default=None, description="text in the first choice's summary (its neighbourhood)")
    cuisine: str | None = None
    party_size: int | None = Field(default=None, ge=1, le=20)
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    weekday: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] | None = None
    meal: Literal["breakfast", "brunch", "lunch", "dinner"] | None = None
    nights: int | None = Field(default=None, ge=1)
    needs: tuple[str, ...] = ()  # each must be (part of) the label of a need the plan states
    draft_status: Literal["none", "draft", "ready", "cancelled"] | None = None
    has_draft: bool | None = None
    clarify: bool | None = Field(default=None, description="a question back: nothing planned, nothing changed")
    chosen_was: int | None = Field(default=None, ge=1, description="position of the choice in the previous options")
    cheaper: bool | None = Field(default=None, description="the choice is cheaper than the previous first choice")
    turn_of_session: int | None = Field(default=None, ge=0, description="state records the session holds")
    days: int | None = Field(default=None, ge=0, description="days of the trip's itinerary (0: none)")
    changed_days: tuple[int, ...] | None = Field(default=None, description="itinerary days that differ from before")
    trip_needs: tuple[str, ...] = ()  # each must be (part of) the label of a need the itinerary applies


def _plan(reply: Reply) -> Plan | None:
    """The plan as it stands after the reply: its own, or the session's when it only answered."""
    if reply.plan is not None:
        return reply.plan
    return reply.session.plan if reply.session is not None else None


def _itinerary(reply: Reply | None) -> Itinerary | None:
    """The trip's itinerary as it stands after the reply: its own, or the session's."""
    if reply is None:
        return None
    return reply.itinerary or (reply.session.itinerary if reply.session is not None else None)


def _changed_days(reply: Reply, previous: Reply | None) -> tuple[int, ...]:
    """Days whose meals differ (field for field, drafts included) from the previous reply's itinerary."""
    now, before = _itinerary(reply), _itinerary(previous)
    if now is None or before is None:
        return ()
    old = {d.day: d.model_dump_json() for d in before.days}
    return tuple(d.day for d in now.days if old.get(d.day) != d.model_dump_json())


def observed(reply: Reply, previous: Reply | None) -> dict[str, Any]:
    """Every checkable field of ``reply`` (``previous``: the same user's reply before, for relative fields)."""
    session = reply.session
    plan = _plan(reply)
    return {
        "intent": reply.request.intent,
        "follow_up": reply.follow_up.kind if reply.follow_up else "none",
        "cuisine": reply.request.cuisine,
        **_plan_fields(plan),
        "draft_status": session.draft_status if session else "none",
        "has_draft": reply.draft is not None,
        "clarify": reply.follow_up is not None and reply.follow_up.kind != "cancel" and reply.plan is None,
        **_choice_fields(plan.chosen if plan else None, _plan(previous) if previous is not None else None),
        "turn_of_session": session.turn if session else 0,
        **_trip_fields(reply, previous),
    }


def _plan_fields(plan: Plan | None) -> dict[str, Any]:
    """The plan's own fields, None (or "none", no needs) when there is no plan."""
    chosen = plan.chosen if plan else None
    return {
        "status": plan.status if plan else "none",
        "city": chosen.city if chosen else None,
        "venue": chosen.id if chosen else None,
        "area": chosen.summary if chosen else None,
        "party_size": plan.party_size if plan else None,
        "time": f"{plan.time:%H:%M}" if plan and plan.time else None,
        "weekday": f"{plan.date:%A}" if plan and plan.date else None,
        "meal": plan.meal if plan else None,
        "nights": plan.nights if plan else None,
        "needs": [n.label for n in plan.needs] if plan else [],
    }


def _choice_fields(chosen: Option | None, before: Plan | None) -> dict[str, Any]:
    """The choice against the options shown before: its position among them ("the third one") and whether it
    is cheaper than the first ("something cheaper?")."""
    from concierge.conversation.followup import price_of

    shown = [before.chosen, *before.backups] if before is not None and before.chosen is not None else []
    ids = [o.id for o in shown]
    return {
        "chosen_was": ids.index(chosen.id) + 1 if chosen and chosen.id in ids else None,
        "cheaper": bool(chosen and shown and price_of(chosen) < price_of(shown[0])),
    }


def _trip_fields(reply: Reply, previous: Reply | None) -> dict[str, Any]:
    """The trip's itinerary: how many days, which changed since ``previous``, which needs it applies."""
    trip = _itinerary(reply)
    return {
        "days": len(trip.days) if trip else 0,
        "changed_days": _changed_days(reply, previous),
        "trip_needs": [n.label for n in trip.needs] if trip else [],
    }


def mismatches(expected: ReplyFields, reply: Reply, previous: Reply | None) -> list[str]:
    """One line per field that differs ("party_size: expected 4, got 2"); empty when all match."""
    got = observed(reply, previous)
    problems = []
    for name, want in expected.model_dump(exclude_none=True, exclude_defaults=True).items():
        have = got[name]
        if name in ("needs", "trip_needs"):
            missing = [n for n in want if not any(n.casefold() in label.casefold() for label in have)]
            ok = not missing
        elif name == "area":
            ok = have is not None and str(want).casefold() in str(have).casefold()
        elif isinstance(want, str):
            ok = have is not None and str(have).casefold() == want.casefold()
        else:
            ok = have == want
        if not ok:
            problems.append(f"{name}: expected {want!r}, got {have!r}")
    return problems
