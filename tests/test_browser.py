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

import pytest

from concierge.needs import load_vocabulary
from concierge.service import ConciergeService

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
def app_url(state_dir: Path, tmp_path_factory: pytest.TempPathFactory, ui_project: str) -> Iterator[str]:
    """One `concierge ui` server for the module's tests (each test uses its own users)."""
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
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


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
