"""Session transcripts (kept like session state), the guided demo's scripts, and resetting the demo users."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.cli import main
from concierge.conversation.transcript import TranscriptTurn, save_turn
from concierge.demo import demo_files, demo_users, load_demo
from concierge.errors import InvalidInputError
from concierge.memory.layer import MAX_TEXT_CHARS
from concierge.service import ConciergeService


def _turn(service: ConciergeService, user: str, project: str, session: str, message: str) -> str:
    scope = service.scope(user, project_id=project, run_id=session)
    reply = service.chat(scope, message)
    service.save_transcript(scope, message, reply)
    return reply.answer


def test_a_sessions_turns_are_kept_listed_reopened_and_erased(service: ConciergeService, project: str) -> None:
    said = ["I am vegetarian and I love Lyon", "Book a dinner in Lyon tomorrow at 8pm for two"]
    answers = [_turn(service, "alice", project, "s-one", text) for text in said]
    _turn(service, "alice", project, "s-two", "What do you remember about me?")
    _turn(service, "bob", project, "s-one", "I love Porto")  # the same session id, another user

    alice = service.scope("alice", project_id=project)
    sessions = {s.run_id: s for s in service.sessions(alice)}
    assert set(sessions) == {"s-one", "s-two"}
    assert sessions["s-one"].turns == 2 and sessions["s-one"].first_message == said[0]
    kept = service.transcript(alice.with_run("s-one"))
    assert [t.message for t in kept] == said and [t.answer for t in kept] == answers
    assert kept[1].plan is not None and kept[1].plan.chosen is not None and kept[1].plan.chosen.city == "Lyon"
    assert "User is vegetarian" in kept[0].stored
    bob_kept = service.transcript(service.scope("bob", project_id=project, run_id="s-one"))
    assert [t.message for t in bob_kept] == ["I love Porto"]  # never alice's turns of the same session id

    facts = " ".join(m.text for m in service.memories(alice.with_run("s-one")))
    exported = str(service.export(alice))
    assert "Book a dinner" not in facts and "Book a dinner" not in exported  # a transcript is not a fact

    service.forget(alice)
    assert service.sessions(alice) == [] and service.transcript(alice.with_run("s-one")) == []
    assert len(service.transcript(service.scope("bob", project_id=project, run_id="s-one"))) == 1


def test_a_trips_days_come_back_from_the_transcript(service: ConciergeService, project: str) -> None:
    _turn(service, "tess", project, "s-trip", "Plan 3 days in Lisbon in May")
    (kept,) = service.transcript(service.scope("tess", project_id=project, run_id="s-trip"))
    assert kept.itinerary is not None and kept.itinerary.city == "Lisbon" and len(kept.itinerary.days) == 3
    assert kept.drafts == len(kept.itinerary.drafts())  # the stay's draft, and the meals' composed again


def test_a_turn_too_long_for_one_record_is_trimmed_not_lost(service: ConciergeService, project: str) -> None:
    scope = service.scope("long", project_id=project, run_id="s-long")
    huge = TranscriptTurn(message="m" * (MAX_TEXT_CHARS - 10), answer="a" * MAX_TEXT_CHARS, used=["x" * 3000])
    assert save_turn(service.memory, scope, huge) is not None
    (kept,) = service.transcript(scope)
    assert kept.message.startswith("mmm") and kept.message.endswith("[...]") and kept.answer.endswith("[...]")


def test_the_shipped_demo_script_is_valid_and_names_its_users() -> None:
    (path,) = [p for p in demo_files() if p.stem == "france_vs_spain"]
    script = load_demo(path)
    assert script.users == ("alice", "bob") and script.steps[-1].audit
    assert any(step.new_session == ("alice", "bob") for step in script.steps)
    assert all(set(step.say) <= set(script.users) for step in script.steps)
    assert {"alice", "bob"} <= set(demo_users())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\ntitle: X\nusers: [alice]\nsteps:\n  - caption: hi\n    say: {bob: hello}\n", "not in users"),
        ("name: x\ntitle: X\nusers: [alice]\nsteps: []\n", "steps"),
        ("name: x\ntitle: X\nusers: ['a/b']\nsteps:\n  - caption: hi\n", "user_id"),
        ("name: [unclosed\n", "cannot read"),
    ],
)
def test_a_bad_demo_script_gets_one_line_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as raised:
        load_demo(path)
    message = str(raised.value)
    assert str(path) in message and problem in message and "\n" not in message


def test_demo_reset_forgets_the_demo_users_only(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for user in ("alice", "bob", "carol"):
        service.remember(service.scope(user, project_id=project), f"{user} loves Porto", infer=False)
    _turn(service, "alice", project, "s-demo", "What do you remember about me?")
    assert main(["demo", "reset", "--project", project]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["forgot 1 memory of alice", "forgot 1 memory of bob"]  # what memory list showed
    for user in ("alice", "bob"):
        assert service.memories(service.scope(user, project_id=project)) == []
    assert service.sessions(service.scope("alice", project_id=project)) == []
    assert len(service.memories(service.scope("carol", project_id=project))) == 1  # not a demo user
