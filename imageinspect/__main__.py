"""``python -m imageinspect``."""

import sys

from imageinspect.cli import main

sys.exit(main())
