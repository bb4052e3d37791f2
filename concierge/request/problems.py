"""The problem sentences a request carries when a count cannot be booked: both readers say them the same way."""

from __future__ import annotations

from concierge.request.model import MAX_NIGHTS, MAX_PARTY


def uncounted_problem() -> str:
    return 'How many people are coming? Say the number, like "for 4"; nothing was booked yet.'


def party_problem(n: int | str) -> str:
    return f"A party of {n} is not something I can book; say how many people are coming, from 1 to {MAX_PARTY}."


def nights_problem(n: int | str) -> str:
    return stay_problem(f"{n} nights")


def stay_problem(said: str) -> str:
    return f"A stay of {said} is outside what I can book; say from 1 to {MAX_NIGHTS} nights."


def offset_problem(said: str) -> str:
    return f'"{said}" is not a day I can book; say a day from today on, like "in 2 days" or "on 14 December".'
