"""The rich console used by every command."""

from __future__ import annotations

from rich.console import Console


def make_console() -> Console:
    """A console that does not squeeze tables to 80 columns when output is piped to a file."""
    console = Console()
    return console if console.is_terminal else Console(width=120)
