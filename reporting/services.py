"""Service areas: the council's teams that lead actions and send returns.

One spelling rule, so "Health and Wellbeing", "Health & Wellbeing Team" and
"health-and-wellbeing.csv" all name the same service.
"""

from __future__ import annotations

import re
from pathlib import Path

from reporting.wording import without_controls


def service_key(name: str) -> str:
    """Give a key under which spellings of one service area match ("Health and Wellbeing")."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(team|service|services)\b", " ", text)
    return re.sub(r"[^a-z0-9]", "", text)


def same_service(a: str, b: str) -> bool:
    """Tell whether two names mean one service area ("Planning" and "Planning Policy" do:
    an officer may shorten the plan's name, never lengthen it into another service's)."""
    key_a, key_b = service_key(a), service_key(b)
    if not key_a or not key_b:
        return False
    short, long = sorted((key_a, key_b), key=len)
    return short == long or (len(short) >= 4 and long.startswith(short))


def service_area_from_name(path: Path) -> str:
    """Give a service area named by a file ("regulatory-services.xlsx" -> "Regulatory Services")."""
    stem = re.sub(r"^\d{4}-\d{2}-[QH]\d[\s_-]*", "", without_controls(Path(path).stem))
    words = re.sub(r"[_-]+", " ", stem).strip()
    return " ".join(
        w if w.isupper() or w in ("&", "and") else w.capitalize() for w in words.split()
    )


def known_service(name: str, services: tuple[str, ...] | list[str]) -> str:
    """Give which of `services` a name means: the one spelt the same way (`service_key`),
    else the longest that is `same_service` ("Communications Tab" -> "Communications"), else
    "" (it means none of them)."""
    key = service_key(name)
    if not key:
        return ""
    matches = [s for s in services if s and same_service(name, s)]
    exact = [s for s in matches if service_key(s) == key]
    return (exact or sorted(matches, key=lambda s: -len(service_key(s))) or [""])[0]
