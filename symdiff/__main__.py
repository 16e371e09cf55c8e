"""``python -m symdiff``: the symdiff command."""
import sys

from .cli.commands import main

sys.exit(main())
