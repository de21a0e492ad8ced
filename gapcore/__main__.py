"""``python -m gapcore``: see :mod:`gapcore.cli`."""

import sys

from gapcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
