"""Column headings in people's own words, and the header row that holds them.

A council writes "Ref", "No." or "Action ID" over the same column, and puts its table under a
title block. Each reader declares one table of aliases (`Headings`): the return's columns in
`reporting.intake.returns`, the published plan's in `reporting.plan.importing.headings`. The
two tables name different fields, so they stay two tables; how a heading is matched, and how
far down a sheet its header row is looked for, is said once, here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reporting.cells import cell_text

# The header row is looked for in the first rows of every sheet, return or plan alike.
HEADER_SEARCH_ROWS = 30

# What councils and officers call an action's reference, in returns and plans alike.
ACTION_ID_HEADINGS = ("Action ID", "ID", "Ref", "Reference", "Action ref", "Action reference",
                      "No.", "No", "Number", "Action no", "Action number", "Ref no")


def heading_key(text: object) -> str:
    """Give a heading as it is matched: letters and digits only, lower case ("Ref." -> "ref")."""
    return re.sub(r"[^a-z0-9]", "", cell_text(text).lower())


@dataclass(frozen=True)
class Headings:
    """One reader's columns, each with the headings people write over it.

    `aliases` maps a column's name to its headings ({"Status": ("Status", "RAG", ...)}); a
    heading is matched by `heading_key`, so case, spaces and punctuation do not matter.
    """

    aliases: Mapping[str, tuple[str, ...]]
    _by_key: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {heading_key(a): name for name, words in self.aliases.items() for a in words}
        object.__setattr__(self, "_by_key", by_key)

    def column(self, heading: object) -> str | None:
        """Give the column a heading names, or None."""
        return self._by_key.get(heading_key(heading))

    def named(self, row: Iterable[object]) -> set[str]:
        """Give the columns a row's cells name."""
        return {self.column(v) for v in row} - {None}

    def columns(self, row: Sequence[object]) -> dict[int, str]:
        """Give {cell index: column} for a header row, each column at its first heading."""
        found: dict[int, str] = {}
        for i, value in enumerate(row):
            name = self.column(value)
            if name and name not in found.values():
                found[i] = name
        return found


def find_header(rows: Sequence[Sequence[object]], headings: Headings,
                accept: Callable[[set[str]], bool]) -> int | None:
    """Give the index of the first of the first HEADER_SEARCH_ROWS rows whose named columns
    `accept` takes ({"Action ID", "Status"} -> True), or None."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if accept(headings.named(row)):
            return r
    return None
