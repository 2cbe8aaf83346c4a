from __future__ import annotations

from typing import Any

import pytest

from projectoffice.mail import QUEUED_BACKEND

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
AT_ONCE = {"default": {"BACKEND": "projectoffice.jobs.backends.AtOnceDatabaseBackend",
                       "QUEUES": []}}


@pytest.fixture
def queued_mail(settings: Any) -> Any:
    """E-mail enqueued as jobs and delivered into django.core.mail.outbox by the worker."""
    settings.EMAIL_BACKEND = QUEUED_BACKEND
    settings.PMO_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = DATABASE
    settings.PMO_JOB_RETRY_SECONDS = 0
    return settings
