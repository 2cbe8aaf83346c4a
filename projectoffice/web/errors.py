from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    return render(request, "web/error.html", {"code": 404, "title": "Not found",
                                              "message": str(exception) or "No such page."},
                  status=404)


def forbidden(request: HttpRequest, exception: Any) -> HttpResponse:
    return render(request, "web/error.html", {
        "code": 403, "title": "Not allowed",
        "message": str(exception) or "You do not have permission to do that."}, status=403)
