"""The component diagram's layered layout: bands by layer, boxes apart, crossings undone."""

from __future__ import annotations

import pytest

from projectoffice.engine.component_layout import Node, crossings, layout


def test_bands_go_top_to_bottom_and_boxes_do_not_overlap() -> None:
    nodes = [Node("web", 0), Node("api", 1), Node("db", 3), Node("queue", 1)]
    result = layout(nodes, [("web", "api"), ("api", "db"), ("api", "queue")])
    boxes = {b.key: b for b in result.boxes}
    assert boxes["web"].y < boxes["api"].y < boxes["db"].y
    assert boxes["api"].y == boxes["queue"].y
    a, q = sorted((boxes["api"], boxes["queue"]), key=lambda b: b.x)
    assert a.x + a.width < q.x
    assert all(b.x >= 0 and b.x + b.width <= result.width for b in result.boxes)
    assert all(b.y + b.height <= result.height for b in result.boxes)
    # The line from web leaves its bottom edge and reaches api's top edge.
    line = next(line for line in result.lines if line.source == "web")
    assert line.y1 == boxes["web"].y + boxes["web"].height and line.y2 == boxes["api"].y
    # api–queue are side by side: drawn between their facing sides.
    side = next(line for line in result.lines if line.target == "queue")
    assert side.y1 == side.y2


def test_the_ordering_removes_crossings() -> None:
    # Given crossed: a1–b2 and a2–b1 cross when kept in the given order.
    nodes = [Node("a1", 0), Node("a2", 0), Node("b1", 1), Node("b2", 1)]
    edges = [("a1", "b2"), ("a2", "b1")]
    assert crossings(layout(nodes, edges)) == 0


def test_a_larger_network_has_fewer_crossings_than_given() -> None:
    top = [Node(f"t{i}", 0) for i in range(5)]
    bottom = [Node(f"b{i}", 1) for i in range(5)]
    edges = [(f"t{i}", f"b{4 - i}") for i in range(5)]
    assert crossings(layout(top + bottom, edges)) == 0


def test_unknown_and_self_edges_are_left_out_and_keys_must_be_unique() -> None:
    result = layout([Node("a", 0)], [("a", "a"), ("a", "ghost")])
    assert result.lines == ()
    with pytest.raises(ValueError):
        layout([Node("a", 0), Node("a", 1)], [])
    assert layout([], []).boxes == ()
