"""Two people booking the same room, or issuing the last stock, at the same moment: one
succeeds, the other gets a clear refusal, and nothing is written twice.

The actions lock the room (or stock item) row before they look for clashes (or read the
balance). On PostgreSQL the second transaction waits on that lock; SQLite takes its write
lock at BEGIN IMMEDIATE, and its in-memory test database reports the wait as "table is
locked" at once, so the test retries as a file database's busy timeout would. A pause is
put between the check and the write to widen the window a missing lock would let through.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection

from projectoffice.errors import Conflict, InvalidInput
from projectoffice.facilities import actions
from projectoffice.facilities.models import Booking, StockMovement
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Runs the calls in threads released together; returns each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            for _ in range(200):
                try:
                    results[i] = calls[i]()
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except Exception as exc:  # returned to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def slow(monkeypatch: Any, name: str) -> None:
    original = getattr(actions, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(actions, name, paused)


def test_racing_bookings_of_one_room_give_one_booking_and_one_conflict(monkeypatch) -> None:
    staff = make_user("staff", "pmo_staff")
    ann, bob = make_user("ann"), make_user("bob")
    room = actions.add_resource(actor=staff, name="Board room", capacity=10)
    start = dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)
    slow(monkeypatch, "_refuse_clash")

    def book(person: Any, minutes: int) -> Callable[[], Any]:
        return lambda: actions.book_resource(
            actor=person, resource=room, starts_at=start + dt.timedelta(minutes=minutes),
            ends_at=start + dt.timedelta(hours=1), purpose=person.username)

    results = race([book(ann, 0), book(bob, 30)])
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert "already booked" in refused[0].errors["starts_at"][0]
    assert Booking.objects.count() == 1


def test_racing_issues_cannot_take_more_than_the_balance(monkeypatch) -> None:
    staff = make_user("staff", "pmo_staff")
    other = make_user("other", "pmo_manager")
    item = actions.add_stock_item(actor=staff, name="Toner", unit="each")
    actions.record_movement(actor=staff, item=item, kind="receive", quantity=Decimal(3),
                            moved_on=dt.date(2026, 5, 1))
    slow(monkeypatch, "balance_of")

    def issue(person: Any) -> Callable[[], Any]:
        return lambda: actions.record_movement(actor=person, item=item, kind="issue",
                                               quantity=Decimal(2),
                                               moved_on=dt.date(2026, 5, 2))

    results = race([issue(staff), issue(other)])
    assert sum(isinstance(r, StockMovement) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(refused) == 1 and "only 1 each of Toner in stock" in refused[0].message
    assert StockMovement.objects.filter(kind="issue").count() == 1
