"""The one rule set: every finding the receipts, flags.csv and the papers present.

`check_returns` judges the period's returns and rows (the same for every report of the
period, and all a receipt shows); `check_progress` judges the actions a report covers;
`report_findings` puts together what one report presents.
"""

from __future__ import annotations

from reporting.checks.finding import Finding, Severity
from reporting.checks.progress import check_progress
from reporting.checks.returns import check_returns
from reporting.merge import Merged

__all__ = ["Finding", "Severity", "check_progress", "check_returns", "report_findings"]


def report_findings(merged: Merged, period_findings: list[Finding],
                    long_update_words: int = 150) -> list[Finding]:
    """Give the findings one report presents, most severe first.

    The period's findings about plan actions this report does not cover are left to the
    report that covers them; findings about whole returns and unknown rows are kept.
    """
    plan_ids = {a.id for a in merged.updates.plan.actions} if merged.updates.plan else set()
    elsewhere = plan_ids - merged.covered_ids
    kept = [f for f in period_findings if f.action_id not in elsewhere]
    return sorted(kept + check_progress(merged, long_update_words), key=Finding.sort_key)
