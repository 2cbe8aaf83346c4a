"""Uploads over the limit are refused before they are stored: from Content-Length without
reading the body, and while streaming for a file that passes that check."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projectoffice.registers.models import Attachment
from tests.conftest import Office

ATTACH = "/api/v1/projects/MTX/issues/ISS-0001/attachments"


def test_a_declared_length_over_the_limit_is_refused_unread(office: Office,
                                                          settings: Any) -> None:
    settings.PMO_MAX_ATTACHMENT_BYTES = 1000
    client = Client(raise_request_exception=False)
    client.force_login(office.pm)
    # The body is small but claims 180 MB: the answer comes before anything is read (the
    # test client would fail reading past the real body).
    response = client.post(ATTACH, {"file": SimpleUploadedFile("big.bin", b"x" * 10)},
                           CONTENT_LENGTH=str(180 * 1024 * 1024))
    assert response.status_code == 413
    assert "file" in response.json()["errors"]
    page = client.post("/projects/MTX/issues/ISS-0001/attach/",
                       {"file": SimpleUploadedFile("big.bin", b"x")},
                       CONTENT_LENGTH=str(180 * 1024 * 1024))
    assert page.status_code == 413 and b"File too large" in page.content
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_stops_while_it_streams(office: Office, settings: Any) -> None:
    settings.PMO_MAX_ATTACHMENT_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything larger would go to a temporary file
    spool = Path(tempfile.mkdtemp())
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    client = Client(raise_request_exception=False)
    client.force_login(office.pm)
    response = client.post(ATTACH, {"file": SimpleUploadedFile("big.bin", b"x" * 300_000)})
    assert response.status_code == 413
    assert not Attachment.objects.exists()
    assert list(spool.iterdir()) == [], "nothing of the refused file is left on disk"
    fine = client.post(ATTACH, {"file": SimpleUploadedFile("small.txt", b"y" * 5000)})
    assert fine.status_code == 201, fine.content
