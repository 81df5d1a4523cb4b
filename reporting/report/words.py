"""The fixed phrases the documents print where the model has nothing else to say."""

from __future__ import annotations

from reporting.status import Status

# Fixed phrases both documents use where the model has nothing to say.
WORDS = {
    "contents": "Contents",
    "total": "Total",
    "no_exceptions": "No action is off track, at risk, overdue, slipped or unreported.",
    "no_milestone": "No milestone set in the plan.",
    # Appendix A's lines of what the plan promised (reporting.report.appendix).
    "we_will": "We will:",
    "target": "Target:",
    "due": "Due:",  # in the plan's words where it has them: "Due: Ongoing", "Due: Spring 2027"
    "milestone": "Milestone:",
    "milestones": "Milestones:",
    "milestones_undated": "Milestones (undated):",
    "milestones_together": "Milestones (undated), reported together:",
    "milestones_each": "Milestones (undated), each {status}:",
    # ... where the plan gives some of them words for when, each in brackets after it.
    "milestones_together_when": "Milestones, reported together:",
    "milestones_each_when": "Milestones, each {status}:",
    "no_milestone_date": "undated",
    "update": "Update:",  # the officer's words, after the milestones
    "forecast": "Year-end forecast:",  # where the appendix has no forecast column
    "no_target_line": "Target: none set in the plan.",
    "whole_return": "Whole return",
    "no_forecast": "Not given",
    "no_travel": "Not compared",
    # An earlier quarter's status where no return then gave one.
    "not_in_return": Status.NO_UPDATE.value,
    "not_stated": "Not stated",  # a return without its date of completion
    "unreadable": "Could not be read",  # a return came but could not be used
    "not_due": "Not due",  # the action was not due to report that quarter
    "skip_link": "Skip to main content",
}


# What a field of an action says when it is empty.
NO_TARGET = "No target set in the plan."


NO_UPDATE = "No update received."


NO_NEXT_STEPS = "No next steps given."


NO_PARTNERS = "None named"


# An action the plan names no lead for: none is made up.
NO_LEAD = "none named in the plan"


# The delivery exceptions' words where the return is silent, each said once here.
# "The problem": the kinds, then the officer's why (the return's reason column, else the update).
PROBLEM_WHY = "{problem}. Why: {why}"
# "What is being done", where a return came but says nothing of it.
NOT_STATED = "Not stated in the return."
# ... and where its update says why but not what is being done.
NOTHING_BEYOND_UPDATE = "No next steps given beyond the progress update."
# "By when": a new date with the reason for it; an overdue action with no date still ahead.
DATE_WITH_REASON = "{date} (reason: {reason})"
NO_NEW_DATE = "No new date given"


# Said where an update is cut in the paper (LONG_UPDATE names it for the policy officer).
CUT_NOTE = "cut at {limit} words: the full update is in the return, archived with this paper"


# Said where a large paper's Appendix A cuts an update (its introduction says where the rest is).
SHORT_CUT_NOTE = "cut at {limit} words"


# Said where a plan's own words are cut in an Appendix A row (the plan keeps them whole).
PLAN_CUT_NOTE = "cut at {limit} words: the plan gives it in full"
