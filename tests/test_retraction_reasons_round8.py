"""Need safety, round 8 (issue 24 item 1): a retraction with a reason beside it takes the need back; a clause that
doubts it, or makes it someone else's word, keeps the need.

"I'm not vegan anymore, I started eating meat again last month", "I'm no longer gluten free — turns out it was a
misdiagnosis", "I'm not lactose intolerant after all, the tests came back fine": the clause beside the retraction
supports it (read by example, ``config/retraction_reasons.yaml``), so it stands as plain. "..., says my mum", "my
doctor said I'm not but I don't believe him", "..., or am I?", "..., if the test is right", "..., I ate meat
yesterday" keep the need, and the plan still applies it. End to end through ``ConciergeService.chat``.
"""

from __future__ import annotations

import pytest

from concierge.needs.company import supports
from concierge.service import ConciergeService
from tests.needs_held import users_needs

Case = tuple[str, str, tuple[str, str]]

# (stored, a retraction with a reason beside it, the need it takes back)
SUPPORTED: list[Case] = [
    ("I'm vegan.", "I'm not vegan anymore, I started eating meat again last month.", ("vegan", "user")),
    ("I'm gluten free.", "Actually I'm no longer gluten free — turns out it was a misdiagnosis.", ("gluten", "user")),
    ("I'm lactose intolerant.", "Update: I'm not lactose intolerant after all, the tests came back fine.",
     ("milk", "user")),
    ("I'm vegetarian.", "I'm not vegetarian anymore, I've been eating chicken since the summer.",
     ("vegetarian", "user")),
    ("I'm allergic to eggs.", "I'm not allergic to eggs anymore, the allergy test was negative.", ("eggs", "user")),
    ("I'm coeliac.", "I'm not coeliac after all, the biopsy was negative.", ("gluten", "user")),
    ("I'm gluten free.", "I'm no longer gluten free.", ("gluten", "user")),
    ("I'm allergic to eggs.", "I'm not allergic to eggs anymore, my allergist cleared me last week.",
     ("eggs", "user")),
]  # fmt: skip

# (stored, a retraction beside a clause that doubts it, narrows it or is someone else's, the need it keeps)
DOUBTED: list[Case] = [
    ("I'm allergic to peanuts.", "I'm not allergic to peanuts anymore, says my mum.", ("peanuts", "user")),
    ("I'm allergic to peanuts.", "My doctor said I'm not allergic to peanuts but I don't believe him.",
     ("peanuts", "user")),
    ("I'm allergic to peanuts.", "I'm not allergic to peanuts anymore... or am I?", ("peanuts", "user")),
    ("I'm allergic to eggs.", "I'm not allergic to eggs anymore, if the test is right.", ("eggs", "user")),
    ("I'm allergic to eggs.", "I'm not allergic to eggs anymore, I hope.", ("eggs", "user")),
    ("I'm allergic to sesame.", "I'm not allergic to sesame anymore, maybe the tests were wrong.",
     ("sesame", "user")),
    ("I'm allergic to sesame.", "I'm not allergic to sesame anymore, my doctor says the tests came back fine.",
     ("sesame", "user")),
    ("I'm allergic to sesame.", "I'm not allergic to sesame anymore, lol the tests came back fine.",
     ("sesame", "user")),
    ("I'm allergic to sesame.", "I'm not allergic to sesame anymore, the tests came back fine?", ("sesame", "user")),
    ("I'm vegan.", "I'm not vegan anymore, my sister eats meat again.", ("vegan", "user")),
    ("I'm vegetarian.", "I'm not vegetarian anymore, I had a steak last night.", ("vegetarian", "user")),
    ("I'm lactose intolerant.", "I'm not lactose intolerant anymore, I'm still waiting for the test results.",
     ("milk", "user")),
    ("My son is allergic to eggs.", "My son isn't allergic to eggs anymore, I had the challenge test and passed.",
     ("eggs", "son")),
]  # fmt: skip


def _plan_needs(service: ConciergeService, scope_name: str, project: str) -> set[tuple[str, str]]:
    scope = service.scope(scope_name, project_id=project, run_id="p1")
    reply = service.chat(scope, "Dinner in Seville on Friday for 2")
    assert reply.plan is not None
    return {(n.need_id, n.holder.casefold()) for n in reply.plan.needs}


@pytest.mark.parametrize(("stored", "message", "key"), SUPPORTED, ids=[c[1] for c in SUPPORTED])
def test_a_retraction_with_a_supporting_reason_takes_the_need_back(
    service: ConciergeService, project: str, stored: str, message: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"rr8-{SUPPORTED.index((stored, message, key))}", project_id=project, run_id="s1")
    service.chat(scope, stored)
    assert key in users_needs(service, scope)
    reply = service.chat(scope, message)
    assert reply.asked is None and reply.draft is None
    assert key not in users_needs(service, scope)
    assert key not in _plan_needs(service, scope.user_id, project)


@pytest.mark.parametrize(("stored", "message", "key"), DOUBTED, ids=[c[1] for c in DOUBTED])
def test_a_retraction_beside_a_doubting_clause_keeps_the_need(
    service: ConciergeService, project: str, stored: str, message: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"rr8-d-{DOUBTED.index((stored, message, key))}", project_id=project, run_id="s1")
    service.chat(scope, stored)
    service.chat(scope, message)
    assert key in users_needs(service, scope)
    assert key in _plan_needs(service, scope.user_id, project)


@pytest.mark.parametrize(
    ("piece", "holder", "needs", "expected"),
    [("turns out it was a misdiagnosis.", "user", {"gluten"}, True),
     ("the tests came back fine.", "user", {"milk"}, True),
     ("I started eating meat again last month.", "user", {"vegan"}, True),
     ("I started eating bread again last month.", "user", {"vegan"}, False),  # another need's food
     ("I ate meat yesterday.", "user", {"vegetarian"}, False),  # one meal
     ("I eat a little meat now.", "user", {"vegetarian"}, False),  # a degree
     ("says my mum.", "user", {"peanuts"}, False),
     ("I think.", "user", {"peanuts"}, False),
     ("the tests came back fine?", "user", {"milk"}, False),
     ("she had the challenge test and passed.", "user", {"eggs"}, False)],  # someone else
)  # fmt: skip
def test_a_clause_supports_a_retraction_by_example_and_only_in_the_holders_voice(
    piece: str, holder: str, needs: set[str], expected: bool
) -> None:
    assert supports(piece, holder, frozenset(needs)) is expected
