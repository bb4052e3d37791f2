"""Side by side: the same conversation in this project's Mem0 memory and in CrewAI's default shared Memory."""

from __future__ import annotations

import streamlit as st

from concierge import ConciergeError, ConciergeService, ScenarioReport, counted, evaluate, load_scenario
from ui.audit import LEAK, OK, coloured
from ui.resources import scenario_files
from ui.text import md_escape


def _column(report: ScenarioReport, title: str) -> None:
    """Each memory a user's question brought back, one row each, LEAK (red) when it holds another user's fact;
    the summary counts those rows, so it always matches what is shown."""
    import pandas as pd

    st.subheader(title, anchor=False)
    queries = [check for check in report.checks if check.kind == "query"]
    tables = []
    for check in queries:
        bad = set(check.leaked_memories())
        tables.append(pd.DataFrame({"": [LEAK if t in bad else OK for t in check.memories], "memory": check.memories}))
    leaked = sum(int((table[""] == LEAK).sum()) for table in tables)
    shown = sum(len(table) for table in tables)
    verdict = "all checks pass" if report.passed else "checks fail"
    summary = f"{counted(leaked, 'leaked memory', 'leaked memories')} of {shown} shown · {verdict}"
    if leaked:
        st.error(summary, icon=":material/gpp_bad:")
    else:
        st.success(summary, icon=":material/verified_user:")
    for check, table in zip(queries, tables, strict=True):
        st.text(f"{check.user} asks “{check.query}”")
        st.dataframe(table.style.map(coloured, subset=[""]), hide_index=True, width="stretch")


def render_compare(service: ConciergeService) -> None:
    st.markdown(
        "Runs one scripted conversation twice, each in a throw-away namespace: once through this "
        "project's per-user Mem0 memory, once through CrewAI's default `Memory` (one shared store, "
        "as `Crew(memory=True)` gives an app), with the same embedder and extraction."
    )
    files = {path.stem: path for path in scenario_files()}
    default = list(files).index("france_vs_spain") if "france_vs_spain" in files else 0
    name = st.selectbox("Conversation", list(files), index=default, key="compare-scenario")
    if name is None or not st.button("Compare", type="primary", key="compare-run"):
        return
    categories = frozenset(c.name for c in service.settings.policy.categories)
    try:
        scenario = [(str(files[name]), load_scenario(files[name], categories))]
        with st.spinner("Replaying the conversation in both memories ..."):
            (mem0,) = evaluate(scenario, service, backend="mem0")
            (default_memory,) = evaluate(scenario, service, backend="crewai-default")
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return
    left, right = st.columns(2)
    with left:
        _column(mem0, "Mem0, scoped per user")
    with right:
        _column(default_memory, "CrewAI default Memory")
