"""Small-cell suppression (DOMAIN.md §3.5; docs/adr/0008-statistics.md). In silta.core since
ADR 0031, so that the apps below reporting use it without importing reporting;
``silta.reporting.suppression`` is the same module object.

A table of people counts is published with its row totals, column totals and grand
total. Every published number must hide anyone's identity:

1. **Primary suppression.** A cell or total of 1–4 people is hidden (0 is shown).
2. **Complementary suppression.** Enough further cells are hidden that no hidden
   number can be worked out from the published ones through the table's sums.

The test for (2) is exact, not a rule of thumb. Write the table with its totals as
an (R+1)×(C+1) matrix and flip the sign of the total row and column (except the grand
total): then every row and every column sums to zero. The hidden cells are the edges
of a bipartite graph between rows and columns; a hidden cell can be recovered from the
sums exactly when its edge is a *bridge* of that graph (an edge on no cycle), because
a cycle is a direction in which the hidden values can move while every sum stays the
same. So complementary suppression hides cells until the graph has no bridge; then
every line that has a hidden cell has at least two, and no combination of lines pins
one down either. Each bridge is closed by the cheapest cycle through it (the
smallest sum of newly hidden counts, zeros only when nothing else will do).

Totals are the same whatever the columns are (the same municipality totals appear
with every breakdown, on the dashboard and in the year-over-year table), so they are
decided first, from the vector of row totals and the grand total alone
(``suppress_vector``), and complementary suppression never adds a total-column cell:
a number published in one table is never hidden in another.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SMALLEST_PUBLISHED = 5
"""Counts 1..SMALLEST_PUBLISHED-1 are never published."""

HIDDEN = ".."
"""What a hidden cell shows (as Statistics Finland does): the same mark for small and
complementary cells, so that the mark itself tells nothing."""

RULE_TEXT = _(
    "“..” marks a hidden figure. Figures of 1–4 people are hidden, and so many other "
    "figures beside them that no hidden figure can be worked out from the totals "
    "(privacy rule: statistics must not identify anyone)."
)


def is_small(value: int) -> bool:
    return 0 < value < SMALLEST_PUBLISHED


def _order(value: int) -> tuple[bool, int]:
    """Which cell to hide first: the smallest non-zero count, zeros last."""
    return (value == 0, value)


def suppress_vector(values: Sequence[int], total: int) -> tuple[list[bool], bool]:
    """Hidden flags of a one-dimensional table (the parts and their total, one sum).

    A part or total of 1–4 is hidden; when exactly one number is hidden, the sum would
    reveal it, so the smallest other part is hidden too (or the total when there is no
    other part)."""
    hidden = [is_small(v) for v in values]
    total_hidden = is_small(total)
    if sum(hidden) + total_hidden == 1:
        candidates = [i for i, h in enumerate(hidden) if not h]
        if candidates:
            hidden[min(candidates, key=lambda i: _order(values[i]))] = True
        else:
            total_hidden = True
    return hidden, total_hidden


Vertex = tuple[str, int]  # ("r", row index) or ("c", column index); totals are the last


def _component(edges: set[tuple[int, int]], start: Vertex, without: tuple[int, int]) -> set[Vertex]:
    adjacency: dict[Vertex, list[Vertex]] = {}
    for r, c in edges:
        if (r, c) == without:
            continue
        adjacency.setdefault(("r", r), []).append(("c", c))
        adjacency.setdefault(("c", c), []).append(("r", r))
    seen = {start}
    todo = [start]
    while todo:
        for nxt in adjacency.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def bridges(edges: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hidden cells (row, column) that the table's sums would reveal."""
    found = []
    for r, c in sorted(edges):
        if ("c", c) not in _component(edges, ("r", r), (r, c)):
            found.append((r, c))
    return found


@dataclass(frozen=True)
class SuppressedTable:
    """A table as published: ``None`` is a hidden number. ``row_totals`` is ``None``
    for a one-column table (its cells are the row totals)."""

    cells: list[list[int | None]]
    row_totals: list[int | None] | None
    column_totals: list[int | None]
    total: int | None
    hidden_cells: frozenset[tuple[int, int]]
    """Positions in the (R+1)×(C+1) matrix with totals last (also for one column)."""


def suppression_pattern(cells: Sequence[Sequence[int]]) -> frozenset[tuple[int, int]]:
    """The hidden positions of a table of counts, in the (R+1)×(C+1) matrix with the
    row totals as its last column and the column totals as its last row."""
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[r][c] for r in range(n_rows)) for c in range(n_cols)]
    total = sum(row_totals)
    if n_cols <= 1:
        # one column: its cells are the row totals, and one sum (the column's) binds them
        hidden, total_hidden = suppress_vector(row_totals, total)
        positions = {(r, 0) for r, h in enumerate(hidden) if h}
        positions |= {(r, 1) for r, h in enumerate(hidden) if h}
        if total_hidden:
            positions |= {(n_rows, 0), (n_rows, 1)}
        return frozenset(positions) if n_cols else frozenset()

    def value(r: int, c: int) -> int:
        if r == n_rows:
            return total if c == n_cols else column_totals[c]
        return row_totals[r] if c == n_cols else cells[r][c]

    hidden_totals, total_hidden = suppress_vector(row_totals, total)
    edges = {(r, n_cols) for r, h in enumerate(hidden_totals) if h}
    if total_hidden:
        edges.add((n_rows, n_cols))
    edges |= {(r, c) for r in range(n_rows + 1) for c in range(n_cols) if is_small(value(r, c))}
    while True:
        open_ = bridges(edges)
        if not open_:
            return frozenset(edges)
        r, c = open_[0]
        edges |= _cheapest_cycle(edges, (r, c), n_rows, n_cols, value)


def _cheapest_cycle(
    edges: set[tuple[int, int]],
    bridge: tuple[int, int],
    n_rows: int,
    n_cols: int,
    value: Callable[[int, int], int],
) -> set[tuple[int, int]]:
    """The cells to hide so that ``bridge`` lies on a cycle: the cheapest path between
    its row and its column that does not use it (Dijkstra over the complete bipartite
    graph; a hidden cell costs nothing, another its count, a zero most; total-column
    cells are never added)."""
    zero_cost = 10**9
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    best: dict[Vertex, int] = {start: 0}
    came: dict[Vertex, Vertex] = {}
    queue: list[tuple[int, Vertex]] = [(0, start)]
    while queue:
        cost, vertex = heapq.heappop(queue)
        if vertex == goal:
            break
        if cost > best.get(vertex, cost):
            continue
        kind, i = vertex
        neighbours = (
            [("c", j) for j in range(n_cols + 1)]
            if kind == "r"
            else [("r", j) for j in range(n_rows + 1)]
        )
        for nxt in neighbours:
            cell = (i, nxt[1]) if kind == "r" else (nxt[1], i)
            if cell == bridge:
                continue
            if cell in edges:
                step = 0
            elif cell[1] == n_cols:
                continue
            else:
                v = value(*cell)
                step = zero_cost if v == 0 else v
            if cost + step < best.get(nxt, cost + step + 1):
                best[nxt] = cost + step
                came[nxt] = vertex
                heapq.heappush(queue, (cost + step, nxt))
    if goal not in came:  # pragma: no cover - a table of ≥2 columns always has a path
        raise RuntimeError("no cycle can hide the cell")
    path: set[tuple[int, int]] = set()
    vertex = goal
    while vertex != start:
        prev = came[vertex]
        path.add((prev[1], vertex[1]) if prev[0] == "r" else (vertex[1], prev[1]))
        vertex = prev
    return path


def suppress(cells: Sequence[Sequence[int]]) -> SuppressedTable:
    """Suppress a table of people counts (rows × columns, totals added here)."""
    pattern = suppression_pattern(cells)
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    return apply_pattern(cells, pattern, n_rows=n_rows, n_cols=n_cols)


def apply_pattern(
    cells: Sequence[Sequence[int | float]] | Sequence[Sequence[int]],
    pattern: frozenset[tuple[int, int]],
    *,
    n_rows: int,
    n_cols: int,
    row_totals: Sequence[int | float] | None = None,
    column_totals: Sequence[int | float] | None = None,
    total: int | float | None = None,
) -> SuppressedTable:
    """Publish ``cells`` (and their totals, summed unless given — a median's totals
    are not sums) with the hidden positions of a count table of the same shape: a
    sum of days or a median over 1–4 people is hidden where their count is."""
    if row_totals is None:
        row_totals = [sum(row) for row in cells]
    if column_totals is None:
        column_totals = [sum(cells[r][c] for r in range(n_rows)) for c in range(n_cols)]
    if total is None:
        total = sum(row_totals)

    def shown(r: int, c: int, v: int | float) -> int | None:
        return None if (r, c) in pattern else v  # type: ignore[return-value]

    return SuppressedTable(
        cells=[[shown(r, c, cells[r][c]) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=None
        if n_cols <= 1
        else [shown(r, n_cols, row_totals[r]) for r in range(n_rows)],
        column_totals=[shown(n_rows, c, column_totals[c]) for c in range(n_cols)],
        total=shown(n_rows, n_cols, total),
        hidden_cells=pattern,
    )
