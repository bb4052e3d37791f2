"""A time earlier today is gone: "dinner today at 1am" asked at 01:45 is refused like a past day.

Why: the day checks only compared days, so a time that has already passed today was planned for and
answered "no restaurant can seat you at 01:00" (attack4 L4). Both readers ask this one function.
"""

from __future__ import annotations

import datetime


def time_passed_problem(day: datetime.date | None, clock: datetime.time | None, now: datetime.datetime) -> str | None:
    """The problem sentence when ``day`` is today and ``clock`` is already behind ``now``, else None."""
    if day is None or clock is None or day != now.date() or clock >= now.time().replace(second=0, microsecond=0):
        return None
    return (
        f"{clock:%H:%M} today has already passed (it is {now:%H:%M}); "
        f'say a later time or another day, like "tomorrow at {clock:%H:%M}".'
    )
