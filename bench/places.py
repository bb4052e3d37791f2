"""Places read in messages (issue 21, round 8): the place reading of the request reader, scored on a set of
phrasings with expected places, and the false-place check over every message of the product's needs and
understanding sets (a place read where the baseline read none is listed).

.venv/bin/python -m bench.places [--set tests/data/places_round8.yaml] [--dump out.json] [--against base.json]
    [--also more.yaml ...]

``--dump`` writes what was read for every message of the needs/understanding sets; ``--against`` compares with
such a dump from another checkout and prints the messages whose place changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from concierge.runtime_env import PROJECT_ROOT

NOW = dt.datetime(2026, 12, 6, 10, 0)
_SETS = ("data/needs/*.yaml", "data/understanding/*.yaml")


def _reading(place: Any) -> str:
    if place is None:
        return "none"
    return f"{place.city or ''} | {place.country or ''} | {'yes' if place.in_catalog else 'no'}"


def _same(got: str, expected: str) -> bool:
    """A covered place by its catalog city; a place outside the catalog by its country (its city is not typed)."""
    if "none" in (got, expected):
        return got == expected
    (city, country, covered), (want_city, want_country, want_covered) = (
        [part.strip() for part in reading.split("|")] for reading in (got, expected)
    )
    return (country, covered) == (want_country, want_covered) and (covered == "no" or city == want_city)


def _follow_up_place(places: Any, first: str, message: str) -> str:
    from concierge.offline.follow_up import PlanNow, read_follow_up
    from concierge.offline.parse import parse_request

    plan_request = parse_request(first, now=NOW, places=places)
    where = plan_request.place
    plan = PlanNow(
        party=2, date=plan_request.date, kind=plan_request.intent, place=where and (where.city or where.said)
    )
    request = parse_request(message, now=NOW, places=places)
    follow = read_follow_up(message, request=request, now=NOW, places=places, has_plan=True, plan=plan)
    return _reading(follow.place if follow is not None else None)


def score(places: Any, cases: dict[str, list[Any]]) -> dict[str, Any]:
    """Right / total per part of the set, and the misses."""
    from concierge.offline.parse import parse_request

    misses: list[str] = []
    parts: dict[str, list[int]] = {}
    for part, items in cases.items():
        right = 0
        for item in items:
            if part == "follow_ups":
                said, got = f"{item[0]} -> {item[1]}", _follow_up_place(places, item[0], item[1])
                expected = item[2]
            else:
                said = item[0] if part == "requests" else item
                expected = item[1] if part == "requests" else "none"
                got = _reading(parse_request(said, now=NOW, places=places).place)
            if _same(got, expected):
                right += 1
            else:
                misses.append(f"[{part}] {said!r}: expected {expected}, read {got}")
        parts[part] = [right, len(items)]
    return {"parts": parts, "misses": misses}


def _messages(also: list[str]) -> Iterator[str]:
    paths = [path for pattern in _SETS for path in sorted(PROJECT_ROOT.glob(pattern))]
    for path in [*paths, *map(Path, also)]:
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("say", "history", "message", "messages", "text", "turns") or isinstance(value, list | dict):
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str) and 3 < len(node) < 400 and " " in node:
        yield node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="tests/data/places_round8.yaml")
    parser.add_argument("--dump")
    parser.add_argument("--against")
    parser.add_argument("--also", nargs="*", default=[], help="more YAML sets whose messages are checked")
    args = parser.parse_args()
    from concierge.catalog.loader import load_catalog
    from concierge.offline.parse import parse_request
    from concierge.request import CatalogPlaces

    places = CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))
    started = time.perf_counter()
    places.warm()
    print(f"gazetteer first load: {(time.perf_counter() - started) * 1000:.0f} ms")
    result = score(places, yaml.safe_load((PROJECT_ROOT / args.set).read_text(encoding="utf-8")))
    print(json.dumps(result["parts"]))
    print("\n".join(result["misses"]))
    if args.dump or args.against:
        read = {
            m: _reading(parse_request(m, now=NOW, places=places).place) for m in dict.fromkeys(_messages(args.also))
        }
        print(f"{len(read)} set messages, {sum(v != 'none' for v in read.values())} with a place")
        if args.dump:
            Path(args.dump).write_text(json.dumps(read, indent=0, ensure_ascii=False), encoding="utf-8")
        if args.against:
            base = json.loads(Path(args.against).read_text(encoding="utf-8"))
            for message, got in read.items():
                if message in base and base[message] != got:
                    print(f"CHANGED {message!r}: {base[message]} -> {got}")


if __name__ == "__main__":
    main()
