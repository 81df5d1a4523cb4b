"""The master action plan: themes, actions and milestones, read from the policy team's workbook."""

from reporting.plan.model import (
    Action,
    Meaning,
    Milestone,
    Plan,
    PlanError,
    Priority,
    missing_lines,
    plan_gap_lines,
    undefined_line,
    unled_line,
)
from reporting.plan.workbook import (
    MAX_PLAN_ROWS,
    PLAN_COLUMNS,
    PlanProblem,
    find_plan,
    leads_in,
    load_plan,
    read_plan_workbook,
)

__all__ = ["Action", "Meaning", "Milestone", "Plan", "PlanError", "Priority", "MAX_PLAN_ROWS",
           "PLAN_COLUMNS", "PlanProblem", "find_plan", "leads_in", "load_plan",
           "missing_lines", "plan_gap_lines", "read_plan_workbook",
           "undefined_line", "unled_line"]
