"""A layered layout of a component diagram: components in horizontal bands by layer
(applications on top, infrastructure at the bottom), ordered within each band to keep the
interfaces between them short and uncrossed, with each interface drawn as a line between
the facing edges of its two boxes.

The ordering is the barycentre heuristic of Sugiyama-style drawing: start from the given
order, then sweep down and up a few times, placing each node at the mean position of its
neighbours in the bands already placed. Pure: no I/O, deterministic for a given input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    layer: int  # 0 is the top band


@dataclass(frozen=True, slots=True)
class Box:
    key: str
    layer: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True, slots=True)
class Line:
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Layout:
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]
    width: float
    height: float
    bands: tuple[tuple[int, float, float], ...]  # (layer, top, height) of each used band


@dataclass(frozen=True, slots=True)
class Spacing:
    box_width: float = 170
    box_height: float = 54
    gap_x: float = 36
    gap_y: float = 64
    margin: float = 24
    label_width: float = 118  # room on the left for the band's name


def _order(bands: dict[int, list[str]], edges: list[tuple[str, str]], sweeps: int = 4
           ) -> dict[int, list[str]]:
    neighbours: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    layers = sorted(bands)
    order = {layer: list(keys) for layer, keys in bands.items()}

    def positions() -> dict[str, float]:
        return {key: i for layer in layers for i, key in enumerate(order[layer])}

    for sweep in range(sweeps):
        sequence = layers if sweep % 2 == 0 else list(reversed(layers))
        for layer in sequence[1:]:
            pos = positions()
            placed = set(sequence[: sequence.index(layer)])
            layer_of = {key: lyr for lyr in placed for key in order[lyr]}

            def weight(key: str, pos: dict[str, float] = pos,
                       layer_of: dict[str, int] = layer_of) -> tuple[float, float]:
                near = [pos[n] for n in neighbours.get(key, ()) if n in layer_of]
                # Nodes without placed neighbours keep their place.
                return (sum(near) / len(near) if near else pos[key], pos[key])

            order[layer] = sorted(order[layer], key=weight)
    return order


def layout(nodes: list[Node], edges: list[tuple[str, str]],
           spacing: Spacing = Spacing()) -> Layout:
    """Places ``nodes`` (in the given order within a layer, before reordering) and draws
    ``edges`` (pairs of keys; unknown keys and self-loops are left out)."""
    keys = {n.key for n in nodes}
    if len(keys) != len(nodes):
        raise ValueError("component keys must be unique")
    edges = [(a, b) for a, b in edges if a in keys and b in keys and a != b]
    bands: dict[int, list[str]] = {}
    for n in nodes:
        bands.setdefault(n.layer, []).append(n.key)
    order = _order(bands, edges)
    s = spacing
    widest = max((len(v) for v in order.values()), default=0)
    inner = widest * s.box_width + max(widest - 1, 0) * s.gap_x
    width = s.margin * 2 + s.label_width + inner
    boxes: dict[str, Box] = {}
    band_rows = []
    y = s.margin
    for layer in sorted(order):
        row = order[layer]
        used = len(row) * s.box_width + (len(row) - 1) * s.gap_x
        x = s.margin + s.label_width + (inner - used) / 2
        for key in row:
            boxes[key] = Box(key, layer, x, y, s.box_width, s.box_height)
            x += s.box_width + s.gap_x
        band_rows.append((layer, y - s.gap_y / 4, s.box_height + s.gap_y / 2))
        y += s.box_height + s.gap_y
    height = (y - s.gap_y + s.margin) if order else s.margin * 2
    lines = []
    for a, b in edges:
        one, two = boxes[a], boxes[b]
        (ax, ay), (bx, by) = one.centre, two.centre
        if one.layer == two.layer:  # side by side: from the facing sides
            left, right = (one, two) if ax <= bx else (two, one)
            x1, x2 = left.x + left.width, right.x
            lines.append(Line(a, b, x1, ay, x2, by) if left is one else
                         Line(a, b, x2, ay, x1, by))
        else:  # from the bottom of the upper box to the top of the lower
            y1 = one.y + one.height if one.layer < two.layer else one.y
            y2 = two.y if one.layer < two.layer else two.y + two.height
            lines.append(Line(a, b, ax, y1, bx, y2))
    return Layout(tuple(boxes[n.key] for n in nodes), tuple(lines), width, height,
                  tuple(band_rows))


def crossings(result: Layout) -> int:
    """How many pairs of lines between different bands cross (for tests and tuning)."""
    spans = [line for line in result.lines if line.y1 != line.y2]
    count = 0
    for i, p in enumerate(spans):
        for q in spans[i + 1:]:
            if {p.source, p.target} & {q.source, q.target}:
                continue
            if (min(p.y1, p.y2), max(p.y1, p.y2)) != (min(q.y1, q.y2), max(q.y1, q.y2)):
                continue
            p_top = p.x1 if p.y1 < p.y2 else p.x2
            p_bot = p.x2 if p.y1 < p.y2 else p.x1
            q_top = q.x1 if q.y1 < q.y2 else q.x2
            q_bot = q.x2 if q.y1 < q.y2 else q.x1
            if (p_top - q_top) * (p_bot - q_bot) < 0:
                count += 1
    return count
