"""Allow ``python -m ucpbx_emulator``."""

import sys

from .cli import main

sys.exit(main())
