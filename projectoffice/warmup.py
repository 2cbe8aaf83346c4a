"""What a new server process does once, before it takes its first request.

Left to the first request, the URL configuration is imported (the API declares some 850
operations, each with its schemas: seconds of CPU), the map used to reverse URLs is built and
each template is compiled when first used. Under load that first request holds a worker for
several seconds while the people queued behind it wait; done here, nobody waits for it.

Then the objects made so far (modules, URL patterns, the API's schemas, compiled templates:
some 480,000) are moved out of the garbage collector's sight. They live as long as the
process, yet every full collection walked them all again: about 0.4 s of CPU each, falling
on whichever request happened to trigger it — the slowest requests under load.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parent


def office_template_names() -> list[str]:
    """The names of the office's own templates (not those of the libraries it uses)."""
    names: set[str] = set()
    for folder in get_app_template_dirs("templates"):
        if PACKAGE in Path(folder).resolve().parents:
            names.update(str(path.relative_to(folder)) for path in Path(folder).rglob("*.html"))
    return sorted(names)


def warm_up() -> int:
    """Imports every URL module, builds the reverse map, compiles the office's templates and
    freezes what exists; returns how many templates were compiled."""
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 — building it imports and walks every URL module
    engine = engines["django"]
    compiled = 0
    for name in office_template_names():
        try:
            engine.get_template(name)
            compiled += 1
        except TemplateSyntaxError:
            # A broken template fails on the request that uses it, with its own error page;
            # it must not stop the server from starting.
            log.exception("template %s does not compile", name)
    gc.collect()
    gc.freeze()
    return compiled
