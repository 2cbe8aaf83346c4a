"""Browser tests: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.axe import Watch, report

CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: run scripts/system-packages.sh")
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def raw_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context, not checked for accessibility."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def axe_watch(raw_page: Any) -> Watch:
    """Runs axe-core on every document the page loads (see tests/e2e/axe.py)."""
    return Watch(raw_page).attach()


@pytest.fixture
def page(axe_watch: Watch) -> Any:
    """The page every browser test drives: each document it loads is checked with axe-core,
    and the test fails on any serious or critical violation (pytest_runtest_call below)."""
    return axe_watch.page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a browser test has passed, check the page as it was left (content HTMX swapped
    in included) and fail the test with every finding of the test's pages."""
    result = yield
    watch = getattr(item, "funcargs", {}).get("axe_watch")
    if isinstance(watch, Watch):
        watch.flush(final=True)
        if watch.findings:
            pytest.fail(report(watch.take()), pytrace=False)
    return result
