"""Simulate: scripted conversations from data/scenarios run for the chosen users at the same time.

Simulated turns are real chat turns, so they store memories: they always go to a demo project
(``<project>-demo``), never to a real one, and are shown here rather than in the users' panes.
"""

from __future__ import annotations

import streamlit as st

from concierge import ConciergeError, ConciergeService, InvalidInputError, Scenario, load_scenario, validate_id
from ui.resources import scenario_files
from ui.simulation import SimulatedTurn, simulate
from ui.text import md_code, md_escape

DEMO_SUFFIX = "-demo"


def demo_project(project_id: str) -> str:
    """Where a simulation writes what a scenario says for ``project_id``."""
    return validate_id("project_id", f"{project_id}{DEMO_SUFFIX}")


def demo_scenario(scenario: Scenario, real_project: str) -> Scenario:
    """``scenario`` with every step moved to a demo project (its own project's, or the real one's)."""
    steps = tuple(
        step.model_copy(update={"project": demo_project(step.project or real_project)}) for step in scenario.steps
    )
    if any(step.project == real_project for step in steps):
        raise InvalidInputError(
            f"this scenario's demo project would be the real project {real_project!r}; "
            f"rename the scenario's project so that '<name>{DEMO_SUFFIX}' is not the project in use"
        )
    return scenario.model_copy(update={"steps": steps})


def _demo_memories(service: ConciergeService, targets: list[tuple[str, str]]) -> None:
    """What the last simulation left in the demo project(s), per user: plain text, read-only."""
    for user, project in targets:
        try:
            records = service.memories(service.scope(user, project_id=project))
        except ConciergeError as exc:
            st.error(md_escape(str(exc)))
            continue
        with st.expander(f"Demo memory of {md_code(user)} in {md_code(project)}: {len(records)}"):
            for record in records:
                st.text(record.text)
            if not records:
                st.caption("Nothing remembered.")


def _pick_scenario(service: ConciergeService, real: str) -> tuple[str, Scenario] | None:
    """The scenario chosen in the select box, moved to the demo project; None (with a message) if none loads."""
    files = {path.stem: path for path in scenario_files()}
    default = list(files).index("france_vs_spain") if "france_vs_spain" in files else 0
    name = st.selectbox("Conversation", list(files), index=default, key="sim-scenario")
    if name is None:
        st.warning("No scenario files in data/scenarios.")
        return None
    categories = frozenset(c.name for c in service.settings.policy.categories)
    try:
        return name, demo_scenario(load_scenario(files[name], categories), real)
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return None


def _show_last(service: ConciergeService) -> None:
    """The last simulation of this tab: its turns, and what it left in the demo memories."""
    if last := st.session_state.get("sim-last"):
        st.caption(last["label"])
        st.dataframe(last["rows"], hide_index=True, width="stretch")
        _demo_memories(service, last["targets"])


def _row(turn: SimulatedTurn) -> dict[str, object]:
    reply = turn.reply
    return {
        "user": turn.user,
        "message": turn.message,
        "ms": round(turn.elapsed_ms),
        "memories used": len(reply.memories_used) if reply else 0,
        "stored": ", ".join(m.text for m in reply.memories_stored) if reply else "",
        "error": turn.error or "",
    }


def _run(service: ConciergeService, name: str, scenario: Scenario, chosen: list[str]) -> None:
    """Run the chosen users' turns at once, showing each as it ends; the result is kept for ``_show_last``."""
    total = sum(1 for step in scenario.steps if step.user in chosen)
    progress = st.progress(0.0, text=f"0 / {total} turns")
    rows = []
    with st.status(f"Simulating {len(chosen)} users at once ...", expanded=True) as status:
        for done, turn in enumerate(simulate(service, scenario, chosen), start=1):
            outcome = turn.error or f"{len(turn.reply.memories_stored) if turn.reply else 0} stored"
            status.text(f"{turn.user}: “{turn.message}” · {turn.elapsed_ms:.0f} ms · {outcome}")
            progress.progress(done / total, text=f"{done} / {total} turns")
            rows.append(_row(turn))
        failed = sum(1 for r in rows if r["error"])
        label = f"Simulation of {md_escape(name)} done: {len(rows)} turns, {failed} errors"
        status.update(label=label, state="error" if failed else "complete")
    real = service.settings.project_id
    targets = list(dict.fromkeys((s.user, s.project or demo_project(real)) for s in scenario.steps if s.user in chosen))
    st.session_state["sim-last"] = {"label": label, "rows": rows, "targets": targets}


def render_simulate(service: ConciergeService) -> None:
    real = service.settings.project_id
    st.markdown(
        f"Replays a scripted conversation as real chat turns, one thread per user, in the demo project "
        f"{md_code(real + DEMO_SUFFIX)} (a scenario's own projects get {md_code(DEMO_SUFFIX)} too), never in the "
        f"real project {md_code(real)}: the turns and the demo memories appear below, not in the chat panes."
    )
    picked = _pick_scenario(service, real)
    if picked is None:
        return
    name, scenario = picked
    st.caption(scenario.description)
    everyone = list(dict.fromkeys(step.user for step in scenario.steps))
    chosen = st.multiselect("Users", everyone, default=everyone, key=f"sim-users-{name}")
    if not st.button("Run simulation", type="primary", disabled=not chosen, key="sim-run"):
        _show_last(service)
        return
    _run(service, name, scenario, chosen)
    st.rerun()  # draw the stored result (and the demo memories) the same way every rerun does
