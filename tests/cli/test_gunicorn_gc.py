"""A worker, once the application is loaded, keeps what start-up made out of the
collector's full passes (gunicorn_conf.post_worker_init)."""

from __future__ import annotations

import gc

from projectoffice import gunicorn_conf


def test_the_loaded_application_is_frozen_out_of_full_collections() -> None:
    try:
        gunicorn_conf.post_worker_init(None)
        # Every view and API module is loaded: a great many objects no longer walked.
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()  # the rest of the test run as it was
