"""Versions: a newer fact supersedes older ones of the same user and project; history stays, reads show the latest.

The supersession decision comes from the extraction model (here a scripted FAKE model, or the FAKE
OpenAI-protocol server) and is validated in code against what mem0 showed that model in that call.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from concierge.errors import InvalidInputError
from concierge.llm.factory import states_a_fact
from concierge.memory.categories import CategoryClassifier
from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import Retraction
from concierge.memory.versions import SupersessionCapture, read_decision
from concierge.scope import Scope
from concierge.settings import Settings
from tests import fake_extraction_model as fake

DIET = "what does the user eat"


@pytest.fixture
def script() -> Iterator[fake.Script]:
    fake.SCRIPT.__init__()  # type: ignore[misc]
    yield fake.SCRIPT
    fake.SCRIPT.__init__()  # type: ignore[misc]


@pytest.fixture(params=["embedded", "qdrant"])
def memory(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Iterator[ConciergeMemory]:
    built = fake.memory_with_fake_model(settings, request.param, tmp_path)
    yield built
    built.close()


def test_a_changed_diet_supersedes_the_old_one_and_history_keeps_it(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    alice = Scope("local", project, "alice")
    (old,) = memory.add(alice, "I am vegetarian").stored
    script.rules = [("vegan", "vegetarian")]
    (new,) = memory.add(alice, "I am vegan now").stored
    assert new.supersedes == (old.id,)

    assert [r.id for r in memory.list(alice)] == [new.id]
    assert [r.id for r in memory.search(alice, DIET, top_k=10)] == [new.id]
    assert [m["id"] for m in memory.export(alice)["memories"]] == [new.id]

    every = {r.id: r for r in memory.list(alice, latest_only=False)}
    assert set(every) == {old.id, new.id}
    assert every[old.id].superseded_by == new.id and every[old.id].superseded_at
    assert not every[old.id].is_current and every[new.id].is_current
    assert every[new.id].supersedes == (old.id,)
    assert {r.id for r in memory.search(alice, DIET, top_k=10, latest_only=False)} == {old.id, new.id}
    assert len(memory.export(alice, latest_only=False)["memories"]) == 2
    assert [r.id for r in memory.history(alice, old.id)] == [old.id, new.id]
    assert [r.id for r in memory.history(alice, new.id)] == [old.id, new.id]

    # The superseded fact is not shown to the model again as an existing memory.
    memory.add(alice, "I am vegan and I love Kyoto")
    assert "vegetarian" not in fake.existing_memories(script.prompts[-1]).__repr__()


def test_a_fact_said_again_after_it_changed_is_current_again(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    alice = Scope("local", project, "alice")
    script.rules = [("vegan", "vegetarian"), ("vegetarian", "vegan")]
    (first,) = memory.add(alice, "I am vegetarian").stored
    (vegan,) = memory.add(alice, "I am vegan").stored
    (again,) = memory.add(alice, "I am vegetarian").stored  # same text as a superseded row: not a duplicate
    assert again.id not in (first.id, vegan.id) and again.supersedes == (vegan.id,)
    assert [r.id for r in memory.list(alice)] == [again.id]
    assert [r.id for r in memory.history(alice, first.id)] == [first.id, vegan.id, again.id]


def test_a_bad_decision_is_refused_logged_and_changes_nothing(
    memory: ConciergeMemory, script: fake.Script, project: str, caplog: pytest.LogCaptureFixture
) -> None:
    alice, bob = Scope("local", project, "alice"), Scope("local", project, "bob")
    (bobs,) = memory.add(bob, "I am vegetarian").stored
    (old,) = memory.add(alice, "I am vegetarian").stored
    for hostile in (["7"], [bobs.id], ["0", "7"], ["not-an-id"], [True]):
        script.raw_ids = hostile
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="concierge.memory.versions"):
            stored = memory.add(alice, f"I am vegan {len(hostile)} {hostile[0]}").stored
        assert stored and all(r.supersedes == () for r in stored)
        assert len([r for r in caplog.records if "refused a supersession" in r.getMessage()]) == 1
    assert old.id in [r.id for r in memory.list(alice)]
    assert all(r.is_current for r in memory.list(alice, latest_only=False))
    assert [r.id for r in memory.list(bob)] == [bobs.id] and memory.list(bob)[0].is_current


def test_mem0s_linked_memory_ids_link_but_never_hide(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    """mem0's prompt uses linked_memory_ids for related memories: a still-true allergy must not disappear."""
    alice = Scope("local", project, "alice")
    (old,) = memory.add(alice, "My son is allergic to peanuts").stored
    script.rules, script.key = [("son", "son")], "linked_memory_ids"
    (new,) = memory.add(alice, "My son loves football").stored
    assert new.supersedes == () and {r.id for r in memory.list(alice)} == {old.id, new.id}


def test_forget_erases_every_version_and_history_refuses_unknown_ids(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    alice, bob = Scope("local", project, "alice"), Scope("local", project, "bob")
    memory.add(alice, "I am vegetarian")
    script.rules = [("vegan", "vegetarian")]
    (new,) = memory.add(alice, "I am vegan").stored
    with pytest.raises(InvalidInputError, match="no memory"):
        memory.history(bob, new.id)  # another user's id is unknown to bob
    with pytest.raises(InvalidInputError, match="UUID"):
        memory.history(alice, "latest")
    assert memory.forget(alice) == 2
    assert memory.list(alice, latest_only=False) == []


# -- retracting a version: what it replaced is current again -------------------------------------------------------
def test_retracting_the_current_version_makes_what_it_replaced_current_again(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    alice, bob = Scope("local", project, "alice"), Scope("local", project, "bob")
    elsewhere = Scope("local", f"{project}-other", "alice")  # the same user in another project
    script.rules = [("vegan", "vegetarian")]
    (old,) = memory.add(alice, "I am vegetarian").stored
    (new,) = memory.add(alice, "I am vegan now").stored
    (bobs_old,) = memory.add(bob, "I am vegetarian").stored
    (bobs_new,) = memory.add(bob, "I am vegan now").stored
    memory.add(elsewhere, "I am vegetarian")
    (other_new,) = memory.add(elsewhere, "I am vegan now").stored
    assert new.supersedes == (old.id,) and bobs_new.supersedes == (bobs_old.id,) and other_new.supersedes

    assert memory.retract(bob, new.id) == Retraction(None)  # another user's id: nothing happens
    assert [r.id for r in memory.list(alice)] == [new.id]

    done = memory.retract(alice, new.id)

    assert done.deleted is not None and done.deleted.id == new.id
    assert [r.id for r in done.restored] == [old.id] and done.restored[0].is_current
    assert [r.id for r in memory.list(alice)] == [old.id]
    assert [r.id for r in memory.search(alice, DIET, top_k=10)] == [old.id]
    (kept,) = memory.list(alice, latest_only=False)  # no trace of the retracted version
    assert kept.id == old.id and kept.superseded_by is None and kept.superseded_at is None
    assert [r.id for r in memory.history(alice, old.id)] == [old.id]
    # bob's versions are untouched
    assert [r.id for r in memory.list(bob)] == [bobs_new.id]
    assert {r.id: r.superseded_by for r in memory.list(bob, latest_only=False)}[bobs_old.id] == bobs_new.id
    assert [r.id for r in memory.list(elsewhere)] == [other_new.id] and len(
        memory.list(elsewhere, latest_only=False)
    ) == 2
    # the restored version is an ordinary current one: the next change supersedes it again
    (again,) = memory.add(alice, "I am vegan now").stored
    assert again.supersedes == (old.id,) and [r.id for r in memory.list(alice)] == [again.id]
    assert memory.retract(alice, str(uuid.uuid4())) == Retraction(None)  # no such memory


def test_retracting_a_middle_version_keeps_the_newest_the_only_current_one(
    memory: ConciergeMemory, script: fake.Script, project: str
) -> None:
    alice = Scope("local", project, "alice")
    script.rules = [("vegan", "vegetarian"), ("pescatarian", "vegan")]
    (first,) = memory.add(alice, "I am vegetarian").stored
    (middle,) = memory.add(alice, "I am vegan").stored
    (newest,) = memory.add(alice, "I am pescatarian").stored
    assert newest.supersedes == (middle.id,)

    done = memory.retract(alice, middle.id)

    assert done.deleted is not None and done.deleted.id == middle.id and done.restored == ()
    assert [r.id for r in memory.list(alice)] == [newest.id]
    every = {r.id: r for r in memory.list(alice, latest_only=False)}
    assert set(every) == {first.id, newest.id}
    assert every[first.id].superseded_by == newest.id and every[newest.id].supersedes == (first.id,)
    assert [r.id for r in memory.history(alice, first.id)] == [first.id, newest.id]


# -- the decision reader, at unit level ---------------------------------------------------------------------------
def _row(row_id: str, text: str, user: str = "alice") -> SimpleNamespace:
    return SimpleNamespace(id=row_id, payload={"data": text, "user_id": user, "project_id": "p"})


def _prompt(rows: list[SimpleNamespace]) -> list[dict[str, str]]:
    import json

    listed = json.dumps([{"id": str(i), "text": r.payload["data"]} for i, r in enumerate(rows)])
    return [{"role": "system", "content": "x"}, {"role": "user", "content": f"## Existing Memories\n{listed}\n\n"}]


def test_index_ids_map_to_the_rows_shown_in_that_call() -> None:
    rows = [_row("id-a", "User is vegetarian"), _row("id-b", "User loves Kyoto")]
    capture = SupersessionCapture("alice", "p", shown=rows)
    read_decision(capture, _prompt(rows), '{"memory": [{"id": "0", "text": "User is vegan", "supersedes": ["0"]}]}')
    assert capture.decisions == {"User is vegan": ["id-a"]} and capture.refused == 0


def test_a_list_that_differs_from_the_prompt_or_a_foreign_row_is_refused() -> None:
    rows = [_row("id-a", "User is vegetarian")]
    reply = '{"memory": [{"id": "0", "text": "User is vegan", "supersedes": ["0"]}]}'
    capture = SupersessionCapture("alice", "p", shown=rows)
    read_decision(capture, _prompt([_row("id-x", "something else")]), reply)
    assert capture.decisions == {} and capture.refused == 1
    foreign = [_row("id-a", "User is vegetarian", user="bob")]
    capture = SupersessionCapture("alice", "p", shown=foreign)
    read_decision(capture, _prompt(foreign), reply)
    assert capture.decisions == {} and capture.refused == 1


def test_the_guard_fails_closed_for_methods_it_does_not_define(settings: Settings) -> None:
    from concierge.memory.guarded_store import GuardedVectorStore

    inner = SimpleNamespace(reset=lambda: None, update=lambda **_: None, collection_name="t")
    guard = GuardedVectorStore(
        inner, org_id="o", project_id="p", classifier=CategoryClassifier(settings.policy, states_a_fact=states_a_fact)
    )
    with pytest.raises(AttributeError, match="does not offer 'reset'"):
        guard.reset()
    assert not hasattr(guard, "client")  # mem0 probes it for Qdrant; a store without one has none
    assert guard.collection_name == "t"


# -- a remote model over the OpenAI protocol (FAKE server), and Mem0 Cloud (FAKE platform) -------------------------
def test_a_remote_models_supersedes_is_applied_and_a_bad_one_refused(
    settings: Settings, project: str, caplog: pytest.LogCaptureFixture
) -> None:
    from concierge.llm.factory import SUPERSEDES_INSTRUCTION
    from concierge.service import ConciergeService
    from tests.model_server import ModelServer, model_settings

    with ModelServer(api_key="k") as server:
        service = ConciergeService.from_settings(model_settings(settings, server))
        try:
            alice = service.scope("alice", project_id=project)
            (old,) = service.remember(alice, "I am vegetarian").stored
            server.supersede = [("vegan", "vegetarian")]
            (new,) = service.remember(alice, "I am vegan").stored
            assert new.supersedes == (old.id,)
            assert [r.id for r in service.memories(alice)] == [new.id]
            server.supersedes_ids = ["5"]  # not among the memories shown to it
            with caplog.at_level(logging.WARNING, logger="concierge.memory.versions"):
                (third,) = service.remember(alice, "I am pescatarian").stored
            assert third.supersedes == () and "refused a supersession" in caplog.text
            assert {r.id for r in service.memories(alice)} == {new.id, third.id}
        finally:
            service.close()
    prompts = [call.messages[-1]["content"] for call in server.of("extraction")]
    assert prompts and all(SUPERSEDES_INSTRUCTION in p for p in prompts)


def test_cloud_maps_versions_to_the_platforms_linked_memory_ids_and_latest_only(settings: Settings) -> None:
    from concierge.memory.backends.cloud import CloudBackend
    from tests.fake_mem0_platform import FakeMem0Platform

    with FakeMem0Platform() as platform:
        update = {"backend": "cloud", "mem0_api_key": SecretStr("m0-key"), "mem0_host": platform.url}
        memory = ConciergeMemory(CloudBackend.from_settings(settings.model_copy(update=update)), settings.policy)
        alice, bob = Scope("acme", "production", "alice"), Scope("acme", "production", "bob")
        (bobs,) = memory.add(bob, "I am vegetarian").stored
        (old,) = memory.add(alice, "I am vegetarian").stored
        platform.supersede = [("vegan", "vegetarian")]
        (new,) = memory.add(alice, "I am vegan").stored
        assert new.supersedes == (old.id,)
        assert [r.id for r in memory.list(alice)] == [new.id]
        assert [r.id for r in memory.search(alice, DIET)] == [new.id]
        every = {r.id: r for r in memory.list(alice, latest_only=False)}
        assert every[old.id].superseded_by == new.id and every[old.id].superseded_at
        assert [r.id for r in memory.history(alice, old.id)] == [old.id, new.id]
        assert [r.id for r in memory.list(bob)] == [bobs.id]  # never across users
        assert all(c["json"]["latest_only"] is True for c in platform.calls("/v3/memories/search/"))


def test_cloud_retract_relies_on_the_platforms_own_links_and_refuses_a_middle_version(settings: Settings) -> None:
    from concierge.memory.backends.cloud import CloudBackend
    from tests.fake_mem0_platform import FakeMem0Platform

    with FakeMem0Platform() as platform:
        update = {"backend": "cloud", "mem0_api_key": SecretStr("m0-key"), "mem0_host": platform.url}
        memory = ConciergeMemory(CloudBackend.from_settings(settings.model_copy(update=update)), settings.policy)
        alice, bob = Scope("acme", "production", "alice"), Scope("acme", "production", "bob")
        platform.supersede = [("vegan", "vegetarian"), ("pescatarian", "vegan")]
        (first,) = memory.add(alice, "I am vegetarian").stored
        (middle,) = memory.add(alice, "I am vegan").stored
        (newest,) = memory.add(alice, "I am pescatarian").stored
        (bobs,) = memory.add(bob, "I am vegetarian").stored
        with pytest.raises(InvalidInputError, match="cannot re-point"):
            memory.retract(alice, middle.id)  # would make "vegetarian" current next to "pescatarian"
        assert len(memory.list(alice, latest_only=False)) == 3 and [r.id for r in memory.list(alice)] == [newest.id]

        done = memory.retract(alice, newest.id)
        assert [r.id for r in done.restored] == [middle.id] and [r.id for r in memory.list(alice)] == [middle.id]
        assert memory.retract(bob, middle.id) == Retraction(None)
        assert [r.id for r in memory.list(bob)] == [bobs.id]
        assert [r.id for r in memory.retract(alice, middle.id).restored] == [first.id]
        assert [r.id for r in memory.list(alice)] == [first.id]


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> CliRun:
    """``concierge ARGV...`` in this process, on the embedded store with the FAKE model: (exit code, out, err)."""
    from concierge.cli import main
    from concierge.service import ConciergeService

    monkeypatch.setattr(
        ConciergeService,
        "from_settings",
        classmethod(lambda cls, s=None: cls(settings, fake.memory_with_fake_model(settings, "embedded", tmp_path))),
    )

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # --help
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_history_and_all_versions(script: fake.Script, project: str, cli: CliRun) -> None:
    import json

    who = ["--user", "alice", "--project", project]
    run = cli

    (old,) = json.loads(run("memory", "add", "I am vegetarian", *who, "--json")[1])["stored"]
    script.rules = [("vegan", "vegetarian")]
    (new,) = json.loads(run("memory", "add", "I am vegan", *who, "--json")[1])["stored"]

    code, out, _ = run("memory", "history", old["id"], *who)
    assert code == 0
    first, second = out.strip().split("\n    ")[:2]
    assert old["id"] in first and f"by {new['id']}" in second and "superseded on " in second
    assert out.strip().endswith("current") and out.index(old["id"]) < out.rindex(new["id"])
    assert [m["id"] for m in json.loads(run("memory", "list", *who, "--json")[1])] == [new["id"]]
    every = json.loads(run("memory", "list", "--all-versions", *who, "--json")[1])
    assert {m["id"] for m in every} == {old["id"], new["id"]}
    assert len(json.loads(run("memory", "export", "--all-versions", *who)[1])["memories"]) == 2

    for bad, says in (("not-an-id", "is not a memory id"), ("0" * 8 + "-0000-0000-0000-" + "0" * 12, "no memory")):
        code, out, err = run("memory", "history", bad, *who)
        assert code == 2 and err.startswith("error: ") and says in err and len(err.strip().splitlines()) == 1


def test_cli_delete_of_a_current_version_makes_its_predecessor_current_and_says_so(
    script: fake.Script, project: str, cli: CliRun
) -> None:
    import json

    alice, bob = ["--user", "alice", "--project", project], ["--user", "bob", "--project", project]
    script.rules = [("vegan", "vegetarian")]
    (old,) = json.loads(cli("memory", "add", "I am vegetarian", *alice, "--json")[1])["stored"]
    (new,) = json.loads(cli("memory", "add", "I am vegan now", *alice, "--json")[1])["stored"]
    (bobs,) = json.loads(cli("memory", "add", "I am vegan now", *bob, "--json")[1])["stored"]

    assert cli("memory", "delete", new["id"], *bob)[0] == 1  # not bob's: nothing deleted
    code, out, _ = cli("memory", "delete", new["id"], *alice)
    assert code == 0 and out.splitlines()[0] == "deleted"
    assert old["id"] in out and old["text"] in out  # what became current is printed
    assert [m["id"] for m in json.loads(cli("memory", "list", *alice, "--json")[1])] == [old["id"]]
    assert [m["id"] for m in json.loads(cli("memory", "list", "--all-versions", *alice, "--json")[1])] == [old["id"]]
    assert [m["id"] for m in json.loads(cli("memory", "list", *bob, "--json")[1])] == [bobs["id"]]

    (again,) = json.loads(cli("memory", "add", "I am vegan now", *alice, "--json")[1])["stored"]
    done = json.loads(cli("memory", "delete", again["id"], *alice, "--json")[1])
    assert done == {"deleted": True, "restored": [{"id": old["id"], "text": old["text"]}]}
    code, out, _ = cli("memory", "delete", "--help")
    assert code == 0 and "current again" in " ".join(out.split())


# -- concierge eval: history assertions ------------------------------------------------------------------------------
SCENARIO = """
name: diet-change
steps:
  - user: alice
    say: "I am vegetarian"
  - user: alice
    say: "I am vegan now"
  - user: alice
    say: "Plan a dinner in Lyon for me tomorrow"
checks:
  - user: alice
    query: "what does the user eat"
    expect: ["vegan"]
    superseded: ["vegetarian"]
  - user: alice
    reply_forbid_superseded: true
"""


def _scenario(settings: Settings, tmp_path: Path, text: str = SCENARIO) -> list:
    from concierge.eval.scenario import load_scenario

    path = tmp_path / "diet.yaml"
    path.write_text(text, encoding="utf-8")
    return [(str(path), load_scenario(path, frozenset(c.name for c in settings.policy.categories)))]


def _service_with_fake_model(settings: Settings, tmp_path: Path):
    from concierge.service import ConciergeService

    return ConciergeService(settings, fake.memory_with_fake_model(settings, "embedded", tmp_path))


def test_eval_superseded_is_in_history_but_not_in_search_and_the_crew_never_says_it(
    settings: Settings, script: fake.Script, tmp_path: Path
) -> None:
    from concierge.eval.runner import evaluate, format_table

    service = _service_with_fake_model(settings, tmp_path)
    try:
        script.rules = [("vegan", "vegetarian")]
        (report,) = evaluate(_scenario(settings, tmp_path), service, crew=True)
    finally:
        service.close()
    kinds = {c.kind: c for c in report.checks}
    assert set(kinds) == {"query", "superseded", "reply_superseded"}, format_table([report])
    assert report.result == "PASS", format_table([report])
    assert any("vegetarian" in m for m in kinds["superseded"].memories)
    assert kinds["reply_superseded"].memories  # the crew's replies were checked


def test_eval_superseded_fails_when_nothing_was_superseded(
    settings: Settings, script: fake.Script, tmp_path: Path
) -> None:
    from concierge.eval.runner import evaluate

    service = _service_with_fake_model(settings, tmp_path)
    try:
        (report,) = evaluate(_scenario(settings, tmp_path), service)  # the model decides nothing: both stay current
    finally:
        service.close()
    superseded = next(c for c in report.checks if c.kind == "superseded")
    assert superseded.status == "failed" and superseded.missing == ["vegetarian"]
    assert superseded.leaked == ["vegetarian"]  # still current, so still found
    assert next(c for c in report.checks if c.kind == "reply_superseded").status == "skipped"  # needs --crew
    assert report.result == "FAIL"


def test_reply_check_counts_only_replies_after_the_change() -> None:
    from concierge.eval.backends import Version
    from concierge.eval.runner import _reply_superseded_check, superseded_words
    from concierge.eval.scenario import Check

    versions = [
        Version("User is vegetarian", "2026-11-25T12:00:00+00:00"),
        Version("User is vegan now", None),
    ]
    assert superseded_words(versions) == ["vegetarian"]
    memory = SimpleNamespace(versions=lambda user, project: versions)
    check = Check(user="alice", reply_forbid_superseded=True)
    before = ("2026-11-25T11:59:00+00:00", "Needs applied: alice: vegetarian")
    venue = ("2026-11-25T12:01:00+00:00", "First choice: Racines Soleil (Vegetarian, Confluence)")
    after = ("2026-11-25T12:02:00+00:00", "Plan for alice\nNeeds applied: alice: vegetarian")
    assert _reply_superseded_check(memory, check, [before, venue]).passed  # type: ignore[arg-type]
    result = _reply_superseded_check(memory, check, [before, venue, after])  # type: ignore[arg-type]
    assert not result.passed and result.leaked == ["vegetarian"]
    quoted = ("2026-11-25T12:03:00+00:00", "I remember: User is vegetarian")
    assert "User is vegetarian" in _reply_superseded_check(memory, check, [quoted]).leaked  # type: ignore[arg-type]


@pytest.mark.parametrize("ids", [("a", "b", "c"), ("c", "b", "a"), ("b", "c", "a")])
def test_a_version_chain_is_ordered_by_what_replaced_what_when_timestamps_tie(ids: tuple[str, str, str]) -> None:
    from concierge.memory.records import MemoryRecord, version_chain

    first, second, third = ids  # random ids must not decide the order (a store with one timestamp per second)
    same = "2026-11-25T12:00:00+00:00"
    records = [
        MemoryRecord(third, "User is vegan", "alice", "p", created_at=same, supersedes=(second,)),
        MemoryRecord(first, "User eats meat", "alice", "p", created_at=same, superseded_by=second),
        MemoryRecord(
            second, "User is vegetarian", "alice", "p", created_at=same, supersedes=(first,), superseded_by=third
        ),
    ]
    assert [r.id for r in version_chain(records, first)] == [first, second, third]
    assert [r.id for r in version_chain(records, third)] == [first, second, third]
