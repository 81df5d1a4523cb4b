"""The small pages beside the paper, from their Jinja templates in `templates/`.

A receipt (`receipt.html.j2`) and the data-quality note (`data-quality.html.j2`) share
`page.html.j2`: a self-contained page that may load and run nothing. Every value is
autoescaped, so text from a return is shown as text, never obeyed as markup.

Jinja is imported when a page is first made, not when this module is: `reporting check`
prints receipts as text and must not pay for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reporting import TEMPLATES


@cache
def _environment(templates: Path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(templates), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_page(template: str, templates: Path = TEMPLATES, **values: object) -> str:
    """Give the page `template` filled with `values`, every value escaped."""
    return _environment(Path(templates)).get_template(template).render(**values)
