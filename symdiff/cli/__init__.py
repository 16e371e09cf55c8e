"""The ``symdiff`` command: argument parsing, commands, output and help texts."""
from .commands import main

__all__ = ["main"]
