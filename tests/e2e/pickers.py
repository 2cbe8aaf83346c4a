"""Driving the office's search-as-you-type pickers as a person does: type, then choose."""

from __future__ import annotations

from typing import Any


def pick(page: Any, label: str, typed: str, option: str) -> None:
    """Types ``typed`` into the picker labelled ``label`` and chooses the option named
    ``option`` from the list that appears."""
    box = page.get_by_label(label, exact=True)
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
