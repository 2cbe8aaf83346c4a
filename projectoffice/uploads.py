"""Uploads are refused before they are stored, not after.

`UploadLimitMiddleware` answers 413 from the request's Content-Length alone, before any of
the body is read: a multipart body may be at most PMO_MAX_ATTACHMENT_BYTES plus 1 MiB for the
form around the file, any other body DATA_UPLOAD_MAX_MEMORY_SIZE. `LimitedUploadHandler`
(first of FILE_UPLOAD_HANDLERS) counts each file's bytes as they stream in and stops the
upload at PMO_MAX_ATTACHMENT_BYTES, so nothing larger is ever written to disk. The reverse
proxy in front of the office should refuse larger bodies too (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

FORM_ALLOWANCE = 1024 * 1024


def multipart_limit() -> int:
    return int(settings.PMO_MAX_ATTACHMENT_BYTES) + FORM_ALLOWANCE


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


class LimitedUploadHandler(FileUploadHandler):
    """Stops any file at PMO_MAX_ATTACHMENT_BYTES while it streams in."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > int(settings.PMO_MAX_ATTACHMENT_BYTES):
            if self.request is not None:
                self.request.upload_refused = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"The upload is larger than the office accepts ({_megabytes(limit)})."
    if request.path.startswith("/api/"):
        return JsonResponse({"status": 413, "message": message,
                             "errors": {"file": [f"is larger than {_megabytes(limit)}"]}},
                            status=413)
    return render(request, "web/error.html", {"code": 413, "title": "File too large",
                                              "message": message}, status=413)


class UploadLimitMiddleware:
    """Placed after authentication (so the error page knows who is signed in) and before any
    view or CSRF check reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            multipart = request.content_type == "multipart/form-data"
            limit = multipart_limit() if multipart else int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            if length > limit:
                return too_large(request, limit)
            if multipart:
                request.FILES  # noqa: B018 - parse now, through LimitedUploadHandler
                if getattr(request, "upload_refused", False):
                    return too_large(request, int(settings.PMO_MAX_ATTACHMENT_BYTES))
        return self.get_response(request)
