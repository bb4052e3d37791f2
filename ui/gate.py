"""The page's front door: a warning when other machines can reach it, and the optional shared password."""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import time

import streamlit as st

from ui.access import PASSWORD_ENV, PASSWORD_SECRET, exposure_warning
from ui.text import md_code

_PASSED = "ui-password-passed"  # session key: a digest of the password this browser tab gave
_ENTERED = "ui-password"  # the password field; emptied by the submit callback
_WRONG = "ui-password-wrong"
_FAILURES = "ui-password-failures"  # wrong tries in this browser session
_RETRY_AT = "ui-password-retry-at"  # no try is compared before this moment (monotonic seconds)
FREE_TRIES = 3
MAX_WAIT_S = 60.0
_now = time.monotonic  # the clock the throttle reads (a test may stop it)


def wait_after(failures: int) -> float:
    """Seconds a session waits before its next try: none for the first few wrong ones, then doubling to a minute.

    Why: without it a script could try passwords as fast as the server answers.
    """
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_WAIT_S, 2.0 ** (failures - FREE_TRIES + 1))


def _shared_password() -> str | None:
    """``CONCIERGE_UI_PASSWORD``, else ``ui_password`` in Streamlit secrets; None when neither is set."""
    if from_env := os.environ.get(PASSWORD_ENV):
        return from_env
    try:
        from_secrets = st.secrets.get(PASSWORD_SECRET)
    except FileNotFoundError:  # Streamlit raises this both for no file and for one it cannot parse
        unreadable = [path for path in st.get_option("secrets.files") if os.path.exists(path)]
        if not unreadable:
            return None
        st.error(f"Could not read {md_code(', '.join(unreadable))}: fix its TOML syntax and reload the page.")
        st.stop()  # it may hold the password: fail closed
    if from_secrets is None:
        return None
    if not isinstance(from_secrets, str) or not from_secrets:
        st.error(f'{PASSWORD_SECRET} in .streamlit/secrets.toml must be a non-empty quoted string, e.g. "s3cret".')
        st.stop()  # a password was meant: fail closed
    return from_secrets


def _digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def guard_page() -> None:
    """Warn when the server is reachable beyond this machine; stop here until the shared password is given.

    The password is compared with ``hmac.compare_digest`` and never logged, echoed or kept in the page.
    """
    password = _shared_password()
    warning = exposure_warning(st.get_option("server.address"), st.get_option("server.port"))
    if warning:
        status = "A shared password is set." if password else "No shared password is set."
        st.warning(f"Reachable from other machines: {warning} {status}", icon="⚠️")
    if password is None:
        return
    passed = st.session_state.get(_PASSED)
    if isinstance(passed, str) and hmac.compare_digest(passed, _digest(password)):
        return  # a changed password asks again
    st.title("Concierge")
    with st.form("ui-login-form", border=True):
        st.text_input("Shared password for this demo", type="password", key=_ENTERED)
        st.form_submit_button("Enter", key="ui-login", type="primary", on_click=_check_password)
    if st.session_state.pop(_WRONG, False):
        st.error("Wrong password.")
    wait = st.session_state.get(_RETRY_AT, 0.0) - _now()
    if wait > 0:
        st.error(f"Too many wrong tries: wait {math.ceil(wait)} s before the next one.")
    st.stop()


def _check_password() -> None:
    """Submit callback: compare in constant time, then drop what was typed from the session."""
    entered = st.session_state.get(_ENTERED) or ""
    st.session_state[_ENTERED] = ""
    if _now() < st.session_state.get(_RETRY_AT, 0.0):
        return  # throttled: not even compared (the page says how long to wait)
    password = _shared_password()
    if password is not None and hmac.compare_digest(entered.encode(), password.encode()):
        st.session_state[_PASSED] = _digest(password)
        st.session_state[_FAILURES] = 0
    else:
        failures = st.session_state.get(_FAILURES, 0) + 1
        st.session_state[_FAILURES] = failures
        st.session_state[_RETRY_AT] = _now() + wait_after(failures)
        st.session_state[_WRONG] = True
