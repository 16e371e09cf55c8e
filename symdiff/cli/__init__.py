"""The ``symdiff`` command: arguments (``arguments``, ``parser``), the commands and ``main``
(``commands``), what they print (``output``, ``notes``, ``batch``) and the help texts."""
from .commands import main

__all__ = ["main"]
