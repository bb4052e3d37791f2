"""Compare page: a scenario in CrewAI's default shared memory beside ours (body: ui/compare.py)."""

from __future__ import annotations

from ui.compare import render_compare
from ui.resources import get_service

render_compare(get_service())
