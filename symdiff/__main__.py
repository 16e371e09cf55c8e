"""``python -m symdiff``: the symdiff command."""
import sys

from .cli import main

sys.exit(main())
