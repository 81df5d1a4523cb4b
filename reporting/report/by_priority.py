"""Actions by priority and status: the counts, the chart and the words that state them."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.status import STATUS_ORDER, Status
from reporting.wording import PRIORITY, Grouping, and_list, plural


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class PrioritySummary:
    """Counts of covered actions by status for one priority (in STATUS_ORDER)."""

    heading: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ChartSeries:
    """One status in the chart: how many actions of each priority are at it."""

    status: Status
    counts: tuple[int, ...]  # in the order of `StatusChart.categories`


@dataclass(frozen=True)
class StatusChart:
    """A bar chart of statuses per priority, with alternative text that states every number."""

    caption: str
    alt_text: str
    axis_label: str
    categories: tuple[str, ...]  # priority headings, top to bottom
    series: tuple[ChartSeries, ...]  # statuses in `STATUS_ORDER`, zero-only ones left out


def status_phrase(counts: dict[Status, int]) -> str:
    """Say the counts in words: "1 off track, 2 not reported and 9 on track"."""
    verbs = {
        Status.OFF_TRACK: "off track", Status.AT_RISK: "at risk",
        Status.NO_UPDATE: "not reported",
        Status.NOT_GIVEN: "with an update but no status given",
        Status.NOT_STARTED: "not started", Status.ON_TRACK: "on track",
        Status.COMPLETE: "complete",
    }
    parts = [f"{counts[s]} {verbs[s]}" for s in STATUS_ORDER if counts.get(s)]
    return and_list(parts) or "none"


# Up to this many priorities the chart draws a bar for each; with more, one A4 page cannot
# hold a bar per priority at a readable size (and the chart alone took seconds to typeset),
# so it draws one bar for all priorities together, the table above giving each priority.
CHART_MAX_PRIORITIES = 12


def status_chart(by_priority: tuple[PrioritySummary, ...], total: int,
                 grouping: Grouping = PRIORITY) -> StatusChart:
    """Give the chart of statuses per priority, its alternative text stating every number.

    With more than CHART_MAX_PRIORITIES priorities, one bar gives all priorities together.
    """
    if len(by_priority) > CHART_MAX_PRIORITIES:
        counts = tuple(sum(row.counts[i] for row in by_priority)
                       for i in range(len(STATUS_ORDER)))
        together = f"All {len(by_priority)} {grouping.many}"
        return StatusChart(
            caption=f"Chart: actions by status, all {grouping.many} together (the same "
                    "numbers as the total row of the table above)",
            alt_text=(f"Bar chart of the {plural(total, 'action')} covered, one bar for all "
                      f"{len(by_priority)} {grouping.many} together, divided by status: "
                      f"{status_phrase(dict(zip(STATUS_ORDER, counts)))}."),
            axis_label="Number of actions",
            categories=(together,),
            series=tuple(ChartSeries(status, (counts[i],))
                         for i, status in enumerate(STATUS_ORDER) if counts[i]),
        )
    lines = []
    for row in by_priority:
        counts = dict(zip(STATUS_ORDER, row.counts))
        lines.append(f"{row.heading}: {status_phrase(counts)} "
                     f"({plural(row.total, 'action')}).")
    alt = (f"Bar chart of the {plural(total, 'action')} covered, one bar per {grouping.one}, "
           "divided by status. " + " ".join(lines))
    return StatusChart(
        caption=f"Chart: actions by {grouping.one} and status (the same numbers as the table "
                "above)",
        alt_text=alt,
        axis_label="Number of actions",
        categories=tuple(row.heading for row in by_priority),
        series=tuple(
            ChartSeries(status, tuple(row.counts[i] for row in by_priority))
            for i, status in enumerate(STATUS_ORDER)
            if any(row.counts[i] for row in by_priority)
        ),
    )


def summarise_priorities(sections) -> tuple[PrioritySummary, ...]:
    """Give each priority section's counts by status (in STATUS_ORDER) and its total.

    The counts are a crosstab of priority against status, every status a column even when
    no action is at it.
    """
    import pandas as pd

    actions = pd.DataFrame([(n, a.status) for n, s in enumerate(sections) for a in s.actions],
                           columns=["section", "status"])
    counts = pd.crosstab(actions["section"], actions["status"]).reindex(
        index=range(len(sections)), columns=list(STATUS_ORDER), fill_value=0)
    return tuple(
        PrioritySummary(s.heading, tuple(int(c) for c in counts.loc[n]), len(s.actions))
        for n, s in enumerate(sections)
    )
