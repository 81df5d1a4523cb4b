"""What every subcommand shares: failing in one line."""

from __future__ import annotations

import sys


def fail(message: str) -> int:
    """Print `message` as one line on stderr and give the exit status for failure."""
    print(f"reporting: {message}", file=sys.stderr)
    return 2
