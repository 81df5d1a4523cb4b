"""Mend two gaps in WeasyPrint's PDF/UA tagging before the PDF is written.

WeasyPrint builds the structure tree page by page, so an element that runs over a page
break (the main part, a section, a long table, a paragraph) is tagged as several elements,
one per page: a table broken across pages reads as several tables. And its table header
cells carry no /Scope. `mend_structure` is a WeasyPrint finisher that joins each element's
pieces back into one and gives every TH its scope from the HTML (`scope="col"` or
`scope="row"`; a header cell without one is a column header in <thead>, else a row header).
The header row WeasyPrint repeats at the top of each continuation page stays tagged (WeasyPrint
draws it as content, not as an artifact); it is joined to the table's one header group.

To know which pieces came from the same HTML element, `record_sources` wraps WeasyPrint's
tag builder so each structure element remembers its element; if a WeasyPrint release
changes that builder, the wrapper stands aside and the PDF is written as WeasyPrint made it
(the accessibility tests then say so).
"""

from __future__ import annotations

import functools
import inspect

import pydyf

try:
    from weasyprint.pdf import tags as _tags
except ImportError:  # pragma: no cover - a WeasyPrint without tagging
    _tags = None

_SOURCE = "_scrutiny_source"
_EXPECTED = ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]


def record_sources() -> bool:
    """Make WeasyPrint's structure elements remember their HTML element; give whether it could."""
    builder = getattr(_tags, "_build_box_tree", None)
    if builder is None or list(inspect.signature(builder).parameters) != _EXPECTED:
        return False
    if getattr(builder, "_records_sources", False):
        return True

    @functools.wraps(builder)
    def build(box, parent, pdf, page_number, nums, annotations, tags):
        source = getattr(getattr(box, "_box", box), "element", None)
        for element in builder(box, parent, pdf, page_number, nums, annotations, tags):
            if getattr(element, _SOURCE, None) is None:
                setattr(element, _SOURCE, (source, getattr(box, "element_tag", None)))
            yield element

    build._records_sources = True
    _tags._build_box_tree = build
    return True


def _number(value) -> int | None:
    """Give the object number of an indirect reference (pydyf writes them as b"12 0 R")."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return int(value.split()[0])
    return None


class _Tree:
    """The PDF's objects, looked up by reference."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.objects = pdf.objects
        self.moved: dict[int, bytes] = {}  # number of an emptied piece -> its joined element

    def get(self, value) -> pydyf.Dictionary | None:
        number = _number(value)
        if number is None or number >= len(self.objects):
            return None
        obj = self.objects[number]
        return obj if isinstance(obj, pydyf.Dictionary) else None


def _same_source(a: pydyf.Dictionary, b: pydyf.Dictionary) -> bool:
    source_a, source_b = getattr(a, _SOURCE, None), getattr(b, _SOURCE, None)
    return (source_a is not None and source_b is not None and source_a[0] is not None
            and source_a[0] is source_b[0] and source_a[1] == source_b[1]
            and a.get("S") == b.get("S") and a.get("Pg") != b.get("Pg"))


def _join(first: pydyf.Dictionary, piece: pydyf.Dictionary, tree: _Tree) -> None:
    """Move the kids of `piece` (the same element, on a later page) onto `first`."""
    for kid in piece["K"]:
        if isinstance(kid, int):  # marked content on the piece's own page
            kid = pydyf.Dictionary({"Type": "/MCR", "Pg": piece["Pg"], "MCID": kid})
        else:
            child = tree.get(kid)
            if child is not None and "P" in child:
                child["P"] = first.reference
        first["K"].append(kid)
    piece["K"] = pydyf.Array()
    tree.moved[piece.number] = first.reference


def _mend(element: pydyf.Dictionary, tree: _Tree) -> None:
    kids = element.get("K")
    if not isinstance(kids, list):
        return
    # Pieces of one element follow each other, except in a table: there the header row
    # WeasyPrint repeats on each page comes between the pieces of the body, so a piece joins
    # any earlier one (the repeated header joins the first header, the bodies join up).
    table = element.get("S") == "/Table"
    repeated = element.get("S") in ("/THead", "/TFoot")  # its rows are copies, not pieces
    kept: list = []
    for kid in kids:
        obj = tree.get(kid)
        earlier = [tree.get(k) for k in (kept if table else kept[-1:])]
        match = next((e for e in earlier
                      if obj is not None and e is not None and _same_source(e, obj)), None)
        if match is not None and not repeated:
            _join(match, obj, tree)
            continue
        kept.append(kid)
    element["K"] = pydyf.Array(kept)
    for kid in kept:
        child = tree.get(kid)
        if child is not None and child.get("Type") == "/StructElem":
            _mend(child, tree)


def _scope(th: pydyf.Dictionary, tree: _Tree) -> str:
    source = getattr(th, _SOURCE, (None, None))[0]
    scope = (source.get("scope") or "").lower() if source is not None else ""
    if scope in ("col", "colgroup"):
        return "/Column"
    if scope in ("row", "rowgroup"):
        return "/Row"
    row = tree.get(th.get("P"))
    group = tree.get(row.get("P")) if row is not None else None
    return "/Column" if group is not None and group.get("S") == "/THead" else "/Row"


def mend_structure(document, pdf: pydyf.PDF) -> None:
    """Join elements split by page breaks and give header cells a scope (a WeasyPrint finisher)."""
    tree = _Tree(pdf)
    root = tree.get(pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    for top in root["K"]:
        element = tree.get(top)
        if element is not None:
            _mend(element, tree)
    parent_tree = tree.get(root.get("ParentTree"))
    if tree.moved and parent_tree is not None:
        # The parent tree maps marked content to the element holding it: point it at the
        # joined element, never at an emptied piece.
        def moved(ref):
            number = _number(ref)
            return tree.moved.get(number, ref) if number is not None else ref

        nums = parent_tree["Nums"]
        for index in range(1, len(nums), 2):
            value = nums[index]
            nums[index] = (pydyf.Array(moved(ref) for ref in value)
                           if isinstance(value, list) else moved(value))
    for obj in tree.objects:
        if (isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH"
                and isinstance(obj.get("A"), dict)):
            obj["A"]["Scope"] = _scope(obj, tree)
