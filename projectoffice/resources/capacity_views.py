"""The capacity heat map across projects, the assignments behind one of its cells, and the
load strip on a person's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.models import Programme
from projectoffice.web.shortcuts import is_htmx, office_view

from . import capacity as cap

PERSON_WEEKS = 8
PEOPLE_PER_PAGE = 100


def _person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise NotFound("No such person.")
    return person


def _hours(value: Decimal) -> str:
    """As the template's floatformat:"-1": one decimal only when there is one."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _cells_html(row: cap.PersonLoad, base: str, query: str) -> SafeString:
    """A person's week cells, built as one string: a page of people is some 5,000 cells,
    which the template language took a second to draw."""
    person = escape(str(row.person))
    link = escape(query)
    parts = []
    for c in row.cells:
        url = f"{base}{c.week.isoformat()}/?{link}"
        label = (f"{person}, week of {c.week.day} {MONTHS[c.week.month - 1]} {c.week.year}: "
                 f"{c.planned} of {c.available} hours{', over-allocated' if c.over else ''}")
        parts.append(f'<td class="cap {c.band}"><a href="{url}" hx-get="{url}" '
                     f'hx-target="#capacity-detail" aria-label="{label}">{_hours(c.planned)}'
                     f'<span class="cap-of">/{_hours(c.available)}</span></a></td>')
    # Every value above is escaped or made here.
    return mark_safe("".join(parts))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@login_required
@office_view
def capacity_page(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    f = cap.read_filter(g.get("team", ""), g.get("skill", ""), g.get("programme", ""))
    error = ""
    try:
        first, weeks = cap.read_window(g.get("from", ""), g.get("weeks", ""), timezone.localdate())
    except InvalidInput as exc:
        error = exc.message
        first, weeks = timezone.localdate(), 12
    grid = cap.capacity(request.user, first, weeks, f)
    step = dt.timedelta(weeks=max(1, weeks // 2))
    # A page of people at a time: a thousand people by 52 weeks is 52,000 cells.
    pages = max(1, -(-len(grid.rows) // PEOPLE_PER_PAGE))
    raw_page = g.get("page", "")
    page = min(int(raw_page), pages) if raw_page.isdigit() and int(raw_page) >= 1 else 1
    shown = grid.rows[(page - 1) * PEOPLE_PER_PAGE:page * PEOPLE_PER_PAGE]
    query = urlencode({"team": f.team, "skill": f.skill, "programme": f.programme})
    # Each cell's link: the person's part is worked out once per row, not per cell.
    rows = [(row, _cells_html(row, reverse("capacity-cell", args=[row.person.username, "WEEK"])
                              .removesuffix("WEEK/"), query)) for row in shown]
    context = {
        "grid": grid, "f": f, "weeks": weeks, "error": error, "rows": rows,
        "cell_query": query, "page": page, "pages": pages,
        "first_person": (page - 1) * PEOPLE_PER_PAGE + 1 if shown else 0,
        "last_person": (page - 1) * PEOPLE_PER_PAGE + len(shown),
        "first": grid.weeks[0], "earlier": grid.weeks[0] - step,
        "later": grid.weeks[0] + step, "this_week": cap.monday_of(timezone.localdate()),
        "programmes": Programme.objects.order_by("code"),
        "week_choices": (4, 8, 12, 26, 52),
    }
    template = "resources/_capacity_grid.html" if is_htmx(request) else "resources/capacity.html"
    return render(request, template, context)


@login_required
@office_view
def capacity_cell(request: AuthedRequest, username: str, week: str) -> HttpResponse:
    try:
        monday = cap.monday_of(dt.date.fromisoformat(week))
    except ValueError:
        raise NotFound("No such week.") from None
    g = request.GET
    f = cap.read_filter(g.get("team", ""), g.get("skill", ""), g.get("programme", ""))
    person = _person(username)
    lines = cap.cell_work(request.user, person, monday, f)
    grid = cap.capacity(request.user, monday, 1, f)
    row = next((r for r in grid.rows if r.person.pk == person.pk), None)
    return render(request, "resources/_capacity_cell.html", {
        "person": person, "week": monday, "lines": lines,
        "total": sum(w.hours for w in lines), "levelable": row.levelable if row else []})


@login_required
@office_view
def capacity_person(request: AuthedRequest, username: str) -> HttpResponse:
    """A person's load over the coming weeks, on the projects the reader may see."""
    person = _person(username)
    grid = cap.capacity(request.user, timezone.localdate(), PERSON_WEEKS)
    row = next((r for r in grid.rows if r.person.pk == person.pk), None)
    return render(request, "resources/_capacity_person.html",
                  {"person": person, "row": row, "weeks": grid.weeks})
