"""``python -m pytest_connectviews serve``: the ``pytest-connectviews`` console script."""

import sys

from .server import main

sys.exit(main())
