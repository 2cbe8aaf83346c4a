"""A new server process does the first request's one-off work before it takes requests."""

from __future__ import annotations

import gc

from django.template import engines
from django.urls import get_resolver

from projectoffice.warmup import office_template_names, warm_up


def test_warm_up_compiles_every_office_template_and_builds_the_url_map() -> None:
    names = office_template_names()
    assert "base.html" in names or any(name.endswith("/base.html") for name in names)
    assert not any(name.startswith("admin/") for name in names)  # the office's own only

    assert warm_up() == len(names)

    cached = engines["django"].engine.template_loaders[0]
    assert set(names) <= {key.split("-")[0] for key in cached.get_template_cache}
    assert get_resolver()._populated
    assert gc.get_freeze_count() > 100_000  # the long-lived objects, out of the collector's way
