"""`pmo check --deploy`: what a deployment on several servers must have set."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def deployment(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if not settings.PMO_BASE_URL.startswith(("https://", "http://")):
        found.append(checks.Warning(
            "PMO_BASE_URL is not set: links in e-mail cannot point at the office",
            hint="Set PMO_BASE_URL to the address people open, e.g. https://pmo.example.org",
            id="projectoffice.W001"))
    if settings.PMO_JOBS_BACKEND == "at-once":
        found.append(checks.Warning(
            "PMO_JOBS_BACKEND=at-once runs background jobs inside requests",
            hint="Leave PMO_JOBS_BACKEND unset (database) and run `pmo worker`",
            id="projectoffice.W002"))
    if str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3") and \
            settings.PMO_S3_BUCKET:
        found.append(checks.Warning(
            "Files are shared through S3 but the database is SQLite, which one machine holds",
            hint="Set DATABASE_URL to PostgreSQL for several app servers",
            id="projectoffice.W003"))
    return found
