"""The one kind of error a user can mend: the command line prints it as one line.

Everything the library raises for bad settings, a bad plan, a period it cannot read or a run
already in progress is a ReportingError. Anything else is a fault in the program, and the
command line lets it keep its traceback.
"""

from __future__ import annotations


class ReportingError(Exception):
    """A problem with what the user gave (a file, a setting, a period), said in one line."""
