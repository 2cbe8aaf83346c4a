"""The earned-value figures a project's health judges (portfolio/health.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projectoffice.portfolio.models import Project

from .queries import earned_value_figures


def health_inputs(projects: list[Project], today: dt.date) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for pk, ev in earned_value_figures(projects).items():
        if ev is not None:
            fig = ev.figures
            out[pk] = {"spi": fig.get("spi"), "spi_t": fig.get("spi_t"), "cpi": fig.get("cpi"),
                       "vac": fig.get("vac"), "bac": fig.get("bac"),
                       "status_date": ev.status_date}
    return out
