"""The guided demo on the Chat page: a script from data/demo/*.yaml typed into the panes, step by step.

Each step's messages go to their panes at once (real chat turns, through the same workers as typed ones), its
caption says what to notice, and the next step starts once every reply is in and the audience had
``pause_seconds`` to read it. The last step can run the isolation audit, shown under its caption.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import streamlit as st

from concierge import ConciergeError, ConciergeService, DemoScript, demo_files, load_demo
from ui.audit import render_audit_result, run_audit
from ui.chat import new_session
from ui.isolation import IsolationAudit
from ui.state import Pane, pane_in, panes
from ui.text import md_code, md_escape
from ui.turns import Turn

_KEY = "demo-run"


@dataclass(slots=True, eq=False)
class DemoRun:
    """A demo being played in this browser tab."""

    script: DemoScript
    step: int = -1  # index of the step shown
    turns: list[Turn] = field(default_factory=list)  # the shown step's turns
    replied_at: float | None = None  # when the last of them ended (time.monotonic)
    audit: IsolationAudit | None = None
    finished: bool = False

    def due(self) -> bool:
        """True once the shown step's replies are all in and its pause is over (the page then reruns)."""
        if self.finished or any(turn.pending for turn in self.turns):
            return False
        if self.replied_at is None:
            self.replied_at = time.monotonic()
        return time.monotonic() - self.replied_at >= self.script.pause_seconds


def _holder() -> dict[str, DemoRun]:
    """Where this tab's demo run lives: a dict made once, so a callback can fill it without touching
    ``st.session_state`` (see ``ui.chat._send_typed``)."""
    return st.session_state.setdefault(_KEY, {})


def shown_run() -> DemoRun | None:
    return _holder().get("run")


def playing() -> DemoRun | None:
    run = shown_run()
    return run if run is not None and not run.finished else None


def _start(service: ConciergeService, script: DemoScript, shown: list[Pane], holder: dict[str, DemoRun]) -> None:
    """The Play button's callback: fresh sessions for the script's users (panes added if missing), then the
    first step. Plain Python on the objects it is given: nothing here can be stopped half-way by a newer event."""
    for user in script.users:
        pane = pane_in(shown, service, user)
        pane.run_id, pane.history, pane.notice = service.new_session_id(), [], None
    holder["run"] = run = DemoRun(script)
    _advance(service, run, shown)


def _advance(service: ConciergeService, run: DemoRun, shown: list[Pane]) -> None:
    run.step += 1
    run.turns, run.replied_at = [], None
    step = run.script.steps[run.step]
    for user in step.new_session:
        new_session(service, pane_in(shown, service, user))
    run.turns = [pane_in(shown, service, user).send(service, text) for user, text in step.say.items()]
    if step.audit:
        run.audit = run_audit(service, run.script.users)
    run.finished = run.step == len(run.script.steps) - 1 and not run.turns


def step_if_due(service: ConciergeService) -> None:
    """Called first on every run of the Chat page: the next step once the shown one is done."""
    run = playing()
    if run is None or not run.due():
        return
    if run.step + 1 < len(run.script.steps):
        _advance(service, run, panes(service))
    else:
        run.finished = True


def _reset(service: ConciergeService) -> None:
    try:
        forgotten = service.reset_demo_users()
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return
    _holder().pop("run", None)
    for pane in panes(service):
        if pane.user_id in forgotten:
            pane.run_id, pane.history = service.new_session_id(), []
            pane.notice = f"Forgot {md_code(pane.user_id)}: {forgotten[pane.user_id]} memories; a new session."
    st.rerun()


def _controls(service: ConciergeService, scripts: dict[str, DemoScript], busy: bool) -> None:
    choose, play, reset = st.columns([2, 2, 2], vertical_alignment="bottom")
    name = next(iter(scripts))
    if len(scripts) > 1:
        name = choose.selectbox("Demo script", list(scripts), format_func=lambda n: scripts[n].title, key="demo-pick")
    script = scripts[name]
    if playing() is not None:
        if play.button("Stop the demo", key="demo-stop", icon=":material/stop:"):
            _holder().pop("run", None)
            st.rerun()
    else:
        play.button(
            f"Play the {script.title} demo",
            key="demo-play",
            type="primary",
            icon=":material/play_arrow:",
            disabled=busy,
            on_click=_start,  # a callback: it runs even if a newer event stops the run at once
            args=(service, script, panes(service), _holder()),
        )
    with reset.popover("Reset demo users", icon=":material/delete_sweep:", disabled=busy):
        users = ", ".join(md_code(u) for u in dict.fromkeys(u for s in scripts.values() for u in s.users))
        st.markdown(f"Forget {users} in this project: memories, sessions and transcripts.")
        sure = st.checkbox("I mean it: forget the demo users", key="demo-reset-confirm")
        if st.button("Forget them", key="demo-reset", type="primary", disabled=not sure, icon=":material/delete:"):
            _reset(service)


def _caption(run: DemoRun) -> None:
    step = run.script.steps[run.step]
    where = f"Step {run.step + 1} of {len(run.script.steps)}"
    st.info(f"**{where}.** {md_escape(step.caption.strip())}", icon=":material/visibility:")
    if run.audit is not None:
        render_audit_result(run.audit)


def render_demo(service: ConciergeService, busy: bool) -> None:
    """The controls and, while a demo plays or after it ends, the current step's caption."""
    try:
        scripts = {path.stem: load_demo(path) for path in demo_files()}
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return
    if not scripts:
        return
    _controls(service, scripts, busy)
    run = shown_run()
    if run is not None and run.step >= 0:
        _caption(run)
