"""Every default an analysis takes, in one place: the library's functions, the command line and the app
all read them here, so a change of default is one line.

In detail: `MIN_CELL` (5), `CONFIDENCE` (0.95), `ALPHA` (0.05),
`MODEL_MIN_N` (30); `tests/test_layers.py` fails on the numbers
written elsewhere.
"""

MIN_CELL = 5  # a selection or segment cell with fewer respondents is held back (figures not shown)
CONFIDENCE = 0.95  # the level of every confidence interval
ALPHA = 0.05  # the significance level of the segment tests
MODEL_MIN_N = 30  # the fewest respondents a driver model is fitted for unasked (the story, derived importance)
