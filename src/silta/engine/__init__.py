"""Pure computation for Silta: funding rules, counters and shares over Polars frames.

No Django import anywhere in this package (STYLE.md rule 13): the functions take
frames and rules as data, so they run the same in a notebook, a CLI or a worker.
"""
