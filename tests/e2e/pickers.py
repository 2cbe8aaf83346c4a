"""Driving the office's search-as-you-type pickers as a person does: type, then choose."""

from __future__ import annotations

from typing import Any


def pick(page: Any, label: str, typed: str, option: str) -> None:
    """Types ``typed`` into the picker labelled ``label`` and chooses the option named
    ``option`` from the list that appears.  The picker is found by its role, so this also
    waits for the page's script to have turned the drop-down into one (content HTMX has
    just swapped in is enhanced a moment later)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
