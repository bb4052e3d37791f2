"""Issue 14: a session remembers its own turns (session state in session memory) and follow-ups resolve against it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import freezegun
import pytest

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import NO_PLAN, FollowUp, resolve
from concierge.conversation.state import DRAFT_STATUS_WORDS, SessionState, load_state
from concierge.crew.outputs import Option, Plan
from concierge.memory.records import SESSION_STATE
from concierge.offline.follow_up import read_follow_up
from concierge.request import CatalogPlaces, TurnRequest
from concierge.service import ConciergeService
from concierge.settings import Settings

NOW = dt.datetime(2026, 11, 26, 10, 0)  # a Thursday


@pytest.fixture(scope="module")
def places(settings: Settings) -> CatalogPlaces:
    return CatalogPlaces(load_catalog(settings.catalog_dir))


def _dinner(places: CatalogPlaces) -> TurnRequest:
    return TurnRequest(intent="dine", place=places.resolve("Lyon"), meal="dinner", date=dt.date(2026, 11, 27))


def _read(text: str, places: CatalogPlaces, *, has_plan: bool = True) -> FollowUp | None:
    return read_follow_up(text, request=_parse(text, places), now=NOW, places=places, has_plan=has_plan)


def _parse(text: str, places: CatalogPlaces) -> TurnRequest:
    from concierge.offline.parse import parse_request

    return parse_request(text, now=NOW, places=places)


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("make it 8pm", "change", {"time": dt.time(20, 0)}),
        ("can we do half past seven instead?", "change", {"time": dt.time(19, 30)}),
        ("for four", "change", {"party_size": 4}),
        ("make it six of us", "change", {"party_size": 6}),
        ("actually a table for 3", "change", {"party_size": 3}),
        ("Saturday instead", "change", {"date": dt.date(2026, 11, 28)}),
        ("let's do Friday", "change", {"date": dt.date(2026, 11, 27)}),
        ("lunch rather than dinner", "change", {"meal": "lunch"}),
        ("make it lunch instead of dinner", "change", {"meal": "lunch"}),
        ("for 5 nights instead", "change", {"nights": 5}),
        ("the second one", "pick", {"pick": 2}),
        ("not the first one, the second", "pick", {"pick": 2}),
        ("option 3 please", "pick", {"pick": 3}),
        ("the last one", "pick", {"pick": -1}),
        ("the other one", "pick", {"pick_other": True}),
        ("the cheaper one", "pick", {"cheaper": True}),
        ("the less expensive option", "pick", {"cheaper": True}),
        ("the fancier one", "pick", {"pricier": True}),
        ("the one in Confluence", "pick", {"area": "Confluence"}),
        ("Make it for four people at 8pm, and not the first one, the second", "pick", {"pick": 2, "party_size": 4}),
        ("what about Seville?", "change", {"city": "Seville"}),
        ("how about Porto instead", "change", {"city": "Porto"}),
        ("something Japanese", "change", {"cuisine": "japanese"}),
        ("sushi instead", "change", {"cuisine": "sushi"}),
        ("it must be step-free", "add_need", {"needs": ("wheelchair user (step-free access)",)}),
        ("my friend is vegan", "add_need", {"needs": ("vegan",)}),
        ("yes, send it", "confirm", {}),
        ("go ahead and book it", "confirm", {}),
        ("yes please", "confirm", {}),
        ("cancel", "cancel", {}),
        ("start over", "cancel", {}),
        ("scrap that", "cancel", {}),
    ],
)
def test_follow_up_kinds_over_phrasings(places: CatalogPlaces, text: str, kind: str, fields: dict[str, object]) -> None:
    follow_up = _read(text, places)
    assert follow_up is not None and follow_up.kind == kind
    for name, want in fields.items():
        got = follow_up.place.city if name == "city" and follow_up.place else getattr(follow_up, name)
        assert got == want, (name, got)


@pytest.mark.parametrize(
    ("text", "has_plan"),
    [
        ("Book a hotel in Porto for 2 nights", True),  # a new request names its kind and no change word
        ("Plan a dinner in Paris for two", True),
        ("What do you remember about me?", True),
        ("thanks!", True),
        ("Lyon tomorrow at 8pm for four", False),  # a first message is a request, not a change
        ("I'm vegan", False),
        ("great", True),  # a bare acknowledgement does not send anything
    ],
)
def test_new_requests_and_statements_are_not_follow_ups(places: CatalogPlaces, text: str, has_plan: bool) -> None:
    assert _read(text, places, has_plan=has_plan) is None


def test_an_unmistakable_follow_up_without_a_plan_is_still_one(places: CatalogPlaces) -> None:
    follow_up = _read("make it for four", places, has_plan=False)
    assert follow_up is not None
    assert resolve(follow_up, None, "make it for four").question == NO_PLAN


def _option(venue: str, price: str, area: str) -> Option:
    return Option(id=f"r-{venue}", name=venue, kind="restaurant", city="Lyon", country="France", price=price,
                  summary=f"Bistro, {area}")  # fmt: skip


def _state(places: CatalogPlaces) -> SessionState:
    plan = Plan(chosen=_option("Alpha", "€€", "Confluence"), backups=[_option("Beta", "€", "Part-Dieu")])
    return SessionState(turn=1, request=_dinner(places), request_text="Plan a dinner in Lyon", plan=plan)


@pytest.mark.parametrize(
    ("text", "picked"),
    [("the second one", "r-Beta"), ("the cheaper one", "r-Beta"), ("the one in Part-Dieu", "r-Beta"),
     ("the other one", "r-Beta"), ("the last one", "r-Beta"), ("for four", "r-Alpha")],
)  # fmt: skip
def test_picks_resolve_to_the_option_shown(places: CatalogPlaces, text: str, picked: str) -> None:
    follow_up = _read(text, places)
    assert follow_up is not None
    resolution = resolve(follow_up, _state(places), text)
    assert resolution.action == "plan" and resolution.prefer == picked
    assert resolution.request is not None and resolution.request.place == _dinner(places).place


@pytest.mark.parametrize(
    "text", ["the third one", "the one in Montmartre", "the fancier one", "option 5", "make it for 0", "on the 45th"]
)
def test_an_unresolvable_reference_gets_a_question_not_a_guess(places: CatalogPlaces, text: str) -> None:
    follow_up = _read(text, places)
    assert follow_up is not None
    resolution = resolve(follow_up, _state(places), text)
    assert resolution.action == "ask" and resolution.prefer is None and resolution.request is None
    assert resolution.question


def test_a_changed_meal_drops_the_old_time_and_a_new_time_sets_the_meal(places: CatalogPlaces) -> None:
    state = _state(places).model_copy(update={"request": _dinner(places).model_copy(update={"time": dt.time(20)})})
    lunch = resolve(_read("lunch rather than dinner", places), state, "")  # type: ignore[arg-type]
    assert lunch.request is not None and lunch.request.meal == "lunch" and lunch.request.time is None
    early = resolve(_read("make it 1pm", places), state, "")  # type: ignore[arg-type]
    assert early.request is not None and early.request.meal == "lunch" and early.request.time == dt.time(13)


# -- through the service ----------------------------------------------------------------------------------------
def _state_texts(service: ConciergeService, scope: object) -> list[str]:
    return [r.text for r in service.memory.list(scope, kind=SESSION_STATE)]  # type: ignore[arg-type]


def test_a_follow_up_refines_the_plan_and_the_state_is_never_a_fact(service: ConciergeService, project: str) -> None:
    alice = service.scope("alice", project_id=project, run_id="s1")
    first = service.chat(alice, "Plan a dinner in Lyon tomorrow evening")
    assert first.plan is not None and first.plan.chosen is not None and first.plan.backups
    second = first.plan.backups[0]

    reply = service.chat(alice, "Make it for four people at 8pm, and not the first one, the second")
    plan = reply.plan
    assert reply.follow_up is not None and reply.follow_up.kind == "pick"
    assert plan is not None and plan.chosen is not None and plan.chosen.id == second.id
    assert plan.party_size == 4 and plan.time == dt.time(20, 0) and plan.date == first.plan.date
    assert reply.draft is not None and "4 people" in reply.draft.body and reply.draft.to == second.contact
    # The crew recalled the session's state through its memory (session scope), and not as a fact.
    assert any(m.kind == SESSION_STATE and "This session so far" in m.text for m in reply.memories_used)

    states = _state_texts(service, alice)
    assert len(states) == 2 and reply.session is not None and reply.session.turn == 2
    facts = [r.text for r in service.memories(alice)]
    found = [r.text for r in service.recall(alice, "dinner plan Lyon four people 8pm session", top_k=20)]
    exported = json.dumps(service.export(alice))
    for state in states:
        assert state not in facts and state not in found and state.splitlines()[0] not in exported

    confirmed = service.chat(alice, "yes, send it")
    assert confirmed.session is not None and confirmed.session.draft_status == "ready"
    assert confirmed.draft is not None and confirmed.draft.to == second.contact
    assert load_state(service.memory, alice).draft_status == "ready"  # type: ignore[union-attr]


def test_a_need_said_as_a_follow_up_is_enforced_and_the_companion_fact_kept(
    service: ConciergeService, project: str
) -> None:
    alice = service.scope("alice", project_id=project, run_id="s1")
    service.chat(alice, "Plan a dinner in Lyon tomorrow evening")
    reply = service.chat(alice, "my friend is vegan")
    assert reply.follow_up is not None and reply.follow_up.kind == "add_need"
    assert reply.plan is not None and [n.holder for n in reply.plan.needs if n.need_id == "vegan"] == ["friend"]
    catalog = {r.id: r for r in load_catalog(service.settings.catalog_dir).restaurants}
    chosen = [o.id for o in ([reply.plan.chosen] if reply.plan.chosen else []) + reply.plan.backups]
    assert all("vegan" in catalog[i].dietary_options for i in chosen)  # the tools applied it (none may be left)
    assert any("friend" in r.text and "vegan" in r.text for r in service.memories(alice.with_run(None)))
    later = service.chat(alice, "make it for three")  # the session's need still holds on the next follow-up
    assert later.plan is not None and any(n.need_id == "vegan" for n in later.plan.needs)


def test_a_session_survives_a_restart_and_is_its_users_only(settings: Settings, project: str) -> None:
    before = ConciergeService.from_settings(settings)
    try:
        alice = before.scope("alice", project_id=project, run_id="s1")
        planned = before.chat(alice, "Plan a dinner in Lyon tomorrow evening")
    finally:
        before.close()
    after = ConciergeService.from_settings(settings)
    try:
        alice = after.scope("alice", project_id=project, run_id="s1")
        state = load_state(after.memory, alice)
        assert state is not None and state.plan is not None and planned.plan is not None
        assert state.plan.chosen == planned.plan.chosen
        reply = after.chat(alice, "for four")
        assert reply.plan is not None and reply.plan.party_size == 4 and reply.plan.chosen is not None
        assert reply.plan.chosen.city == "Lyon"
        # Another user's session id is a new, empty session; another session of alice too.
        bob = after.scope("bob", project_id=project, run_id="s1")
        assert load_state(after.memory, bob) is None and load_state(after.memory, alice.with_run("s2")) is None
        asked = after.chat(bob, "make it for four")
        assert asked.plan is None and asked.answer == NO_PLAN and "Lyon" not in asked.answer
        assert _state_texts(after, bob) == []
    finally:
        after.close()


def test_two_users_refine_at_once_in_threads_and_never_see_each_other(service: ConciergeService, project: str) -> None:
    dialogues = {
        "alice": ("Lyon", ["Plan a dinner in Lyon tomorrow evening", "for four", "the second one"]),
        "bob": ("Seville", ["Plan a dinner in Seville tomorrow evening", "make it 8pm", "for three"]),
    }
    replies: dict[str, list[object]] = {}
    errors: list[BaseException] = []

    def run(user: str) -> None:
        try:
            scope = service.scope(user, project_id=project, run_id="same-session")
            replies[user] = [service.chat(scope, text) for text in dialogues[user][1]]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(user,)) for user in dialogues]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for user, (city, _) in dialogues.items():
        other = "Seville" if city == "Lyon" else "Lyon"
        got = replies[user]
        assert len(got) == 3
        for reply in got:
            assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.city == city  # type: ignore[attr-defined]
            assert other not in reply.answer  # type: ignore[attr-defined]
        state = load_state(service.memory, service.scope(user, project_id=project, run_id="same-session"))
        assert state is not None and state.turn == 3 and state.plan is not None and state.plan.chosen is not None
        assert state.plan.chosen.city == city
    assert replies["alice"][-1].plan.party_size == 4 and replies["bob"][-1].plan.party_size == 3  # type: ignore[attr-defined]


CHILD = """
import json, sys
from concierge.service import ConciergeService
project, user, city, follow = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
svc = ConciergeService.from_settings()
scope = svc.scope(user, project_id=project, run_id="shared")
svc.chat(scope, f"Plan a dinner in {city} tomorrow evening")
reply = svc.chat(scope, follow)
print(json.dumps({"city": reply.plan.chosen.city, "party": reply.plan.party_size, "turn": reply.session.turn}))
svc.close()
"""


@pytest.mark.slow
def test_two_processes_refine_their_own_sessions(service: ConciergeService, state_dir: Path, project: str) -> None:
    env = {**os.environ, "CONCIERGE_DATA_DIR": str(state_dir)}
    runs = {"alice": ("Lyon", "for four"), "bob": ("Seville", "for three")}
    procs = {
        user: subprocess.Popen(
            [sys.executable, "-c", CHILD, project, user, city, follow],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for user, (city, follow) in runs.items()
    }
    for user, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        result = json.loads(out.strip().splitlines()[-1])
        assert result == {"city": runs[user][0], "party": 4 if user == "alice" else 3, "turn": 2}
    # This process sees each session as its user left it, and continues it.
    for user, (city, _) in runs.items():
        scope = service.scope(user, project_id=project, run_id="shared")
        reply = service.chat(scope, "make it 8pm")
        assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.city == city
        assert reply.plan.time == dt.time(20, 0) and reply.plan.party_size == (4 if user == "alice" else 3)
        assert reply.session is not None and reply.session.turn == 3


def test_session_state_expires_with_the_session_ttl(service: ConciergeService, project: str) -> None:
    alice = service.scope("alice", project_id=project, run_id="s1")
    service.chat(alice, "Plan a dinner in Lyon tomorrow evening")
    assert load_state(service.memory, alice) is not None and _state_texts(service, alice)
    ttl = service.settings.policy.session_ttl_minutes
    with freezegun.freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=ttl + 1)):
        assert _state_texts(service, alice) == [] and load_state(service.memory, alice) is None
        assert "turn" not in json.dumps(service.export(alice))
        reply = service.chat(alice, "make it for four")
        assert reply.plan is None and reply.answer == NO_PLAN and reply.session is None


DIALOGUES = sorted((Path(__file__).parent.parent / "data" / "scenarios").glob("dialogue_*.yaml"))


def test_shipped_dialogues_cover_every_follow_up_kind(settings: Settings) -> None:
    from concierge.eval.scenario import load_scenario

    known = frozenset(c.name for c in settings.policy.categories)
    scenarios = [load_scenario(path, known) for path in DIALOGUES]
    assert len(scenarios) >= 15 and all(s.is_dialogue for s in scenarios)
    kinds = {step.reply.follow_up for s in scenarios for step in s.steps if step.reply is not None}
    assert {"change", "pick", "add_need", "confirm", "cancel", "none"} <= kinds
    assert any(step.restart for s in scenarios for step in s.steps)
    assert any(len({step.user for step in s.steps}) > 1 for s in scenarios)


@pytest.mark.slow
def test_shipped_dialogues_pass_through_the_openai_protocol(settings: Settings) -> None:
    """The same dialogues with the crew on an OpenAI-protocol endpoint: the scripted model server (a fake at the
    external boundary) reads each message as the offline rules would and answers the crew from the user's words
    and the session it is sent; its plans and drafts are checked in code."""
    from concierge.eval.runner import evaluate
    from concierge.eval.scenario import load_scenario
    from tests.model_server import ModelServer, model_settings

    known = frozenset(c.name for c in settings.policy.categories)
    scenarios = [(str(path), load_scenario(path, known)) for path in DIALOGUES]
    with ModelServer(api_key="test-key") as server:
        server.handlers["reader"] = server.rules_reader
        remote = ConciergeService.from_settings(model_settings(settings, server))
        try:
            reports = evaluate(scenarios, remote)
        finally:
            remote.close()
        prompts = [call.text for call in server.of("research")]
    failed = {r.scenario: [c.to_dict() for c in r.checks if not c.passed] or r.error for r in reports if not r.passed}
    assert len(reports) == len(DIALOGUES) and not failed, failed
    # With a real model the session's state goes into the prompt in compact typed form.
    assert any("This session so far: {" in p and "options_shown" in p for p in prompts)


def test_the_ui_plan_card_shows_venue_time_party_needs_and_draft_status(places: CatalogPlaces) -> None:
    from concierge.crew.outputs import NeedNote
    from ui.chat import plan_card_lines

    state = _state(places)
    assert state.plan is not None
    plan = state.plan.model_copy(
        update={"date": dt.date(2026, 11, 28), "time": dt.time(20), "party_size": 4, "meal": "dinner",
                "needs": [NeedNote(need_id="vegan", label="vegan", holder="friend")]}
    )  # fmt: skip
    lines = plan_card_lines(state.model_copy(update={"plan": plan, "draft_status": "ready"}), "alice")
    text = "\n".join(lines)
    assert "Alpha" in text and "20:00" in text and "Saturday" in text and "Party: 4" in text
    assert "alice's friend: vegan" in text and f"Draft: {DRAFT_STATUS_WORDS['ready']}" in text
