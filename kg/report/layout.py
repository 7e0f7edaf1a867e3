"""Geometry for the report's pictures: timeline rows and the actor network layout.

Pure arithmetic on the report records, deterministic (no randomness, no
dependence on set or dict order), with coordinates rounded to one decimal so
that the same graph always gives the same SVG bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from kg.report.data import EventInfo, ReportData

# ------------------------------------------------------------------ timeline
TL_WIDTH = 1000.0
TL_LEFT = 80.0  # room for the lane labels
TL_RIGHT = 16.0
TL_ROW = 11.0
TL_MAX_ROWS = 48  # beyond this, markers share the last row rather than growing the picture without end
TL_MIN_W = 8.0


@dataclass
class Mark:
    """One event's marker on the timeline."""

    event: EventInfo
    x: float
    w: float  # 0 for a point (day precision)
    row: int


@dataclass
class Tick:
    """An axis tick."""

    x: float
    label: str
    major: bool


@dataclass
class TimelineLayout:
    """Markers for dated events, the axis, and a grid of undated markers."""

    marks: list[Mark]
    ticks: list[Tick]
    rows: int
    undated: list[tuple[EventInfo, float, int]]  # (event, x, row)
    undated_rows: int
    undated_per_row: int


def _r(v: float) -> float:
    return round(v, 1)


def timeline_layout(events: list[EventInfo]) -> TimelineLayout:
    """Place dated events on a time axis, packed into rows so markers do not overlap."""
    dated = [e for e in events if e.when is not None]
    undated = [e for e in events if e.when is None]
    marks: list[Mark] = []
    ticks: list[Tick] = []
    rows = 0
    if dated:
        lo = min(e.when.start for e in dated if e.when)
        hi = max(e.when.end for e in dated if e.when)
        pad = max(3, (hi - lo) // 40)
        lo, hi = lo - pad, hi + pad + 1
        span = TL_WIDTH - TL_LEFT - TL_RIGHT

        def x_of(day: int) -> float:
            return TL_LEFT + span * (day - lo) / (hi - lo)

        row_end: list[float] = []
        for e in dated:  # already sorted by start, end
            assert e.when is not None
            x0 = x_of(e.when.start)
            w = 0.0 if e.when.precision == "day" else max(TL_MIN_W, x_of(e.when.end + 1) - x0)
            left = x0 - (4.5 if w == 0 else 0)
            right = x0 + (4.5 if w == 0 else w) + 2
            row = next((i for i, end in enumerate(row_end) if end <= left), -1)
            if row < 0:
                if len(row_end) < TL_MAX_ROWS:
                    row_end.append(right)
                    row = len(row_end) - 1
                else:
                    row = min(range(len(row_end)), key=lambda i: (row_end[i], i))
            row_end[row] = max(row_end[row], right)
            marks.append(Mark(e, _r(x0), _r(w), row))
        rows = len(row_end)
        ticks = _ticks(lo, hi, x_of)
    per_row = int((TL_WIDTH - TL_LEFT - TL_RIGHT) // 12)
    placed = [(e, _r(TL_LEFT + 6 + 12 * (i % per_row)), i // per_row) for i, e in enumerate(undated)]
    undated_rows = (len(undated) + per_row - 1) // per_row
    return TimelineLayout(marks, ticks, rows, placed, undated_rows, per_row)


def _ticks(lo: int, hi: int, x_of) -> list[Tick]:  # type: ignore[no-untyped-def]
    first, last = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    days = hi - lo
    out: list[Tick] = []
    if days > 365 * 3:
        step = max(1, math.ceil((last.year - first.year + 1) / 12))
        for y in range(first.year + 1, last.year + 1):
            if (y - first.year - 1) % step == 0:
                out.append(Tick(_r(x_of(dt.date(y, 1, 1).toordinal())), str(y), True))
        return out
    # Months; label every n-th so labels do not collide, years marked as major.
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 14 else 2 if months <= 28 else 3
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = dt.date(y, m, 1)
        if d.toordinal() >= hi:
            break
        if m == 1 or (m - 1) % step == 0:
            label = str(y) if m == 1 else d.strftime("%b")
            out.append(Tick(_r(x_of(d.toordinal())), label, m == 1))
    if days < 62:  # a short span: day ticks on the 1st, 10th and 20th as well
        extra = []
        for o in range(lo, hi):
            d = dt.date.fromordinal(o)
            if d.day in (10, 20):
                extra.append(Tick(_r(x_of(o)), f"{d.day} {d.strftime('%b')}", False))
        out = sorted(out + extra, key=lambda t: t.x)
    return out


# ------------------------------------------------------------------ network
NET_W = 1000.0
NET_H = 640.0
NET_MAX_NODES = 40


@dataclass
class Node:
    """An actor in the network."""

    iri: str
    label: str
    degree: int
    x: float = 0.0
    y: float = 0.0
    r: float = 6.0


@dataclass
class Edge:
    """Events between two actors in one direction (or undirected co-participation)."""

    source: str
    target: str
    directed: bool
    types: dict[str, int] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)  # event anchor ids

    @property
    def count(self) -> int:
        """How many events the edge stands for."""
        return sum(self.types.values())

    @property
    def main_type(self) -> str:
        """The most frequent event type (alphabetical among equals)."""
        return min(self.types.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class NetworkLayout:
    """Nodes with positions, edges among them, and how many actors were left out."""

    nodes: list[Node]
    edges: list[Edge]
    total_actors: int
    height: float = NET_H


def network(data: ReportData, max_nodes: int = NET_MAX_NODES) -> NetworkLayout:
    """The actor network: events as edges source→target; co-participants linked when no roles are known."""
    edges: dict[tuple[str, str, bool], Edge] = {}
    degree: dict[str, int] = defaultdict(int)

    def add(s: str, t: str, directed: bool, e: EventInfo) -> None:
        if s == t:
            return
        if not directed and t < s:
            s, t = t, s
        edge = edges.setdefault((s, t, directed), Edge(s, t, directed))
        typ = e.type or "OTHER"
        edge.types[typ] = edge.types.get(typ, 0) + 1
        edge.events.append(e.id)

    for e in data.events:
        for a in e.actors:
            degree[a] += 1
        if e.sources and e.targets:
            for s in e.sources:
                for t in e.targets:
                    add(s, t, True, e)
        else:
            ps = e.actors
            for i, s in enumerate(ps):
                for t in ps[i + 1:]:
                    add(s, t, False, e)
    ranked = sorted(degree, key=lambda a: (-degree[a], data.actor_label(a).lower(), a))
    keep = ranked[:max_nodes]
    kept = set(keep)
    nodes = [Node(a, data.actor_label(a), degree[a]) for a in keep]
    kept_edges = [edge for _, edge in sorted(edges.items()) if edge.source in kept and edge.target in kept]
    for edge in kept_edges:
        edge.types = dict(sorted(edge.types.items()))
    height = min(NET_H, 300.0 + 9 * len(nodes))
    _circle_layout(nodes, height)
    return NetworkLayout(nodes, kept_edges, len(degree), height)


def _circle_layout(nodes: list[Node], height: float) -> None:
    """Actors on an ellipse, clockwise from the top by number of events: deterministic and always readable."""
    n = len(nodes)
    if n == 0:
        return
    maxdeg = max(nd.degree for nd in nodes) or 1
    cx, cy = NET_W / 2, height / 2
    rx, ry = NET_W / 2 - 170, height / 2 - 34
    for i, nd in enumerate(nodes):
        nd.r = _r(6 + 12 * math.sqrt(nd.degree / maxdeg))
        if n == 1:
            nd.x, nd.y = cx, cy
            continue
        angle = 2 * math.pi * i / n - math.pi / 2
        nd.x = _r(cx + rx * math.cos(angle))
        nd.y = _r(cy + ry * math.sin(angle))
