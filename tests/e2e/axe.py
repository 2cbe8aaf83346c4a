"""axe-core in the browser tests: run it on a page, keep the serious and critical findings.

`check(page)` runs axe-core (bundled by the `axe-playwright-python` package) on the page as
it is and returns one `Finding` per element that breaks a rule of serious or critical impact.
`Watch` hooks a Playwright page so that every document the test loads is checked once; the
e2e conftest attaches one to the `page` fixture and fails the test if anything was found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT

BLOCKING = ("serious", "critical")

# Every rule axe runs by default (WCAG 2.0–2.2 A and AA plus best practices); none is
# disabled. Only the result types needed are asked for, which keeps a run short.
OPTIONS = {"resultTypes": ["violations"]}

RUN = "options => window.axe.run(document, options).then(results => results.violations)"


@dataclass
class Finding:
    url: str
    rule: str
    impact: str
    selector: str
    summary: str
    help_url: str
    contrast: str = ""

    def __str__(self) -> str:
        extra = f" [{self.contrast}]" if self.contrast else ""
        return (f"{self.rule} ({self.impact}) at {self.url}\n    {self.selector}{extra}\n"
                f"    {self.summary}\n    {self.help_url}")


def _contrast(node: dict[str, Any]) -> str:
    for check in node.get("any", []):
        data = check.get("data") or {}
        if not isinstance(data, dict) or "contrastRatio" not in data:
            continue
        if not data.get("fgColor"):  # a link against the text around it
            return f"{data.get('contrastRatio')}:1 against the surrounding text"
        return (f"{data.get('fgColor')} on {data.get('bgColor')}: "
                    f"{data.get('contrastRatio')}:1, needs {data.get('expectedContrastRatio')}")
    return ""


def check(page: Any, label: str = "") -> list[Finding]:
    """Run axe-core on the page as it is now; the serious and critical findings."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(RUN, OPTIONS)
    where = label or (page.url if len(page.url) < 120 else page.url[:117] + "...")
    findings = []
    for rule in violations:
        for node in rule["nodes"]:
            impact = node.get("impact") or rule.get("impact") or ""
            if impact not in BLOCKING:
                continue
            target = node.get("target") or []
            findings.append(Finding(
                url=where, rule=rule["id"], impact=impact,
                selector=" >> ".join(str(t) for t in target),
                summary=(node.get("failureSummary") or rule["help"]).replace("\n", " "),
                help_url=rule.get("helpUrl", ""), contrast=_contrast(node)))
    return findings


def report(findings: list[Finding]) -> str:
    lines = [f"{len(findings)} serious or critical accessibility violation(s):"]
    lines += [str(f) for f in findings]
    return "\n".join(lines)


# The page methods a test starts a step with: before any of them, a document loaded since
# the last check is checked (the load has finished by then, so axe sees the whole page).
STEP_METHODS = (
    "locator", "get_by_role", "get_by_label", "get_by_text", "get_by_placeholder",
    "get_by_title", "get_by_alt_text", "get_by_test_id", "click", "fill", "select_option",
    "check", "press", "type", "screenshot", "content", "set_viewport_size", "close",
)
NAVIGATIONS = ("goto", "reload", "go_back", "go_forward", "wait_for_url", "set_content")


@dataclass
class Watch:
    """Checks each document a page loads, once per address, and keeps the findings."""

    page: Any
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    pending: bool = False
    busy: bool = False

    def attach(self) -> Watch:
        self.page.on("load", self._loaded)
        for name in STEP_METHODS:
            setattr(self.page, name, self._before(getattr(self.page, name)))
        for name in NAVIGATIONS:
            setattr(self.page, name, self._after(getattr(self.page, name)))
        return self

    def _loaded(self, _page: Any) -> None:
        self.pending = True

    def _before(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            self.flush()
            return method(*args, **kwargs)
        return step

    def _after(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def navigate(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            self.pending = True
            self.flush()
            return result
        return navigate

    def flush(self, *, final: bool = False) -> None:
        """Check the current document if it loaded since the last check (or at the end)."""
        if self.busy or self.page.is_closed() or not (self.pending or final):
            return
        url = self.page.url
        self.pending = False
        if url in ("about:blank", "") or (url in self.checked and not final):
            return
        self.busy = True
        try:
            try:
                found = check(self.page)
            except Exception as error:  # the document went away mid-run: wait, run again
                gone = ("context was destroyed", "navigat", "documentElement")
                if not any(sign in str(error) for sign in gone):
                    raise
                self.page.wait_for_load_state()
                url = self.page.url
                found = check(self.page)
        finally:
            self.busy = False
        if url not in self.checked:
            self.checked.append(url)
        known = {(f.url, f.rule, f.selector) for f in self.findings}
        self.findings += [f for f in found if (f.url, f.rule, f.selector) not in known]

    def take(self) -> list[Finding]:
        """The findings so far, forgotten (for a test that expects some)."""
        found, self.findings = self.findings, []
        return found
