"""JUnit XML import benchmark (not a timed test): a file of N test cases (default 20,000,
one in twenty failing, one in fifty skipped) imported into a project, first creating every
case, then again matching them all. Target: 5 s or less each.

    PYTHONPATH=. python benchmarks/junit_import.py [--cases 20000]

Runs against a fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 5.0


def junit_file(cases: int) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><testsuites name="bench">']
    per_suite = 500
    for s in range(0, cases, per_suite):
        parts.append(f'<testsuite name="suite{s // per_suite}" tests="{per_suite}">')
        for n in range(s, min(cases, s + per_suite)):
            name = quoteattr(f"test_case_{n}")
            classname = quoteattr(f"tests.module_{n // 100}.TestGroup")
            if n % 20 == 7:
                body = ('<failure message="assert 1 == 2">AssertionError: assert 1 == 2\n'
                        '  at line 12</failure>')
            elif n % 50 == 3:
                body = '<skipped message="not on this platform"/>'
            else:
                body = ""
            parts.append(f'<testcase classname={classname} name={name} time="0.012">'
                         f'{body}</testcase>')
        parts.append("</testsuite>")
    parts.append("</testsuites>")
    return "".join(parts).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    args = parser.parse_args()
    from benchmarks.office import fresh_office

    root, portfolio = fresh_office()
    from projectoffice.assurance.actions import import_junit
    from projectoffice.assurance.models import TestCase
    from projectoffice.portfolio import actions as portfolio_actions

    project = portfolio_actions.create_project(actor=root, code="JUNIT", name="JUnit bench",
                                               portfolio=portfolio)
    data = junit_file(args.cases)
    print(f"JUnit import of {args.cases} cases ({len(data) / 1e6:.1f} MB), target "
          f"{TARGET_S:.0f} s:")
    for label in ("first import (creates every case)", "second import (matches them)"):
        t0 = time.perf_counter()
        done = import_junit(actor=root, project=project, data=data, filename="bench.xml",
                            run_name=label)
        took = time.perf_counter() - t0
        verdict = "ok" if took <= TARGET_S else "SLOWER THAN TARGET"
        print(f"  {label}: {took:.2f} s — {done.executed} results, {done.failed} failed, "
              f"{done.created_cases} cases created [{verdict}]")
    print(f"  test cases in the project: {TestCase.objects.filter(project=project).count()}")


if __name__ == "__main__":
    main()
