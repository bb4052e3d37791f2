"""End to end in a real browser: Debian chromium (headless, driven by Playwright) against `concierge ui`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from concierge.needs import load_vocabulary
from concierge.service import ConciergeService

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
# As root and offline: no sandbox, and none of the background connections a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def ui_project() -> str:
    """The project the server uses: a fresh one per module, so the tests see only their own users."""
    return f"browser-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def ui_server(state_dir: Path, tmp_path_factory: pytest.TempPathFactory, ui_project: str) -> Iterator[tuple[str, Path]]:
    """One `concierge ui` server for the module's tests (each test uses its own users): its URL and its log."""
    if not CHROMIUM.exists():
        if os.environ.get("CONCIERGE_REQUIRE_BROWSER"):
            pytest.fail("Debian chromium is required here: apt-get install -y chromium")
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium); CI installs it")
    port = _free_port()
    env = {**os.environ, "CONCIERGE_PROJECT_ID": ui_project}
    env.pop("CONCIERGE_UI_PASSWORD", None)
    log_path = tmp_path_factory.mktemp("ui") / "streamlit.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "concierge.cli", "ui", "--port", str(port), "--address", "127.0.0.1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the UI server did not come up; log:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url, log_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def app_url(ui_server: tuple[str, Path]) -> str:
    return ui_server[0]


def _open_page(browser: Browser, url: str, problems: list[str] | None = None) -> Page:
    """The app at 1600x1100 (as an audience's screen), its console errors and warnings kept in ``problems``."""
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    if problems is not None:
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url)
    page.get_by_placeholder("Message as alice").wait_for(timeout=180_000)  # first load builds the service
    return page


def _add_user(page: Page, user: str) -> None:
    page.get_by_label("Add a user").fill(user)
    page.get_by_role("button", name="Add").click()
    page.get_by_placeholder(f"Message as {user}").wait_for(timeout=30_000)
    _wait_until_idle(page)  # a new pane re-lays out the row: its inputs are replaced until the run ends


def _wait_until_idle(page: Page) -> None:
    """Until the page's script run has ended (Streamlit shows its status widget while a run goes on)."""
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)


def _replies_shown_in(text: str) -> int:
    """Finished replies: each one says how long it took."""
    return text.count("answered in ")


def _replies_shown(page: Page) -> int:
    return _replies_shown_in(page.inner_text("body"))


def _wait_for_replies(page: Page, count: int, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while _replies_shown(page) < count:
        if time.monotonic() > deadline:
            body = page.inner_text("body")
            pytest.fail(f"{_replies_shown_in(body)} of {count} replies shown; the page:\n{body[-6000:]}")
        time.sleep(0.3)


# Enter in two panes' chat inputs from one script in the page, the second ``gap`` ms after the first: as close
# together as a browser can send them (Playwright's own key presses are each a round trip, tens of ms apart).
_SEND_BOTH = """([first, second, gap]) => new Promise(done => {
    const enter = user => document.querySelector(`textarea[placeholder="Message as ${user}"]`).dispatchEvent(
        new KeyboardEvent("keydown", {key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true}));
    enter(first);
    setTimeout(() => { enter(second); done(); }, gap);
})"""
GAPS_MS = (1, 3, 4, 10, 45)  # one round each; without the fix, about one in four sends 3-10 ms apart lost one


def test_near_simultaneous_turns_in_two_panes_are_never_lost(app_url: str) -> None:
    """The issue's repro, five times: a crew turn in one pane, and within 50 ms one in another."""
    from playwright.sync_api import sync_playwright

    sent: dict[str, list[str]] = {"carol": [], "dave": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _open_page(browser, app_url)
            for user in sent:
                _add_user(page, user)
            for number, gap in enumerate(GAPS_MS, start=1):
                asks = {
                    "carol": f"I'm vegan, book a dinner in Lisbon for {number + 1} people",
                    "dave": f"I use a wheelchair, find a dinner in Rome for {number + 1} people",
                }
                for user, text in asks.items():
                    page.get_by_placeholder(f"Message as {user}").fill(text)
                    sent[user].append(text)
                page.evaluate(_SEND_BOTH, ["carol", "dave", gap])
                _wait_for_replies(page, 2 * number)
            body = page.inner_text("body")
        finally:
            browser.close()
    for user, texts in sent.items():
        for text in texts:
            assert body.count(text) == 1, (user, text)  # every message shown once, in its own pane
        assert body.count(f"Plan for {user} in") == len(GAPS_MS), user  # and every reply: its plan card
    assert _replies_shown_in(body) == 2 * len(GAPS_MS)


def test_guided_demo_plays_to_a_green_audit_without_errors(
    ui_server: tuple[str, Path], tmp_path: Path, service: ConciergeService, ui_project: str
) -> None:
    """Play the France-vs-Spain script: every step's replies, the facts kept in the new session, the audit.

    Each step's screenshot goes to $DEMO_SCREENSHOTS when set (docs/demo/ is made this way)."""
    from playwright.sync_api import sync_playwright

    from concierge.demo import demo_files, load_demo

    url, log_path = ui_server
    script = load_demo(next(p for p in demo_files() if p.stem == "france_vs_spain"))
    shots = Path(os.environ.get("DEMO_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    logged_before = log_path.read_text()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _open_page(browser, url, problems)
            page.screenshot(path=str(shots / "step-0-start.png"))
            page.get_by_role("button", name="Play the France-vs-Spain demo").click()
            shown = 0
            for number, step in enumerate(script.steps, start=1):
                page.get_by_text(f"Step {number} of {len(script.steps)}").first.wait_for(timeout=120_000)
                shown = len(step.say) if step.new_session else shown + len(step.say)
                _wait_for_replies(page, shown)
                if step.audit:
                    page.get_by_text("All green: no user was shown").first.wait_for(timeout=60_000)
                page.screenshot(path=str(shots / f"step-{number}.png"))
            body = page.inner_text("body")
        finally:
            browser.close()
    assert "LEAK" not in body
    scopes = {user: service.scope(user, project_id=ui_project) for user in script.users}
    kept = {user: " ".join(m.text for m in service.memories(scope)) for user, scope in scopes.items()}
    for scope in scopes.values():  # the other tests of this module use alice and bob too: start them from nothing
        service.forget(scope)
    for user, texts in kept.items():  # the new session still knew each user's own facts, and only theirs
        assert ("vegetarian" in texts) == (user == "alice") and ("shellfish" in texts) == (user == "bob"), texts
    assert not problems, problems
    logged = log_path.read_text()[len(logged_before) :]
    assert not [line for line in logged.splitlines() if "WARNING" in line or "ERROR" in line or "Traceback" in line]


def test_two_panes_chat_in_a_real_browser(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            page.goto(app_url)

            alice = page.get_by_placeholder("Message as alice")
            alice.wait_for(timeout=180_000)  # first load builds the service (models, catalog, store)
            alice.fill("I am allergic to nuts and I love Lyon")
            alice.press("Enter")
            page.get_by_text("Noted. Ask me for a dinner").first.wait_for(timeout=90_000)

            bob = page.get_by_placeholder("Message as bob")
            bob.fill("I'm looking for an apartment in Spain")
            bob.press("Enter")
            page.get_by_text("Plan for bob").first.wait_for(timeout=90_000)

            alice.fill("Plan a dinner for me tomorrow")
            alice.press("Enter")
            page.get_by_text("Plan for alice").first.wait_for(timeout=90_000)
            page.get_by_text("Memory of alice: 2").first.wait_for(timeout=30_000)  # her inspector, kept current

            screenshot = tmp_path / "two-panes.png"
            page.screenshot(path=str(screenshot), full_page=True)
            assert screenshot.stat().st_size > 10_000
            body = page.inner_text("body")
            assert "Plan for bob" in body and "Plan for alice" in body
            assert load_vocabulary().get("peanuts").label in body  # her need, stated in the plan and the draft
        finally:
            browser.close()


def test_user_text_never_becomes_a_link_or_an_image(app_url: str, ui_project: str, service: ConciergeService) -> None:
    from playwright.sync_api import sync_playwright

    hostile = "I love ![pixel](http://evil.example/p.png) and [click me](http://evil.example/x)"
    service.remember(service.scope("mallory", project_id=ui_project), hostile, infer=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            page.goto(app_url)
            page.get_by_placeholder("Message as alice").wait_for(timeout=180_000)
            for user in ("mallory", "eve@evil.example", "_x_"):  # ids: an e-mail must not autolink, _x_ not italic
                page.get_by_label("Add a user").fill(user)
                page.get_by_role("button", name="Add").click()
                page.get_by_placeholder(f"Message as {user}").wait_for(timeout=30_000)
            page.get_by_label("Add a user").fill("eve@evil.example/x")  # refused: the error quotes it
            page.get_by_role("button", name="Add").click()
            page.get_by_text("not allowed").first.wait_for(timeout=30_000)
            page.get_by_text("Memory of mallory: 1").first.wait_for(timeout=30_000)
            mallory = page.get_by_placeholder("Message as mallory")
            mallory.fill("Plan a dinner in Lyon at [Chez Evil](http://evil.example/menu)")
            mallory.press("Enter")
            page.get_by_text("Plan for mallory").first.wait_for(timeout=90_000)

            body = page.inner_text("body")
            typed = "Plan a dinner in Lyon at [Chez Evil](http://evil.example/menu)"
            assert hostile in body and typed in body  # shown as typed
            assert "_x_" in body and "eve@evil.example" in body
            assert page.locator("img[src*='evil.example']").count() == 0
            assert page.locator("a[href*='evil.example']").count() == 0
        finally:
            browser.close()
