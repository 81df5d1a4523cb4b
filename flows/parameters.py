"""The flows' parameters as types Prefect validates before a run starts and shows in its
UI form: a period (given as "2022/23 Q2", received as the library's `Period`), the paper
as a choice of two, a plan's name. Each is built from the library's own rule, not a copy:
the period's pattern is `reporting.period`'s, the choices are `PAPERS`, the plan
name's pattern is `reporting.installation`'s.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema

from reporting.cadence import PAPERS
from reporting.installation import PLAN_NAME
from reporting.period import PERIOD_PATTERN, Period


def _json_schema_pattern(pattern: re.Pattern) -> str:
    """A library pattern as JSON Schema takes it, for the UI (JavaScript) and the server
    (Python) alike: without group names, which the two write differently."""
    return re.sub(r"\(\?P<\w+>", "(", pattern.pattern)


def _period(value: object) -> Period:
    # Period.parse raises PeriodError, a ValueError: pydantic turns it into a validation
    # error naming the parameter, so a bad period fails before the run starts.
    return value if isinstance(value, Period) else Period.parse(value)


# Given as text ("2022/23 Q2", "2022-23-Q2"), read once by Period.parse while Prefect
# validates the parameters; the flow receives the Period.
PeriodParameter = Annotated[
    Period,
    PlainValidator(_period),
    PlainSerializer(lambda period: period.label, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _json_schema_pattern(PERIOD_PATTERN),
                    "examples": ["2022/23 Q2"]}),
]

# The paper being made, by its value (the flow parameter is still named `cadence`).
PaperName = Literal[tuple(p.value for p in PAPERS)]  # type: ignore[valid-type]

# A plan of several, by its folder's name under plans/ (the same rule as the folder's).
PlanName = Annotated[str, Field(pattern=f"^(?:{PLAN_NAME.pattern})$")]
