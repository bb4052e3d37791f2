"""YAML without anchors or aliases, for config/memory.yaml and scenario files.

These files are small and hand-written; aliases are how a 1 kB file expands into gigabytes (a
"billion laughs" bomb), so they are refused where they appear, with the line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError


class NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses ``&anchor`` and ``*alias`` before composing them."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed: write the values out", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[no-untyped-call]


def load(text: str) -> Any:
    """Parse ``text`` like ``yaml.safe_load``, refusing anchors and aliases."""
    return yaml.load(text, Loader=NoAliasLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for line numbers), refusing anchors and aliases."""
    return yaml.compose(text, Loader=NoAliasLoader)
