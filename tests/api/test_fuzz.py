"""Fuzzing the whole API from its own OpenAPI document (schemathesis), as the Project Office
manager and as a team member: whatever is sent, the office answers without a server error and
every answer matches the schema the document promises.

Bounded: a few generated requests per operation and role, no shrinking, each request rolled
back so every one meets the same office. PMO_FUZZ_EXAMPLES raises the count for a longer run.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.core.failures import FailureGroup

from projectoffice.accounts.actions import create_api_token
from projectoffice.wsgi import application
from tests.conftest import Office

EXAMPLES = int(os.environ.get("PMO_FUZZ_EXAMPLES", "3"))
# Requests that break the document on purpose (wrong types, missing fields): each must be a
# 4xx, never a 500. Off by default to keep the run short; PMO_FUZZ_NEGATIVE=1 turns it on.
NEGATIVE = os.environ.get("PMO_FUZZ_NEGATIVE") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# Path parameters that name something in the fixture, so most requests reach the operation
# instead of stopping at "not found".
KNOWN = {"code": "MTX"}


@pytest.fixture
def no_connection_recycling() -> Any:
    """The WSGI handler closes the database connection after each request, as a server must;
    inside the test's transaction that would lose the fixture (the test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


STATUSES: Counter[int] = Counter()


def _fuzz(operation: Any, token: str,
          mode: GenerationMode = GenerationMode.POSITIVE) -> str | None:
    """Run the operation's generated cases; the first failure's description, or None."""
    known = {name: value for name, value in KNOWN.items()
             if any(p.name == name for p in operation.path_parameters)}
    failure: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode, path_parameters=known or None))
    def run(case: Any) -> None:
        if failure:
            return
        with transaction.atomic():
            try:
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                STATUSES[response.status_code] += 1
                case.validate_response(response, checks=CHECKS)
            except (Exception, FailureGroup) as exc:  # every kind of failure is reported
                failure.append(f"{case.method} {case.formatted_path} "
                               f"query={case.query} body={case.body!r}: "
                               f"{type(exc).__name__}: {str(exc)[:1500]}")
            transaction.set_rollback(True)

    try:
        run()
    except (Exception, FailureGroup) as exc:  # a failure Hypothesis itself re-raised
        failure.append(f"{operation.method.upper()} {operation.path}: "
                       f"{type(exc).__name__}: {str(exc)[:1500]}")
    return failure[0] if failure else None


@pytest.mark.django_db
def test_fuzzing_the_api_finds_no_server_error_or_schema_violation(
        no_connection_recycling: Any) -> None:
    office = Office()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    tokens = {"pmo_manager": create_api_token(actor=office.pmo, name="fuzz")[1],
              "team_member": create_api_token(actor=office.members["team_member"],
                                              name="fuzz")[1]}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 300
    for operation in operations:
        for role, token in tokens.items():
            for mode in ([GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if NEGATIVE
                         else [GenerationMode.POSITIVE]):
                if (problem := _fuzz(operation, token, mode)) is not None:
                    failures.append(f"[{role}, {mode.value}] {problem}")
    print("answers by status:", dict(sorted(STATUSES.items())))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


@pytest.mark.django_db
def test_the_fuzzing_reports_a_server_error(no_connection_recycling: Any,
                                             monkeypatch: Any) -> None:
    """The harness itself can fail: an operation that breaks is reported."""
    from projectoffice.portfolio import api as portfolio_api

    office = Office()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema["/api/v1/portfolios"]["GET"]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(portfolio_api, "portfolio_out", broken, raising=True)
    problem = _fuzz(operation, create_api_token(actor=office.pmo, name="fuzz")[1])
    assert problem is not None and "500" in problem
