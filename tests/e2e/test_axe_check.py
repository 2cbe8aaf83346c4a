"""The accessibility check itself: it must fail when a page breaks a serious rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.axe import Watch, check, report

pytestmark = pytest.mark.e2e

FAINT = """<!doctype html><html lang="en"><head><title>Fragment</title></head><body>
<main><h1>Fragment</h1>
<p style="color: #aab0bb; background: #fff">Faint text a reader can hardly see.</p>
<p>Read <a href="#x" style="color: #3867d6; text-decoration: none">the notes</a> first.</p>
<table><tr><th></th><th>Due</th></tr><tr><td>ISS-0001</td><td>Today</td></tr></table>
</main></body></html>"""

CLEAR = """<!doctype html><html lang="en"><head><title>Fragment</title></head><body>
<main><h1>Fragment</h1><p style="color: #1d2433; background: #fff">Plain text.</p></main>
</body></html>"""


def test_low_contrast_text_fails_the_check(raw_page):
    raw_page.set_content(FAINT)
    findings = check(raw_page, "fragment")
    rules = {f.rule for f in findings}
    assert "color-contrast" in rules
    contrast = next(f for f in findings if f.rule == "color-contrast")
    assert contrast.impact == "serious"
    assert "#aab0bb on #ffffff" in contrast.contrast and "needs 4.5:1" in contrast.contrast
    assert "p" in contrast.selector
    assert "color-contrast (serious) at fragment" in report(findings)

    raw_page.set_content(CLEAR)
    assert check(raw_page, "fragment") == []


def test_the_page_fixture_checks_each_document_it_loads(page, axe_watch: Watch):
    page.goto("data:text/html," + FAINT.replace("#", "%23"))
    page.get_by_role("heading", name="Fragment")  # a step after the load: already checked
    found = axe_watch.take()  # taken, or the test would fail with them
    assert "color-contrast" in {f.rule for f in found}
    page.goto("data:text/html," + CLEAR.replace("#", "%23"))
    assert len(axe_watch.checked) == 2  # both documents, once each
    assert axe_watch.findings == []


BROWSER_TEST = '''
def test_a_page_with_faint_text(page):
    page.goto("data:text/html," + {fragment!r})
    assert page.get_by_role("heading").count() == 1
'''


def test_a_browser_test_visiting_a_faint_page_fails(tmp_path, browser):
    """The whole path, in a pytest of its own: the `page` fixture, the check after the test,
    the failure with the finding."""
    test_file = tmp_path / "test_faint.py"
    test_file.write_text(BROWSER_TEST.format(fragment=FAINT.replace("#", "%23")))
    repo = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django",
         "-p", "tests.e2e.conftest", "-c", os.devnull, "--rootdir", str(tmp_path),
         str(test_file)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(repo)}, capture_output=True,
        text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
    assert "color-contrast (serious)" in run.stdout
    assert "#aab0bb on #ffffff: 2.17:1, needs 4.5:1" in run.stdout
