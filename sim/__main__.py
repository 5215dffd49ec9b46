"""``python -m sim`` is ``ripple``."""

import sys

from .cli import main

sys.exit(main())
