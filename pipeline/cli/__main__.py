"""`python -m pipeline.cli ...` is `daihoi ...`."""

import sys

from pipeline.cli import main

sys.exit(main())
