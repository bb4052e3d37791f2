"""Isolation audit page: every user probed for every other user's memories (body: ui/audit.py)."""

from __future__ import annotations

from ui.audit import render_audit
from ui.resources import get_service

render_audit(get_service())
