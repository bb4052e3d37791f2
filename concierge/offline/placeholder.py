"""A valid, plainly empty instance of any output model: the offline model's answer to a task it has no skill for.

A task of your own (config/tasks.yaml, ``output_model:``) then still answers with its typed object, so its
output reaches ``Reply.outputs`` and ``ask --json`` offline; a real model fills it in. Fields with defaults keep
them; required ones get the empty value of their type (``""``, ``0``, ``[]``, the first literal, ...).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)
_EMPTY: dict[Any, Any] = {
    str: "", int: 0, float: 0.0, bool: False, list: [], tuple: (), set: set(), frozenset: frozenset(), dict: {},
    dt.date: dt.date(2000, 1, 1), dt.time: dt.time(0, 0), dt.datetime: dt.datetime(2000, 1, 1),
}  # fmt: skip


def _empty(annotation: Any) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return args[0]
    if origin in (typing.Union, types.UnionType):
        return None if type(None) in args else _empty(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return plain_instance(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    return _EMPTY.get(origin or annotation)


def plain_instance(model: type[ModelT]) -> ModelT:
    """``model`` with every required field at its type's empty value (validated, so it is a real instance)."""
    data = {name: _empty(f.annotation) for name, f in model.model_fields.items() if f.is_required()}
    return model.model_validate(data)
