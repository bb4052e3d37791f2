"""Understanding by class (issue 21): each case goes through the real chat turn, and its typed reply is compared
with what the case expects, field by field. Prints per-class accuracy as JSON, or a markdown table.

.venv/bin/python -m bench.understanding --set data/understanding/dev.yaml [--table] [--failures]

A case (YAML list item): ``class``, ``user``, ``history`` (earlier messages of the same user and session, oldest
first), ``say`` and ``expect`` with only the fields that matter: ``intent`` (or a group: ``question``,
``smalltalk``), ``follow_up`` (a kind, or a list of kinds all read), ``place``, ``party_size`` (an int or ``ASK``),
``needs`` (the user's needs the plan applies), ``applied_needs`` (every need the plan applies, whoever holds it),
``companion_needs`` (``relation:need``; the needs the plan applies, or with no plan the needs the turn stored),
``stores_user_need`` (needs stored as the user's own), ``books``, ``meal``.
Extensions this project's dev set also uses: ``stored`` (some memory kept or none), ``forgets`` (a memory deleted),
``weekend`` (a Friday-to-Sunday trip), ``holds_user_need`` (the user's own needs that hold after the turn, whenever
they were said), ``destinations_at_least``, ``dinner_venue`` (no pastry shop or café
for dinner) and ``stay_offered`` (a stay was proposed).
A place outside the catalog is read right when the reply names it as not covered; there ``books: true`` cannot be met
(no venue to draft to) and is not checked; the count of such cases is printed as ``outside_catalog``.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.common import emit, isolated_data_dir

# Need words a case may use beside config/needs.yaml's ids.
NEED_ALIASES: dict[str, tuple[str, ...]] = {
    "gluten_free": ("gluten",),
    "coeliac": ("gluten",),
    "celiac": ("gluten",),
    "shellfish": ("crustaceans", "molluscs"),
    "nuts": ("peanuts", "tree_nuts"),
    "peanut": ("peanuts",),
    "dairy": ("milk",),
    "lactose": ("milk",),
    "egg": ("eggs",),
    "step_free": ("wheelchair",),
}
UNNAMED = "unknown_companion"
# Words a case may use for the same relation (the bench's own table): "mother:..." names "my mum", and a named
# companion ("my friend Sam") is named by the relation the conversation gave them ("friend:soy").
SAME_RELATION: tuple[frozenset[str], ...] = tuple(
    frozenset(words.split())
    for words in (
        "mother mum mom mam mama mummy mommy ma",
        "father dad papa daddy pa",
        "grandmother grandma granny nan nana gran",
        "grandfather grandpa granddad grandad",
        "husband hubby hubs",
        "wife wifey missus",
        "boyfriend bf",
        "girlfriend gf",
        "child kid",
        "children kids",
        "son boy",
        "daughter girl",
    )
)
# Kinds of venue nobody books a dinner at (the bench's own words, not the product's list).
NOT_FOR_DINNER = ("pastel", "churro", "gelat", "café", "cafe", "bakery", "ice cream", "deli")


def need_ids(words: list[str]) -> set[str]:
    return {i for w in words for i in NEED_ALIASES.get(w, (w,))}


def companion_ids(pairs: list[str]) -> set[str]:
    out: set[str] = set()
    for pair in pairs:
        who, _, need = pair.partition(":")
        out |= {f"{who.lower()}:{i}" for i in need_ids([need])}
    return out


def _holder(holder: str) -> str:
    from concierge.needs import detect

    return UNNAMED if holder == getattr(detect, "UNNAMED_COMPANION", None) else holder.lower()


def _same_person(holder: str, who: str, relations: dict[str, str]) -> bool:
    """Whether a plan's holder ("Sam", "mum") is the companion a case names ("friend", "mother")."""
    said = {_holder(holder), relations.get(holder, "").lower()} - {""}
    alike = {w for words in SAME_RELATION if said & words for w in words}
    return who.lower() in said | alike


def _companions(reply: Any, expected: list[str], texts: list[str]) -> bool:
    """The plan's companions' needs are the case's: each holder read as the person the case names."""
    from concierge.offline.people import relations

    known = relations([*texts, *(m.text for m in reply.memories_stored)])
    wanted = companion_ids(expected)
    got = set()
    for need in _plan_needs(reply) if reply.plan or reply.itinerary else _stored_needs(reply):
        if need.holder == "user":
            continue
        named = {w for w, _, n in (k.partition(":") for k in wanted) if n == need.need_id}
        who = next((w for w in sorted(named) if _same_person(need.holder, w, known)), _holder(need.holder))
        got.add(f"{who}:{need.need_id}")
    return got == wanted


def _plan_needs(reply: Any) -> list[Any]:
    needs = list(reply.plan.needs) if reply.plan is not None else []
    if reply.itinerary is not None:
        needs += [n for n in reply.itinerary.needs if n not in needs]
    return needs


def _follow_up_kinds(follow_up: Any) -> set[str]:
    if follow_up is None:
        return set()
    kinds = {follow_up.kind} & {"confirm", "cancel", "add_need", "undo", "question"}
    kinds |= {"cheaper"} if follow_up.cheaper else set()
    kinds |= {"pricier"} if follow_up.pricier else set()
    kinds |= {"nth_option"} if follow_up.pick is not None or follow_up.pick_other else set()
    kinds |= {"other_option"} if follow_up.pick_other else set()  # "show me another": the next option
    kinds |= {"change_date", "date"} if getattr(follow_up, "month", None) else set()  # "move it to July"
    for field in ("meal", "date", "time", "party", "place", "cuisine"):
        if getattr(follow_up, "party_size" if field == "party" else field) is not None:
            kinds |= {f"change_{field}", field}  # a set may name the field alone
    kinds |= {"add_need"} if follow_up.needs else set()
    return kinds


def _place_names(reply: Any) -> set[str]:
    names: set[str] = set()
    for request in (reply.request, reply.session.request if reply.session else None):
        place = request.place if request else None
        if place is None:
            continue
        if not place.in_catalog:
            names.add(f"not_covered:{place.said.lower()}")
        names |= {p.lower() for p in (place.city, place.country) if p}
    if reply.plan is not None and reply.plan.chosen is not None:
        names |= {reply.plan.chosen.city.lower(), reply.plan.chosen.country.lower()}
    return names


def _outside_catalog(reply: Any) -> bool:
    """The request names a real place the catalog does not cover, so no draft can exist whatever was understood."""
    place = reply.request.place
    return place is not None and not place.in_catalog


def _books(reply: Any) -> bool:
    drafts = [reply.draft, *(reply.itinerary.drafts() if reply.itinerary is not None else [])]
    return any(d is not None and d.to for d in drafts)


def _stored_needs(reply: Any) -> list[Any]:
    """The needs the memories this turn stored state (a statement has no plan: who holds what is what it kept)."""
    from concierge.needs import detect_needs

    return [n for m in reply.memories_stored for n in detect_needs(m.text) if n.active]


def _stored_user_needs(reply: Any) -> set[str]:
    return {n.need_id for n in _stored_needs(reply) if n.holder == "user"}


def _weekend(reply: Any) -> bool:
    plan = reply.plan
    return plan is not None and plan.date is not None and plan.date.weekday() == 4 and plan.nights == 2


def _dinner_venue(reply: Any) -> bool:
    chosen = reply.plan.chosen if reply.plan else None
    return chosen is not None and not any(w in chosen.summary.lower() for w in NOT_FOR_DINNER)


def _party(reply: Any, expected: Any) -> bool:
    if expected == "ASK":
        return reply.request.party_size is None and not _books(reply) and not (reply.plan and reply.plan.chosen)
    plan = reply.plan
    return (plan.party_size if plan and plan.party_size else reply.request.party_size) == expected


def _intent(reply: Any) -> str:
    return "follow_up" if reply.follow_up is not None else reply.request.intent


# Coarser intent words a blind set may use for a group of the product's intents.
INTENT_GROUPS: dict[str, tuple[str, ...]] = {
    "question": ("memory_question", "needs_question", "place_question"),
    "smalltalk": ("chit_chat",),
}


def _intent_matches(reply: Any, expected: str) -> bool:
    return _intent(reply) in INTENT_GROUPS.get(expected, (expected,))


CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "intent": _intent_matches,
    "follow_up": lambda r, e: set(e if isinstance(e, list) else [e]) <= _follow_up_kinds(r.follow_up),
    "place": lambda r, e: bool({str(e).lower(), f"not_covered:{str(e).lower()}"} & _place_names(r)),
    "party_size": _party,
    "needs": lambda r, e: {n.need_id for n in _plan_needs(r) if n.holder == "user"} == need_ids(e),
    "applied_needs": lambda r, e: {n.need_id for n in _plan_needs(r)} == need_ids(e),
    "stores_user_need": lambda r, e: _stored_user_needs(r) == need_ids(e),
    "books": lambda r, e: _books(r) == e,
    "meal": lambda r, e: (r.plan.meal if r.plan and r.plan.meal else r.request.meal) == e,
    "stored": lambda r, e: bool(r.memories_stored) == e,
    "forgets": lambda r, e: bool(r.forgotten and r.forgotten.deleted) == e,
    "weekend": lambda r, e: _weekend(r) == e,
    "destinations_at_least": lambda r, e: r.plan is not None and len(r.plan.suggestions) >= e,
    "dinner_venue": lambda r, e: _dinner_venue(r) == e,
    "stay_offered": lambda r, e: (
        (r.plan is not None and r.plan.chosen is not None and r.plan.chosen.kind == "stay") == e
    ),
}


def observed(reply: Any) -> dict[str, Any]:
    """What the reply says, in the case's terms (printed with a failure)."""
    plan = reply.plan
    return {
        "intent": _intent(reply),
        "follow_up": sorted(_follow_up_kinds(reply.follow_up)),
        "place": sorted(_place_names(reply)),
        "party_size": plan.party_size if plan and plan.party_size else reply.request.party_size,
        "needs": sorted(f"{n.holder}:{n.need_id}" for n in _plan_needs(reply)),
        "stored": [m.text for m in reply.memories_stored],
        "books": _books(reply),
        "answer": reply.answer[:160],
    }


def run_case(service: Any, index: int, case: dict[str, Any]) -> list[str]:
    """The fields of ``expect`` the reply got wrong (empty: the case passes)."""
    scope = service.scope(f"{case.get('user', 'u')}-{index}", project_id="bench-understanding", run_id=f"c{index}")
    for earlier in case.get("history") or []:
        service.chat(scope, earlier)
    reply = service.chat(scope, case["say"])
    said = [*(case.get("history") or []), case["say"]]
    wrong = []
    outside = _outside_catalog(reply)
    case["_outside_catalog"] = outside
    for name, value in (case.get("expect") or {}).items():
        if name == "books" and value is True and outside:
            continue  # no venue to draft to: the catalog does not cover the place the case names
        if name == "companion_needs":
            right = _companions(reply, value, said)
        elif name == "holds_user_need":
            right = {n.need_id for n in service.user_needs(scope) if n.holder == "user"} == need_ids(value)
        elif name in CHECKS:
            right = CHECKS[name](reply, value)
        else:
            known = ", ".join([*CHECKS, "companion_needs", "holds_user_need"])
            raise SystemExit(f"case {index}: unknown expect field {name!r}; known: {known}")
        if not right:
            wrong.append(name)
    if wrong:
        case["_observed"] = observed(reply)
    return wrong


def table(result: dict[str, Any]) -> str:
    lines = ["| class | cases | right | accuracy |", "|---|---:|---:|---:|"]
    for name, row in result["by_class"].items():
        lines.append(f"| {name} | {row['cases']} | {row['right']} | {row['accuracy']:.2f} |")
    total = result["total"]
    lines.append(f"| **all** | {total['cases']} | {total['right']} | {total['accuracy']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", required=True, type=Path, help="YAML list of cases")
    parser.add_argument("--table", action="store_true", help="print a markdown table instead of JSON")
    parser.add_argument("--failures", action="store_true", help="list each failing case with what was observed")
    args = parser.parse_args()
    cases = yaml.safe_load(args.set.read_text(encoding="utf-8")) or []
    isolated_data_dir("understanding")
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    started = time.perf_counter()
    by_class: dict[str, list[bool]] = defaultdict(list)
    failures = []
    outside = 0
    try:
        service.crew_parts()
        for index, case in enumerate(cases):
            wrong = run_case(service, index, case)
            by_class[case["class"]].append(not wrong)
            outside += case["_outside_catalog"]
            if wrong:
                failures.append({"class": case["class"], "say": case["say"], "wrong": wrong, **case["_observed"]})
    finally:
        service.close()
    rows = {k: {"cases": len(v), "right": sum(v), "accuracy": round(sum(v) / len(v), 2)} for k, v in by_class.items()}
    right = sum(r["right"] for r in rows.values())
    result: dict[str, Any] = {
        "benchmark": "understanding",
        "set": str(args.set),
        "by_class": rows,
        "total": {"cases": len(cases), "right": right, "accuracy": round(right / max(1, len(cases)), 2)},
        "outside_catalog": outside,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.failures:
        result["failures"] = failures
    if args.table:
        print(table(result))
    else:
        emit(result)


if __name__ == "__main__":
    main()
