"""Declaring and enqueueing jobs: kept in :mod:`projectoffice.background.registry`, low enough
in the layers for any module to declare its own jobs."""

from projectoffice.background.registry import (
    ATTEMPT,
    JOBS,
    JobSpec,
    enqueue,
    enqueue_now,
    office_job,
    spec_for,
)

__all__ = ["ATTEMPT", "JOBS", "JobSpec", "enqueue", "enqueue_now", "office_job", "spec_for"]
