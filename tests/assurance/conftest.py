from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TINY_SUITE = '''
import pytest

def test_adds():
    assert 1 + 1 == 2

def test_signs_in():
    assert "token" in "a token"

def test_rounds_money():
    assert round(2.675, 2) == 2.68, "binary floating point"

@pytest.mark.skip(reason="needs the printer")
def test_prints():
    pass
'''


@pytest.fixture(scope="session")
def junit_from_pytest(tmp_path_factory: Any) -> Path:
    """A real JUnit XML file written by pytest --junitxml from a tiny suite run in a
    subprocess: two passes, one failure and one skip."""
    folder = tmp_path_factory.mktemp("suite")
    (folder / "test_tiny.py").write_text(TINY_SUITE)
    out = folder / "results.xml"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "-p", "no:django", "-p", "no:xdist", "-p", "no:randomly",
                    f"--junitxml={out}", "test_tiny.py"], cwd=folder, capture_output=True,
                   check=False, timeout=120, env={"PATH": "/usr/bin:/bin",
                                                  "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.exists(), "pytest wrote no JUnit file"
    return out
