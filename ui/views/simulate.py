"""Simulate page: scripted scenarios replayed into a demo project (body: ui/simulate.py)."""

from __future__ import annotations

from ui.resources import get_service
from ui.simulate import render_simulate

render_simulate(get_service())
