"""JUnit XML (what pytest --junitxml, JUnit, Maven Surefire, Jest, go test and most CI tools
write): the test cases of a file with their outcomes.

Parsed with defusedxml, so entity expansion and external references in an uploaded file are
refused rather than followed."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class JUnitError(ValueError):
    """The file is not readable JUnit XML; the message names the file and the problem."""


@dataclass(frozen=True)
class JUnitCase:
    classname: str
    name: str
    outcome: str  # passed, failed, skipped
    seconds: float | None
    message: str


def _outcome(case: Element) -> tuple[str, str]:
    for child in case:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("failure", "error"):
            text = child.get("message") or ""
            detail = (child.text or "").strip()
            return "failed", "\n".join(t for t in (text, detail) if t)[:10000]
        if tag == "skipped":
            return "skipped", (child.get("message") or (child.text or "").strip())[:10000]
    return "passed", ""


def parse_junit(data: bytes, filename: str) -> list[JUnitCase]:
    """The test cases of a JUnit XML file, in file order; raises JUnitError naming the file."""
    if not data.strip():
        raise JUnitError(f"{filename} is empty")
    try:
        root = fromstring(data)
    except ParseError as exc:
        line, column = exc.position
        raise JUnitError(f"{filename} is not well-formed XML (cut short or damaged?): "
                         f"line {line}, column {column}") from exc
    except DefusedXmlException as exc:
        raise JUnitError(f"{filename} uses XML features refused for safety "
                         f"({type(exc).__name__})") from exc
    tag = root.tag.rsplit("}", 1)[-1]
    if tag not in ("testsuites", "testsuite"):
        raise JUnitError(f"{filename} is not JUnit XML: its root element is <{tag}>, not "
                         "<testsuites> or <testsuite>")
    cases: list[JUnitCase] = []
    for number, case in enumerate(root.iter("testcase"), start=1):
        name = (case.get("name") or "").strip()
        if not name:
            raise JUnitError(f"{filename}: test case {number} has no name")
        classname = (case.get("classname") or "").strip()
        outcome, message = _outcome(case)
        time = case.get("time")
        try:
            seconds = float(time) if time not in (None, "") else None
        except ValueError as exc:
            raise JUnitError(f"{filename}: test case {classname}.{name} has time "
                             f"{time!r}, not a number of seconds") from exc
        cases.append(JUnitCase(classname[:300], name[:300], outcome, seconds, message))
    return cases
