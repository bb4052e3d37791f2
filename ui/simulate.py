"""Simulate: scripted conversations from data/scenarios run for the chosen users at the same time."""

from __future__ import annotations

import streamlit as st

from concierge.errors import ConciergeError
from concierge.eval.scenario import load_scenario
from concierge.service import ConciergeService
from concierge.simulation import simulate
from ui.resources import scenario_files
from ui.state import Turn, pane_for


def render_simulate(service: ConciergeService) -> None:
    st.markdown(
        "Replays a scripted conversation as real chat turns, one thread per user, in your real "
        "project: the turns appear in the users' panes and their memory."
    )
    files = {path.stem: path for path in scenario_files()}
    default = list(files).index("france_vs_spain") if "france_vs_spain" in files else 0
    name = st.selectbox("Conversation", list(files), index=default, key="sim-scenario")
    if name is None:
        st.warning("No scenario files in data/scenarios.")
        return
    categories = frozenset(c.name for c in service.settings.policy.categories)
    try:
        scenario = load_scenario(files[name], categories)
    except ConciergeError as exc:
        st.error(str(exc))
        return
    st.caption(scenario.description)
    everyone = list(dict.fromkeys(step.user for step in scenario.steps))
    chosen = st.multiselect("Users", everyone, default=everyone, key=f"sim-users-{name}")
    if not st.button("Run simulation", type="primary", disabled=not chosen, key="sim-run"):
        if last := st.session_state.get("sim-last"):
            st.caption(last["label"])
            st.dataframe(last["rows"], hide_index=True, width="stretch")
        return
    total = sum(1 for step in scenario.steps if step.user in chosen)
    progress = st.progress(0.0, text=f"0 / {total} turns")
    rows = []
    with st.status(f"Simulating {len(chosen)} users at once ...", expanded=True) as status:
        for done, turn in enumerate(simulate(service, scenario, chosen), start=1):
            pane_for(service, turn.user).history.append(Turn(turn.message, reply=turn.reply, error=turn.error))
            outcome = turn.error or f"{len(turn.reply.memories_stored) if turn.reply else 0} stored"
            status.write(f"{turn.user}: “{turn.message}” · {turn.elapsed_ms:.0f} ms · {outcome}")
            progress.progress(done / total, text=f"{done} / {total} turns")
            rows.append(
                {
                    "user": turn.user,
                    "message": turn.message,
                    "ms": round(turn.elapsed_ms),
                    "memories used": len(turn.reply.memories_used) if turn.reply else 0,
                    "stored": ", ".join(m.text for m in turn.reply.memories_stored) if turn.reply else "",
                    "error": turn.error or "",
                }
            )
        failed = sum(1 for r in rows if r["error"])
        label = f"Simulation of {name} done: {len(rows)} turns, {failed} errors"
        status.update(label=label, state="error" if failed else "complete")
    # Rerun so the chat panes and inspectors (drawn above) show the new turns and memories.
    st.session_state["sim-last"] = {"label": label, "rows": rows}
    st.rerun()
