"""What a proxy and an operator of several servers rely on: health and readiness, request
ids in responses and logs, JSON logs, and the deployment check."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from projectoffice.requestlog import JsonFormatter, RequestIdFilter, request_id

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_sign_in(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_each_check(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_is_503_when_storage_fails(client: Any, settings: Any, tmp_path: Any) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(blocked / "media")}}}
    from django.core.files import storage

    storage.default_storage._wrapped = storage.storages.create_storage(
        settings.STORAGES["default"])
    try:
        response = client.get("/readyz")
    finally:
        storage.default_storage._wrapped = storage.storages.create_storage(
            {"BACKEND": "django.core.files.storage.FileSystemStorage"})
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("error")


def test_request_id_is_passed_on_or_made(client: Any) -> None:
    given = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-123")
    assert given["X-Request-ID"] == "proxy-abc-123"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces\n")
    assert made["X-Request-ID"] != "bad id with spaces\n" and len(made["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id() -> None:
    record = logging.makeLogRecord({"name": "projectoffice.jobs", "levelname": "WARNING",
                                    "msg": "Job %s failed", "args": ("digest",), "ms": 12.5})
    token = request_id.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["message"] == "Job digest failed"
    assert line["ms"] == 12.5 and line["level"] == "WARNING"


def test_deploy_check_wants_the_base_url(settings: Any) -> None:
    from projectoffice.jobs.checks import deployment

    settings.PMO_BASE_URL = ""
    assert [m.id for m in deployment()] == ["projectoffice.W001"]
    settings.PMO_BASE_URL = "https://pmo.example.org"
    assert deployment() == []
