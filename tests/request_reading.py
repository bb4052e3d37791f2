"""Reading a request at a fixed moment, as tests of both readers do: the shipped catalog's places, the offline
parse and the model's arguments, each under ``freeze_time``."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, TurnRequest, request_from_arguments
from concierge.runtime_env import PROJECT_ROOT

NOW = "2026-11-25 15:30"  # a Wednesday


@cache
def shipped_places() -> CatalogPlaces:
    """The shipped catalog's gazetteer, built once per test process."""
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def parse_at(places: CatalogPlaces, message: str, now: str = NOW) -> TurnRequest:
    with freeze_time(now):
        return parse_request(message, now=datetime.datetime.now(), places=places)


def args_at(places: CatalogPlaces, arguments: dict[str, Any], now: str = NOW) -> TurnRequest:
    with freeze_time(now):
        return request_from_arguments(arguments, now=datetime.datetime.now(), places=places)


def asks_once(request: TurnRequest) -> None:
    """The request asks exactly one question, on one line (a number it cannot read, or two it cannot choose from)."""
    assert len(request.problems) == 1, request.problems
    assert "\n" not in request.problems[0]
