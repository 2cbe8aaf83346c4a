"""A page of rows at a time for the pages listing many (projects across the portfolio,
people, RAID items), the totals above and below staying the whole scope's: the page number
read from the request, the rows of that page, and the links of the pager
(web/_pager.html) keeping the page's filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.http import urlencode

T = TypeVar("T")

PER_PAGE = 100


def requested(raw: str | None) -> int:
    """The page asked for: a positive number, anything else the first page."""
    text = raw or ""
    return int(text) if text.isdigit() and int(text) >= 1 else 1


def page_count(count: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-count // per_page))


def filters_query(pairs: Iterable[tuple[str, object]]) -> str:
    """The filters given (empty ones left out), as the pager's links carry them."""
    return urlencode([(name, str(value)) for name, value in pairs
                      if value not in ("", None, False)])


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: Sequence[T]
    number: int
    pages: int
    count: int
    per_page: int
    query: str = ""

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)

    def link(self, number: int) -> str:
        return f"?{self.query}&page={number}" if self.query else f"?page={number}"

    @property
    def previous_link(self) -> str:
        return self.link(self.number - 1) if self.number > 1 else ""

    @property
    def next_link(self) -> str:
        return self.link(self.number + 1) if self.number < self.pages else ""


def page_of(rows: Sequence[T], raw_page: str | None, per_page: int = PER_PAGE,
            query: str = "") -> Page[T]:
    """The page of ``rows`` asked for (past the end: the last page)."""
    pages = page_count(len(rows), per_page)
    number = min(requested(raw_page), pages)
    return Page(rows[(number - 1) * per_page:number * per_page], number, pages, len(rows),
                per_page, query)
