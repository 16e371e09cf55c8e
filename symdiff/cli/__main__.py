"""``python -m symdiff.cli``: the symdiff command."""
import sys

from .commands import main

sys.exit(main())
