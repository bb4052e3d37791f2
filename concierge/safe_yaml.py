"""YAML without anchors, aliases or repeated keys, for config/memory.yaml, config/needs.yaml and scenario files.

These files are small and hand-written; aliases are how a 1 kB file expands into gigabytes (a
"billion laughs" bomb), so they are refused where they appear, with the line. A key written twice in
one mapping is refused too: YAML loaders keep the last one silently (``default_project`` twice sent
writes to the second project), and which one was meant is the writer's call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError


class NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses ``&anchor`` and ``*alias`` before composing them."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed: write the values out", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[no-untyped-call]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """``SafeLoader``'s mapping, refusing a key written twice (naming both lines)."""
        first_line: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            try:
                seen = first_line.get(key)
            except TypeError:  # an unhashable key: SafeLoader's own error follows
                continue
            if seen is not None:
                problem = f"the key {key!r} is written twice (also on line {seen + 1}): keep one"
                raise ConstructorError(None, None, problem, key_node.start_mark)
            first_line[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)  # type: ignore[no-untyped-call]


def load(text: str) -> Any:
    """Parse ``text`` like ``yaml.safe_load``, refusing anchors and aliases."""
    return yaml.load(text, Loader=NoAliasLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for line numbers), refusing anchors and aliases."""
    return yaml.compose(text, Loader=NoAliasLoader)


def load_file(path: Path) -> Any:
    """A config file parsed with the rules above; any fault is one line naming the file (and line) and the fix.
    Also run on files another library reads itself (crewAI's agents.yaml, tasks.yaml), so a key written twice
    is refused instead of silently picked."""
    from concierge.errors import ConfigError, ConfigFileError

    try:
        return load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("CONCIERGE_CONFIG_DIR", str(path.parent), f"a folder holding {path.name}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(str(path), f"cannot be read as UTF-8 text ({exc}); restore the file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}: line {mark.line + 1}" if mark else path.name
        raise ConfigFileError(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
