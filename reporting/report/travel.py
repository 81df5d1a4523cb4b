"""Direction of travel: how each action's status moved since the previous period.

The previous period is given as the statuses its returns reported (`PreviousPeriod`, from
the one digest of last period's returns), so a report can compare with last quarter
whatever cadence either report covered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from reporting.status import NO_STATUS, Status

if TYPE_CHECKING:  # imported where used: the model's readers need neither (nor pandas)
    from reporting.merge import LastPeriod, Merged


class Travel(str, Enum):
    """Which way an action moved; the value is the word the committee reads."""

    IMPROVED = "Improved"
    NO_CHANGE = "No change"
    WORSE = "Worse"
    # One of the two periods has no status (nothing came in, or no status was given): a
    # direction is only given where both have one.
    NOT_COMPARED = "Not compared"

    @property
    def arrow(self) -> str:
        """An arrow shown before the word (never instead of it)."""
        return _ARROWS[self]

    @property
    def css_class(self) -> str:
        return "travel-" + self.name.lower().replace("_", "-")


_ARROWS = {
    Travel.IMPROVED: "\u2191",  # upwards arrow
    Travel.NO_CHANGE: "\u2192",  # rightwards arrow
    Travel.WORSE: "\u2193",  # downwards arrow
    Travel.NOT_COMPARED: "\u2013",  # en dash
}

TRAVEL_ORDER: tuple[Travel, ...] = (Travel.WORSE, Travel.NO_CHANGE, Travel.IMPROVED,
                                    Travel.NOT_COMPARED)

# How good a status is for delivery, higher is better. "Not reported" has no place on this
# scale: it says nothing about delivery, so it is handled on its own in `direction`.
_DELIVERY_RANK = {
    Status.OFF_TRACK: 0,
    Status.AT_RISK: 1,
    Status.NOT_STARTED: 2,
    Status.ON_TRACK: 3,
    Status.COMPLETE: 4,
}


@dataclass(frozen=True)
class PreviousPeriod:
    """The statuses the previous period's returns gave, by action ID."""

    label: str  # "2022/23 Q1"
    statuses: Mapping[str, Status] = field(default_factory=dict)
    # The words each service's rows gave on each action, by (service key, action ID): a
    # six-monthly paper shows the first quarter's update where it differs from the second's.
    updates: Mapping[tuple[str, str], str] = field(default_factory=dict)


def previous_period(last: LastPeriod) -> PreviousPeriod:
    """Give the status each action had last period, from last period's digest
    (`reporting.merge.digest_last_period`, the one the period's fates were decided with).

    Every action a chosen return gave a status counts, whatever cadence it reports on; an
    action with several rows takes the worse of their statuses, as in the merge.
    """
    said: dict[tuple[str, str], dict[str, None]] = {}
    for row in last.said:
        if row.action_id and row.update:
            said.setdefault((row.service, row.action_id), {})[row.update] = None
    return PreviousPeriod(last.period.label, last.statuses(),
                          {key: "\n".join(words) for key, words in said.items()})


def as_previous_period(previous: PreviousPeriod | Merged | Mapping[str, Status]) -> PreviousPeriod:
    """Give `previous` as a PreviousPeriod (a Merged gives the status of each action it covered)."""
    from reporting.merge import Merged

    if isinstance(previous, PreviousPeriod):
        return previous
    if isinstance(previous, Merged):
        return PreviousPeriod(previous.period.label,
                              {p.action.key: p.status for p in previous.progress})
    return PreviousPeriod("the previous period", dict(previous))


def direction(before: Status | None, now: Status) -> Travel:
    """Give the direction of travel from `before` (None: no status then) to `now`."""
    if before is None or before in NO_STATUS or now in NO_STATUS:
        return Travel.NOT_COMPARED
    change = _DELIVERY_RANK[now] - _DELIVERY_RANK[before]
    if change > 0:
        return Travel.IMPROVED
    return Travel.WORSE if change < 0 else Travel.NO_CHANGE


def travel_meanings(previous_label: str) -> tuple[tuple[Travel, str], ...]:
    """Give what each direction of travel means, against `previous_label`."""
    return (
        (Travel.IMPROVED, f"The status is better than it was in {previous_label}."),
        (Travel.NO_CHANGE, f"The status is the same as in {previous_label}."),
        (Travel.WORSE, f"The status is worse than in {previous_label}."),
        (Travel.NOT_COMPARED, f"Nothing to compare: not reported, or no status given, in "
                              f"{previous_label} or now."),
    )
