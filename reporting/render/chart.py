"""The chart of statuses per priority, drawn from a StatusChart: SVG for HTML/PDF, PNG for Word.

Colour never carries the meaning alone: every status has its own fill pattern, every bar
segment is labelled with its count, and the legend names each status in words. Text is
drawn as outlines (no font is looked up by whoever opens the SVG), and the SVG that goes
inline into the HTML is cleaned of everything but shapes: no scripts, styles, metadata or
links outside itself.
"""

from __future__ import annotations

import io
import re
import textwrap
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from reporting.report.by_priority import StatusChart
from reporting.status import Status

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# Fill, pattern and pattern colour per status. Fills match the badges in report.css.
_LOOK: dict[Status, tuple[str, str, str]] = {
    Status.OFF_TRACK: ("#b10e1e", "xx", "#ffffff"),
    Status.AT_RISK: ("#ffdd00", "///", "#0b0c0c"),
    Status.NO_UPDATE: ("#0b0c0c", "..", "#ffffff"),
    Status.NOT_GIVEN: ("#505a5f", "++", "#ffffff"),
    Status.NOT_STARTED: ("#f3f2f1", "", "#0b0c0c"),
    Status.ON_TRACK: ("#00703c", "", "#ffffff"),
    Status.COMPLETE: ("#1d70b8", "\\\\\\", "#ffffff"),
}

_STYLE = {
    "font.family": ["Liberation Sans", "DejaVu Sans"],
    "font.size": 10.5,
    "svg.fonttype": "path",  # glyphs as outlines: nothing to fetch, looks the same everywhere
    "svg.hashsalt": "scrutiny-report",  # stable element ids, so the same model gives the same SVG
    "hatch.linewidth": 1.0,
    "text.color": "#0b0c0c",
    "axes.edgecolor": "#505a5f",
    "axes.labelcolor": "#0b0c0c",
    "xtick.color": "#0b0c0c",
    "ytick.color": "#0b0c0c",
}

# Elements that may stay in the inline SVG; anything else (style sheets, scripts,
# metadata, foreign content) is dropped.
_KEEP = {"svg", "g", "defs", "path", "use", "clipPath", "pattern", "rect", "title", "desc"}
# A reference to anything but an element of the same SVG.
_OUTSIDE_URL = re.compile(r"url\(\s*(?!['\"]?#)", re.IGNORECASE)


def _figure(chart: StatusChart) -> Figure:
    rows = len(chart.categories)
    figure = Figure(figsize=(7.0, 1.5 + 0.5 * rows), layout="constrained")
    axes = figure.add_subplot()
    labels = [textwrap.fill(name, 30) for name in chart.categories]
    positions = list(range(rows))
    left = [0] * rows
    for series in chart.series:
        fill, hatch, ink = _LOOK[series.status]
        bars = axes.barh(positions, series.counts, left=left, height=0.62, color=fill,
                         hatch=hatch, hatchcolor=ink, edgecolor="#0b0c0c", linewidth=0.8,
                         label=series.status.value)
        axes.bar_label(bars, labels=[str(n) if n else "" for n in series.counts],
                       label_type="center", fontsize=10, fontweight="bold",
                       bbox={"boxstyle": "round,pad=0.2", "facecolor": "#ffffff",
                             "edgecolor": "#0b0c0c", "linewidth": 0.5})
        left = [a + b for a, b in zip(left, series.counts)]
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()  # first priority at the top, as in the table
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(chart.axis_label)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#b1b4b6", linewidth=0.5)
    axes.set_axisbelow(True)
    handles = [Patch(facecolor=_LOOK[s.status][0], hatch=_LOOK[s.status][1],
                     hatchcolor=_LOOK[s.status][2], edgecolor="#0b0c0c", linewidth=0.8,
                     label=s.status.value) for s in chart.series]
    # At most four keys a row: six ran wider than the figure and lost the outer ones.
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
                  frameon=False, handlelength=2.2, handleheight=1.2)
    return figure


def chart_png(chart: StatusChart, dpi: int = 200) -> bytes:
    """Give the chart as PNG bytes (for Word, which cannot show SVG everywhere)."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure(chart)
        buffer = io.BytesIO()
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _clean(element: ET.Element) -> None:
    """Drop every element not in `_KEEP`, event handlers and links outside the SVG."""
    for child in list(element):
        name = child.tag.rpartition("}")[2]
        if not child.tag.startswith("{" + SVG + "}") or name not in _KEEP:
            element.remove(child)
            continue
        for attribute in list(child.attrib):
            local = attribute.rpartition("}")[2]
            value = child.attrib[attribute]
            if (local.lower().startswith("on")
                    or (local == "href" and not value.startswith("#"))
                    or _OUTSIDE_URL.search(value)):
                del child.attrib[attribute]
        # Styles become presentation attributes: an HTML renderer reads a style attribute
        # as CSS of its own (WeasyPrint warns on each SVG property), an SVG one reads both.
        style = child.attrib.pop("style", "")
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() and value.strip() and not _OUTSIDE_URL.search(value):
                child.set(name.strip(), value.strip())
        _clean(child)


def chart_svg(chart: StatusChart, element_id: str = "status-chart") -> str:
    """Give the chart as an inline `<svg>` element whose `<title>` is the alternative text.

    The markup holds only shapes drawn from `chart`; it is safe to insert unescaped.
    """
    with matplotlib.rc_context(_STYLE):
        figure = _figure(chart)
        buffer = io.BytesIO()
        FigureCanvasSVG(figure)
        figure.savefig(buffer, format="svg",
                       metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    root = SafeET.fromstring(buffer.getvalue())
    _clean(root)
    for attribute in list(root.attrib):
        if attribute not in ("viewBox", "version"):
            del root.attrib[attribute]
    title_id = f"{element_id}-title"
    root.set("id", element_id)
    root.set("role", "img")
    root.set("aria-labelledby", title_id)
    title = ET.Element(f"{{{SVG}}}title", {"id": title_id})
    title.text = chart.alt_text
    root.insert(0, title)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    return ET.tostring(root, encoding="unicode")
