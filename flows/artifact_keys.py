"""Artifact keys that carry their plan, so two plans' chase lists or papers for one period
never share a key (Prefect's Artifacts page shows only the latest artifact of a key).

Prefect's rule for a key: lowercase letters, digits and dashes only.
"""

from __future__ import annotations

import hashlib
import re

from reporting.settings import Settings

_NOT_IN_A_KEY = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_IN_A_KEY.sub("-", text.lower()).strip("-")


def plan_key(plan: str | None, settings: Settings) -> str:
    """Give the plan's part of an artifact key: the plan's folder name (`plan`), else, in a
    single-plan installation, its title's.

    A folder name that is not already a key's (capitals, `.` or `_`) gets a short hash of
    itself too, so `climate_2` and `climate-2`, or `Climate` and `climate`, stay apart.
    """
    if plan:
        slug = _slug(plan)
        if slug == plan:
            return slug
        return f"{slug or 'plan'}-{hashlib.sha256(plan.encode()).hexdigest()[:6]}"
    return _slug(settings.plan_title) or "plan"


def artifact_key(*parts: str) -> str:
    """Give the key made of `parts` (a kind, a plan's key, a period's path, ...), by
    Prefect's rule."""
    return "-".join(filter(None, (_slug(part) for part in parts)))
