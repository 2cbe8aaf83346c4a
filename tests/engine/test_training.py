from projectoffice.engine import training


def test_allocate_splits_between_places_and_waiting_list() -> None:
    assert training.allocate(10, 4, 3) == (3, 0)
    assert training.allocate(10, 8, 5) == (2, 3)
    assert training.allocate(10, 12, 1) == (0, 1)


def test_promote_is_first_come_first_served_and_splits_a_group() -> None:
    queue = [training.Waiting(1, 4), training.Waiting(2, 1)]
    assert training.promote(3, queue) == [(1, 3)]
    assert training.promote(6, queue) == [(1, 4), (2, 1)]
    assert training.promote(0, queue) == []


def test_coverage() -> None:
    assert training.coverage(40, 10) == 0.25
    assert training.coverage(0, 3) is None
    assert training.coverage(5, 9) == 1.0
