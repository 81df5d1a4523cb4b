"""Short text views of a report: document names and a markdown summary of a run."""

from __future__ import annotations

from reporting.report.model import ReportModel
from reporting.wording import markdown_text as _cell


def summary_markdown(model: ReportModel, paths: dict[str, str]) -> str:
    """Give a markdown summary of a report: counts by status, exceptions, documents."""
    lines = [f"# {_cell(model.title)}", "", _cell(model.front.period), ""]
    lines += ["| Status | Actions |", "| --- | --- |"]
    lines += [f"| {c.status.value} | {c.count} |" for c in model.overall]
    lines += ["", f"## Delivery exceptions ({len(model.exceptions)})", ""]
    if model.exceptions:
        lines += ["| Action | Lead | The problem | By when |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {_cell(e.action_id)} | {_cell(e.lead)} | {_cell(e.problem)} | {_cell(e.by_when)} |"
            for e in model.exceptions
        ]
    else:
        lines.append(_cell(model.exceptions_intro))
    lines += ["", "## Documents", ""]
    lines += [f"- {kind}: {_cell(path)}" for kind, path in paths.items()]
    return "\n".join(lines) + "\n"
