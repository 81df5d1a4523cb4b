"""Service areas: the council's teams that lead actions and send returns.

One spelling rule, so "Health and Wellbeing", "Health & Wellbeing Team" and
"health-and-wellbeing.csv" all name the same service.
"""

from __future__ import annotations

import re
from pathlib import Path


def service_key(name: str) -> str:
    """Give a key under which spellings of one service area match ("Health and Wellbeing")."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(team|service|services)\b", " ", text)
    return re.sub(r"[^a-z0-9]", "", text)


def service_area_from_name(path: Path) -> str:
    """Give a service area named by a file ("regulatory-services.xlsx" -> "Regulatory Services")."""
    stem = re.sub(r"^\d{4}-\d{2}-[QH]\d[\s_-]*", "", Path(path).stem)
    words = re.sub(r"[_-]+", " ", stem).strip()
    return " ".join(
        w if w.isupper() or w in ("&", "and") else w.capitalize() for w in words.split()
    )
