""" "scratch that" / "that's no longer true": they refer to the previous turn of the session, and nothing older.

- After a booking or an edit of the plan (the session's newest state was written after the newest fact the user
  stated), they undo that turn: the session's plan goes back to what it was before it (or to none). The state to
  write is returned, not written: the turn writes it, after checking that the plan applies every need that holds
  now (``concierge.turn.undo_turn``: a need said since that plan is still applied).
- After a plain retraction of a need, the need holds again (``concierge.conversation.jest``); after a forget
  request, what it deleted is added back (``concierge.conversation.unforget``); "no, don't forget it" does so too.
- After a statement, the facts it stored go (``concierge.memory.forgetting``), unless one of them states a need:
  a need is removed only by a request that names it, so the reply says how, and nothing is deleted.

Other ways of taking the previous turn back ("undo", "I take it back", "strike that", "wait, no", "never mind,
cancel that") are read by example (the ``undo`` kind of ``config/turn_kinds.yaml``), not by one more pattern,
and act the same way. "scratch that, make it Paris" takes back the previous value by saying the new one:
with a plan in the session, only the edit is read (``edit_after_retraction``), as "no wait, make it Paris" is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.conversation.state import SessionState, state_of
from concierge.memory.forgetting import Forgotten, forget_by_chat, latest_facts
from concierge.memory.records import SESSION_STATE, MemoryRecord

if TYPE_CHECKING:
    from concierge.conversation.state import AskedRetraction
    from concierge.crew.outputs import Draft, Plan
    from concierge.memory.layer import ConciergeMemory
    from concierge.request.forget import ForgetRequest
    from concierge.scope import Scope

_PREVIOUS_TURN = ("correction", "stale")
# "scratch that, make it Paris": a retraction of the previous turn, then what replaces it, in one message.
_RETRACTED_THEN_EDIT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|actually|oh|sorry|wait|no|hmm+)[\s,!.-]+)*"
    r"(?:scratch|forget|strike|disregard|ignore|undo|cancel)\s+(?:that|this|it)\s*[,;:.!\u2013\u2014-]+\s*"
    r"(?P<edit>(?:(?:and|but|just|no|instead)\s+)*(?:make|change|move|switch|swap|let'?s|how\s+about|what\s+about)\b.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Undone:
    """A forget request's outcome: what was forgotten, or the plan the session went back to."""

    answer: str
    forgotten: Forgotten | None = None
    plan: Plan | None = None
    draft: Draft | None = None
    state: SessionState | None = None  # the session's state to write (the plan gone back to), if any
    asks: AskedRetraction | None = None  # the need a forget request named, not plainly: "yes" next forgets it


def _states(memory: ConciergeMemory, scope: Scope) -> list[tuple[MemoryRecord, SessionState]]:
    """The session's state records that changed its plan, oldest first (by turn, then time written); a record that
    only kept or forgot a question or a retraction for one turn is no turn an undo goes back over."""
    found = [(r, s) for r in memory.list(scope, kind=SESSION_STATE) if (s := state_of(r)) is not None]
    ordered = sorted(found, key=lambda pair: (pair[1].turn, pair[0].created_at or ""))
    return [pair for i, pair in enumerate(ordered) if _plans(ordered[i - 1][1] if i else None, pair[1])]


_BOOKKEEPING = frozenset({"turn", "summary", "asked_retraction", "retracted", "forgot"})


def _plans(before: SessionState | None, after: SessionState) -> bool:
    """``after`` changed the session's plan (its request, plan, draft or trip) from ``before``."""
    fields = set(SessionState.model_fields) - _BOOKKEEPING
    empty = SessionState(turn=1)
    return after.model_dump(include=fields) != (before or empty).model_dump(include=fields)


def _back(scope: Scope, states: list[tuple[MemoryRecord, SessionState]]) -> Undone:
    """The state before the newest one as the session's next state (or an empty plan), and the answer."""
    from concierge.conversation.session import advance

    current = states[-1][1]
    before = states[-2][1] if len(states) > 1 else None
    cleared = {"request": None, "plan": None, "draft": None, "draft_status": "none", "request_text": "", "trip": None}
    fields = cleared | {"itinerary": None}
    if before is not None:
        fields = {name: getattr(before, name) for name in SessionState.model_fields if name not in ("turn", "summary")}
    new = advance(current, scope.user_id, **fields)
    if before is None:
        return Undone("Undone: the plan of your last message is cleared and nothing was sent.", state=new)
    answer = f"Undone: back to the plan before your last message.\n{new.summary}"
    return Undone(answer, plan=new.plan, draft=new.draft, state=new)


def _need_unnamed(facts: list[MemoryRecord]) -> Undone | None:
    """The refusal when the previous turn's facts state a need: it goes only when named."""
    from concierge.needs.current import states_needs

    needs = tuple(r for r in facts if states_needs(r.text))
    if not needs:
        return None
    kept = Forgotten("kept_need", "", candidates=needs)
    return Undone(kept.answer(), forgotten=kept)


_WHAT_WAS_SAID = re.compile(
    r"^(?:everything|all|all\s+of\s+it|what)\b.*\b(?:said|told\s+you|wrote|typed)$", re.IGNORECASE
)


# "scratch that, keep it Friday", "forget that change": the previous turn's edit taken back (follow28).
_KEPT = re.compile(
    r"^(?:(?:keep|leave|stick\s+with|go\s+back\s+to)\b.*|(?:the\s+|that\s+|my\s+)?(?:last\s+)?(?:change|edit)s?)$", re.I
)
_SHORT = 8  # words: "never mind, cancel that"; a longer message the rules do not read names what to forget
_FORGET_VERB = re.compile(r"\b(?:forget|delete|erase|remove|unlearn|wipe)\b", re.IGNORECASE)


def edit_after_retraction(message: str) -> str | None:
    """The edit in "scratch that, make it Paris" ("make it Paris"), or None when the message is not one."""
    found = _RETRACTED_THEN_EDIT.match(" ".join(message.split()))
    return found.group("edit") if found else None


def read_undo(message: str) -> ForgetRequest:
    """The forget request ``message`` makes, once the reader chose to forget: by the rules; else none when every verb
    of forgetting is negated ("Please don't forget that I love opera": kept, and the message stored); else a taking
    back of the previous turn (a short message with no verb of forgetting: "I take it back", "wait, no", which the
    ``undo`` examples of ``config/turn_kinds.yaml`` routed here); else the whole message as what to forget."""
    from concierge.request.forget import ForgetRequest, read_forget_request

    asked = read_forget_request(message)
    if asked is None and asks_to_keep(message):  # "Please don't forget that I love opera": kept, and told again
        return ForgetRequest("refused", "", message, message)
    if asked is not None and (
        asked.kind != "target" or _WHAT_WAS_SAID.search(asked.target) or _KEPT.search(asked.target)
    ):
        return asked if asked.kind != "target" else ForgetRequest("correction", "", asked.remainder)
    if asked is None and len(message.split()) <= _SHORT and not _FORGET_VERB.search(message):
        return ForgetRequest("correction", "", "")
    return asked or ForgetRequest("target", message, "")


_FORGETTING = frozenset({"forget", "delete", "remove", "erase", "wipe", "drop", "unremember"})


def _asks_to_keep(message: str, *, only_it: bool) -> bool:
    from concierge.needs.nlp import parse

    verbs = [t for t in parse([message])[0] if t.lemma_.casefold() in _FORGETTING]
    negated = bool(verbs) and all(any(c.dep_ == "neg" for c in v.children) for v in verbs)
    named = (c for v in verbs for c in v.children if c.dep_ in _WHAT)
    said = [o for c in named for o in ([c] if c.dep_ != "prep" else [*c.children] or [c])]  # "about it": "it"
    return negated and (not only_it or all(c.lower_ in _IT for c in said))


_IT = frozenset({"it", "that", "this", "them", "those", "these"})
_WHAT = frozenset({"dobj", "obj", "ccomp", "xcomp", "advcl", "prep", "dative", "attr", "oprd", "acomp"})


def asks_to_keep(message: str) -> bool:
    """Every verb of forgetting in ``message`` is negated ("don't forget", "never delete"): it asks to keep."""
    return _asks_to_keep(message, only_it=False)


def keeps_it(message: str) -> bool:
    """ "No, don't forget it", "please don't delete that": every verb of forgetting negated, and naming nothing but
    what was just said ("don't forget that I love opera" names something new: it is no undo)."""
    return _asks_to_keep(message, only_it=True)


def undo_or_forget(memory: ConciergeMemory, scope: Scope, request: ForgetRequest) -> Undone:
    """Carry out a forget request; "scratch that" and "that's no longer true" act on the previous turn only."""
    takes_back = request.kind in _PREVIOUS_TURN or (request.kind == "refused" and keeps_it(request.said))
    if takes_back and (unforgot := _forget_undone(memory, scope)) is not None:  # "no, don't forget it"
        return unforgot
    if takes_back and (jested := _retraction_undone(memory, scope)) is not None:  # "hold on, don't delete it"
        return jested
    if request.kind in _PREVIOUS_TURN:
        states, facts = _previous_turn(memory, scope)
        if _plan_is_newest(states, facts):
            return _back(scope, states)
        if refused := _need_unnamed(facts) or _retracted_earlier(facts):
            return refused
    outcome = forget_by_chat(memory, scope, request)
    if outcome.status == "confirm":
        return _asked(scope, outcome)
    return Undone(outcome.answer(), forgotten=outcome, state=_keep_forgot(memory, scope, request, outcome))


def _previous_turn(
    memory: ConciergeMemory, scope: Scope
) -> tuple[list[tuple[MemoryRecord, SessionState]], list[MemoryRecord]]:
    """The session's plan-changing states and its facts told: what an undo may go back over."""
    states = _states(memory, scope) if scope.run_id else []
    return states, latest_facts(memory.list(scope), scope.run_id)


def _plan_is_newest(states: list[tuple[MemoryRecord, SessionState]], facts: list[MemoryRecord]) -> bool:
    newest_fact = max((r.created_at or "" for r in facts), default="")
    return bool(states) and (states[-1][0].created_at or "") > newest_fact


def fact_to_take_back(memory: ConciergeMemory, scope: Scope) -> bool:
    """The session's newest turn told a fact (not a plan): what "lol" or "wait" may be about. With none (a fresh
    session, or a booking last) such a message takes nothing back: it is small talk."""
    states, facts = _previous_turn(memory, scope)
    return bool(facts) and not _plan_is_newest(states, facts)


def _keep_forgot(memory: ConciergeMemory, scope: Scope, request: ForgetRequest, done: Forgotten) -> SessionState | None:
    """A forget request that deleted what it named: the session keeps what went for one turn, so an undo next adds
    it back (``concierge.conversation.unforget``)."""
    from concierge.conversation.session import advance
    from concierge.conversation.state import load_state
    from concierge.conversation.unforget import kept_for_undo

    if not scope.run_id or request.kind != "target" or done.status != "forgotten" or not done.deleted:
        return None
    return advance(load_state(memory, scope), scope.user_id, forgot=kept_for_undo(done.deleted))


def _forget_undone(memory: ConciergeMemory, scope: Scope) -> Undone | None:
    """The previous turn forgot memories at the user's request: an undo, or "no, don't forget it", adds them back,
    and the session forgets them (one undo, one turn)."""
    from concierge.conversation.session import advance
    from concierge.conversation.state import load_state
    from concierge.conversation.unforget import unforget

    state = load_state(memory, scope)
    if state is None or not state.forgot:
        return None
    answer = unforget(memory, scope, state.forgot)
    return Undone(answer, state=advance(state, scope.user_id, forgot=None))


def _retraction_undone(memory: ConciergeMemory, scope: Scope) -> Undone | None:
    """The previous turn took a need back plainly ("I'm not allergic to peanuts anymore"): "scratch that" brings it
    back (``concierge.conversation.jest``), and the session forgets that retraction."""
    from concierge.conversation.jest import restore
    from concierge.conversation.session import advance
    from concierge.conversation.state import load_state

    state = load_state(memory, scope)
    if state is None or state.retracted is None:
        return None
    answer = restore(memory, scope, state.retracted)
    return Undone(answer, state=advance(state, scope.user_id, retracted=None))


def _retracted_earlier(facts: list[MemoryRecord]) -> Undone | None:
    """The newest facts took a need back, but not in the previous turn: an undo does not reach back to it; the need
    comes back when the user says it still holds."""
    from concierge.needs.current import statements

    taken = next((s.need for r in facts for s in statements(r.text) if not s.need.active), None)
    if taken is None:
        return None
    return Undone(
        f"Your last message took nothing back that I can undo; {taken.label} was taken back earlier. If it still "
        "applies, say so plainly and I will keep to it again."
    )


def _asked(scope: Scope, outcome: Forgotten) -> Undone:
    """ "Do you mean I should forget ...?": in a session a plain "yes" next forgets the need (the question and its
    answer are ``concierge.conversation.confirm``'s); without one, the user asks again in plain words."""
    from concierge.conversation.confirm import asked_about
    from concierge.needs.current import statements

    need = next(s.need for s in statements(outcome.candidates[0].text) if s.need.active)
    asks = asked_about(need, outcome.candidates) if scope.run_id else None
    how = (
        'Say "yes" to forget it; anything else keeps it.'
        if asks is not None
        else f'To forget it, ask for just that: forget that "{outcome.candidates[0].text}".'
    )
    return Undone(f"{outcome.answer()} {how}", forgotten=outcome, asks=asks)
