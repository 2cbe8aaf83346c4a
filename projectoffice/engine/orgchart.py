"""Organisation charts: laying out a reporting tree, drawing it as SVG, and the differences
between the current and the future organisation. Pure: no Django; every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Role:
    """One position. `reports_to` is another role's key in the same organisation; `maps_to`
    (current roles only) the key of the future role its holder moves to."""

    key: str
    title: str
    unit: str = ""
    grade: str = ""
    fte: float = 1.0
    reports_to: str | None = None
    holder: str = ""
    maps_to: str | None = None
    reference: str = ""


def cycle_from(key: str, parent_of: dict[str, str | None], start: str | None) -> bool:
    """True when making `start` the manager of `key` would close a loop (or is `key`)."""
    seen: set[str] = set()
    node = start
    while node is not None and node not in seen:
        if node == key:
            return True
        seen.add(node)
        node = parent_of.get(node)
    return False


@dataclass
class Placed:
    role: Role
    x: float
    depth: int
    children: list[str] = field(default_factory=list)


def layout(roles: Sequence[Role]) -> dict[str, Placed]:
    """A tidy tree: leaves on consecutive columns, each manager centred over its reports.
    A role whose manager is unknown (or in a loop) is a root; roots side by side."""
    by_key = {r.key: r for r in roles}
    children: dict[str, list[str]] = {r.key: [] for r in roles}
    roots: list[str] = []
    for r in roles:
        parent = r.reports_to
        if parent in by_key and parent != r.key and not cycle_from(r.key, {
                k: v.reports_to for k, v in by_key.items()}, parent):
            children[parent].append(r.key)
        else:
            roots.append(r.key)
    placed: dict[str, Placed] = {}
    column = 0.0

    def place(key: str, depth: int) -> float:
        nonlocal column
        kids = children[key]
        if not kids:
            x = column
            column += 1
        else:
            xs = [place(k, depth + 1) for k in kids]
            x = (xs[0] + xs[-1]) / 2
        placed[key] = Placed(by_key[key], x, depth, list(kids))
        return x

    for root in roots:
        place(root, 0)
    return placed


# Box size and gaps of the chart, in SVG units.
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 200, 62, 14, 36, 12
TONES = {"new": ("#e3f4e8", "#2e7d4f", "New"), "changed": ("#fff4d6", "#9a6b00", "Changed"),
         "removed": ("#fde6e3", "#b3261e", "Removed"), "same": ("#ffffff", "#5d6679", "")}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chart_svg(roles: Sequence[Role], title: str, status: dict[str, str] | None = None) -> str:
    """The reporting tree as an SVG: a box per role (title, holder or "vacant", grade and
    unit), lines from each manager to its reports, boxes coloured by their difference."""
    status = status or {}
    placed = layout(roles)
    if not placed:
        return (f'<svg class="orgchart" viewBox="0 0 320 60" width="320" height="60" '
                f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
                f'<text x="12" y="34" fill="#5d6679" font-size="13">No positions yet</text>'
                f'</svg>')
    columns = max(p.x for p in placed.values()) + 1
    depth = max(p.depth for p in placed.values()) + 1
    width = int(PAD * 2 + columns * BOX_W + (columns - 1) * GAP_X)
    height = int(PAD * 2 + depth * BOX_H + (depth - 1) * GAP_Y)

    def left(p: Placed) -> float:
        return PAD + p.x * (BOX_W + GAP_X)

    def top(p: Placed) -> float:
        return PAD + p.depth * (BOX_H + GAP_Y)

    out = [f'<svg class="orgchart" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(title)}">'
           f'<title>{escape(title)}</title>']
    for p in placed.values():
        for key in p.children:
            c = placed[key]
            x1, y1 = left(p) + BOX_W / 2, top(p) + BOX_H
            x2, y2 = left(c) + BOX_W / 2, top(c)
            mid = y1 + GAP_Y / 2
            out.append(f'<path d="M{x1:.0f},{y1:.0f} V{mid:.0f} H{x2:.0f} V{y2:.0f}" '
                       f'fill="none" stroke="#9aa1ad" stroke-width="1.2"/>')
    for key in sorted(placed, key=lambda k: (placed[k].depth, placed[k].x)):
        p = placed[key]
        fill, ink, label = TONES[status.get(key, "same")]
        x, y = left(p), top(p)
        dash = ' stroke-dasharray="5 3"' if status.get(key) == "removed" else ""
        holder = p.role.holder or "vacant"
        holder_ink = "#5d6679" if p.role.holder else "#b3261e"
        italic = "" if p.role.holder else ' font-style="italic"'
        detail = " · ".join(filter(None, [p.role.grade, p.role.unit]))
        out.append(f'<g class="orgchart-role" data-key="{escape(key)}">'
                   f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{fill}" stroke="{ink}" stroke-width="1.3"{dash}/>'
                   f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-size="12.5" '
                   f'font-weight="600" fill="#1f2a44">{escape(_clip(p.role.title, 26))}</text>'
                   f'<text x="{x + 8:.0f}" y="{y + 35:.0f}" font-size="11.5" '
                   f'fill="{holder_ink}"{italic}>'
                   f'{escape(_clip(holder, 30))}</text>'
                   f'<text x="{x + 8:.0f}" y="{y + 52:.0f}" font-size="10.5" fill="#5d6679">'
                   f'{escape(_clip(detail, 22 if label else 32))}</text>')
        if label:
            out.append(f'<text x="{x + BOX_W - 8:.0f}" y="{y + 52:.0f}" font-size="10.5" '
                       f'text-anchor="end" font-weight="600" fill="{ink}">{label}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Change:
    current: Role
    future: Role
    what: tuple[str, ...]


@dataclass(frozen=True)
class Differences:
    new: tuple[Role, ...]
    removed: tuple[Role, ...]
    changed: tuple[Change, ...]
    # Current roles held by someone with no future role to move to.
    unplaced: tuple[Role, ...]

    def status(self) -> tuple[dict[str, str], dict[str, str]]:
        """(current, future) role key → "removed" / "changed" / "new", for the charts."""
        current = {r.key: "removed" for r in self.removed}
        future = {r.key: "new" for r in self.new}
        for c in self.changed:
            current[c.current.key] = "changed"
            future[c.future.key] = "changed"
        return current, future


def _norm(title: str) -> str:
    return " ".join(title.lower().split())


def differences(current: Sequence[Role], future: Sequence[Role]) -> Differences:
    """A position carries over when the future organisation has one of the same title
    (the first unmatched one, in order); it changed when its grade, FTE, unit or manager's
    title differs. The rest are new (future) or removed (current)."""
    cur_titles = {r.key: _norm(r.title) for r in current}
    fut_titles = {r.key: _norm(r.title) for r in future}
    unmatched = list(future)
    pairs: list[tuple[Role, Role]] = []
    removed: list[Role] = []
    for role in current:
        match = next((f for f in unmatched if _norm(f.title) == _norm(role.title)), None)
        if match is None:
            removed.append(role)
        else:
            unmatched.remove(match)
            pairs.append((role, match))
    changed: list[Change] = []
    for cur, fut in pairs:
        what: list[str] = []
        if cur.grade != fut.grade:
            what.append(f"grade {cur.grade or '—'} → {fut.grade or '—'}")
        if abs(cur.fte - fut.fte) > 1e-9:
            what.append(f"FTE {cur.fte:g} → {fut.fte:g}")
        if _norm(cur.unit) != _norm(fut.unit):
            what.append(f"unit {cur.unit or '—'} → {fut.unit or '—'}")
        boss_now = cur_titles.get(cur.reports_to or "", "")
        boss_then = fut_titles.get(fut.reports_to or "", "")
        if boss_now != boss_then:
            names = {r.key: r.title for r in current}
            names_f = {r.key: r.title for r in future}
            what.append(f"reports to {names.get(cur.reports_to or '', '—')} → "
                        f"{names_f.get(fut.reports_to or '', '—')}")
        if what:
            changed.append(Change(cur, fut, tuple(what)))
    unplaced = tuple(r for r in current if r.holder and r.maps_to is None)
    return Differences(tuple(unmatched), tuple(removed), tuple(changed), unplaced)
