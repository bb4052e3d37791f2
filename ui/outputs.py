"""Your own agents' typed outputs in the chat: any output model, field by field, under its task's name.

The built-in tasks (research, plan, draft) have richer views of their own; every other task's output in
``Reply.outputs`` (a task you added in config/tasks.yaml) is shown here, with no code per model.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import streamlit as st
from pydantic import BaseModel

from concierge import render_outputs


def show_outputs(outputs: Mapping[str, BaseModel]) -> None:
    """One expander per task whose output has no richer view, its fields as an indented list."""
    text = render_outputs(outputs)
    for block in filter(None, text.split("\n\n")):
        task, _, fields = block.partition("\n")
        with st.expander(task.rstrip(":").replace("_", " ")):
            st.code(textwrap.dedent(fields) or "(empty)", language=None)
