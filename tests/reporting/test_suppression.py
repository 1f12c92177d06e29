"""Small-cell suppression as a property: no published number of 1–4 people, and no
hidden number recoverable from the published ones through the table's sums (checked
exactly, by linear algebra, besides the rule "every line with a hidden cell has two")."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from silta.reporting.suppression import (
    apply_pattern,
    bridges,
    suppress,
    suppress_vector,
    suppression_pattern,
)

counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 6).flatmap(
    lambda n_cols: st.lists(
        st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=7
    )
)


def extended(cells: list[list[int]]) -> list[list[int]]:
    """The table with its row totals as the last column and column totals as the last row."""
    rows = [[*row, sum(row)] for row in cells]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


def recoverable(cells: list[list[int]], hidden: frozenset[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden positions whose value follows from the published numbers and the sums."""
    n_rows, n_cols = len(cells), len(cells[0])
    unknowns = sorted(hidden)
    index = {pos: k for k, pos in enumerate(unknowns)}
    equations = []
    if n_cols > 1:  # each row: its cells minus its total
        for r in range(n_rows + 1):
            equations.append([(r, c, 1) for c in range(n_cols)] + [(r, n_cols, -1)])
    for c in range(n_cols + (1 if n_cols > 1 else 0)):  # each column: cells minus total
        equations.append([(r, c, 1) for r in range(n_rows)] + [(n_rows, c, -1)])
    matrix = np.zeros((len(equations), len(unknowns)))
    for e, terms in enumerate(equations):
        for r, c, sign in terms:
            if (r, c) in index:
                matrix[e, index[(r, c)]] += sign
    rank = np.linalg.matrix_rank(matrix) if unknowns else 0
    found = set()
    for pos, k in index.items():
        unit = np.zeros((1, len(unknowns)))
        unit[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(pos)
    return found


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_number_published_and_no_hidden_number_recoverable(cells) -> None:
    # given any table of people counts, when it is suppressed
    table = suppress(cells)
    n_rows, n_cols = len(cells), len(cells[0])
    full = extended(cells)
    published = [v for row in table.cells for v in row if v is not None]
    published += [v for v in table.column_totals if v is not None]
    published += [v for v in (table.row_totals or []) if v is not None]
    published += [table.total] if table.total is not None else []
    # then no published number is between 1 and 4
    assert not [v for v in published if 1 <= v <= 4]
    # and every published number is the true one
    for r in range(n_rows):
        for c in range(n_cols):
            assert table.cells[r][c] in (None, cells[r][c])
    # and every row or column with a hidden cell has another hidden cell in it (its
    # total counts as a cell of the line)
    hidden = table.hidden_cells
    if n_cols > 1:
        for r in range(n_rows + 1):
            line = [c for c in range(n_cols + 1) if (r, c) in hidden]
            assert len(line) != 1, (r, line)
        for c in range(n_cols + 1):
            line = [r for r in range(n_rows + 1) if (r, c) in hidden]
            assert len(line) != 1, (c, line)
    else:
        assert len([r for r in range(n_rows + 1) if (r, 0) in hidden]) != 1
    # and no hidden number follows from the published ones through any combination of sums
    assert not recoverable(cells, hidden), (cells, sorted(hidden), full)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=10))
def test_totals_are_decided_by_the_totals_alone(row_totals) -> None:
    # given municipality totals, when two tables with different columns share them
    hidden, total_hidden = suppress_vector(row_totals, sum(row_totals))
    two_columns = [[t // 2, t - t // 2] for t in row_totals]
    three_columns = [[t, 0, 0] for t in row_totals]
    for cells in (two_columns, three_columns):
        table = suppress(cells)
        # then both hide exactly the totals the vector rule hides
        assert [v is None for v in table.row_totals or []] == hidden
        assert (table.total is None) == total_hidden


def test_a_single_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    # given one small cell among large ones
    cells = [[3, 20, 30], [40, 50, 60], [70, 80, 90]]
    # when suppressed
    table = suppress(cells)
    # then it is hidden with three partners: a cycle of four cells hides it from the
    # sums, and the totals (all 5 or more) stay published
    assert table.cells[0][0] is None
    hidden_interior = {(r, c) for r, c in table.hidden_cells if r < 3 and c < 3}
    assert len(hidden_interior) == 4
    assert not bridges(set(table.hidden_cells))
    assert table.total == 443 and None not in (table.row_totals or [])


def test_a_bridge_between_two_cycles_is_closed() -> None:
    # given two hidden 2×2 blocks joined by one hidden cell (a pattern that satisfies
    # "two per line" and still gives the joining cell away)
    pattern = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    # then it is recognised as recoverable
    assert bridges(pattern) == [(0, 2)]


def test_a_one_column_table_hides_two_rows_or_none() -> None:
    assert suppress_vector([3, 40, 12], 55) == ([True, False, True], False)
    assert suppress_vector([30, 40, 12], 82) == ([False, False, False], False)
    assert suppress_vector([2, 2], 4) == ([True, True], True)
    table = suppress([[3], [40], [12]])
    assert [row[0] for row in table.cells] == [None, 40, None]
    assert table.total == 55


def test_medians_follow_the_pattern_of_their_counts() -> None:
    counts_ = [[3, 20], [40, 50]]
    pattern = suppression_pattern(counts_)
    medians = apply_pattern(
        [[12.0, 8.0], [5.5, 9.0]],
        pattern,
        n_rows=2,
        n_cols=2,
        row_totals=[9.0, 7.0],
        column_totals=[6.0, 8.5],
        total=8.0,
    )
    assert medians.cells[0][0] is None
    assert medians.total == 8.0
