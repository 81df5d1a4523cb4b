"""The package layout stays the one docs/architecture.md describes.

Every .py file under reporting/, flows/ and cli/ is parsed with `ast` (nothing is imported),
and every import is collected: top-level ones, ones inside functions, `if TYPE_CHECKING:`
blocks and try/except, and relative ones. Then:

- the library (`reporting`) never imports prefect, `flows` or `cli`; `flows` never imports `cli`;
- the command line (`cli`) never imports prefect: Prefect is used only in `flows/`, which
  the commands call as plain functions;
- no import cycles between the library's modules, nor between its packages (each sub-package
  such as `reporting.intake` counted as one node, each top-level module as its own node);
- the library's packages respect the layer order in LAYERS (the same table as the doc);
- every library package or top-level module has a row in LAYERS (a new one must be placed).

Imports that break the layer order today are listed in KNOWN_BREAKS, each with the mend it
needs. The layer and package-cycle tests let only those through; each has its own strict
xfail test below, so it shows in every run's summary, and the run fails once it is mended,
asking for its line here to be deleted.

The checks are plain functions taking a root folder, so the tests at the bottom run them on a
tiny fake tree and prove they find what they are meant to find.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reporting", "flows", "cli")
LIBRARY = "reporting"
NEVER_IN_LIBRARY = ("prefect", "flows", "cli")
NEVER_IN_FLOWS = ("cli",)
NEVER_IN_CLI = ("prefect",)
DOC = ROOT / "docs" / "architecture.md"


@dataclass(frozen=True)
class Layer:
    name: str
    members: tuple[str, ...]  # `reporting.<sub-package>` or `reporting.<top-level module>`
    peers: bool = False  # may members of this row import each other? (never in a cycle)


# Lowest first. A package may import its own modules and anything in a row above it (a lower
# index); members of one row do not import each other, except in the vocabulary row.
# A new module inside a sub-package takes that sub-package's row; a new top-level module
# needs a row here (and in docs/architecture.md) before the tests pass.
LAYERS: tuple[Layer, ...] = (
    Layer("vocabulary", (
        "reporting",  # the package's own __init__
        "reporting.period", "reporting.cadence", "reporting.status", "reporting.wording",
        "reporting.services", "reporting.errors", "reporting.settings", "reporting.layout",
        "reporting.working_days", "reporting.cells", "reporting.cron",
    ), peers=True),
    Layer("files", ("reporting.publish", "reporting.installation", "reporting.sheets")),
    Layer("plan", ("reporting.plan",)),
    Layer("intake", ("reporting.intake",)),
    Layer("merge", ("reporting.merge",)),
    Layer("checks", ("reporting.checks",)),
    Layer("report", ("reporting.report",)),
    Layer("outputs", ("reporting.render", "reporting.automation")),
    Layer("pipeline", ("reporting.pipeline",)),
)

# Imports that break LAYERS today: (importing module, imported package or top-level module)
# -> what would mend it.
KNOWN_BREAKS: dict[tuple[str, str], str] = {}


# ---------------------------------------------------------------- reading the source tree


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name of the importing file
    target: str  # dotted module name imported (`from m import name` gives m, or m.name if a module)
    path: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line} imports {self.target}"


@dataclass
class Tree:
    root: Path
    modules: dict[str, Path]  # dotted name -> file
    imports: dict[str, list[Import]]  # importer -> its imports


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    """Give a file's dotted module name, and whether it is a package's __init__."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def scan(root: Path, packages: tuple[str, ...] = PACKAGES) -> Tree:
    """Parse every .py file under root/<package> and collect all its imports."""
    root = Path(root)
    files: dict[str, tuple[Path, bool]] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                name, is_package = module_name(root, path)
                files[name] = (path, is_package)
    modules = {name: path for name, (path, _) in files.items()}

    imports: dict[str, list[Import]] = {}
    for name, (path, is_package) in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found: list[Import] = []
        for node in ast.walk(tree):  # walks into functions, classes, if/try blocks too
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(name, alias.name, path, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    base = package[: len(package) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    # `from reporting.automation import schedule` imports a module.
                    whole = f"{source}.{alias.name}"
                    target = whole if whole in modules else source
                    found.append(Import(name, target, path, node.lineno))
        imports[name] = found
    return Tree(root, modules, imports)


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# ---------------------------------------------------------------- the checks


def forbidden_imports(tree: Tree, importer: str, banned: tuple[str, ...]) -> list[Import]:
    """Imports by modules under `importer` of anything under one of `banned`."""
    return [i for name, found in tree.imports.items() if within(name, importer)
            for i in found if any(within(i.target, b) for b in banned)]


def node_of(module: str) -> str:
    """The package-level node: `reporting.intake.files` -> `reporting.intake`."""
    return ".".join(module.split(".")[:2])


Graph = dict[str, dict[str, list[Import]]]  # node -> node it imports -> the imports doing it


def import_graph(tree: Tree, collapse: bool, skip=frozenset()) -> Graph:
    """The library's internal import graph, by module or collapsed to packages."""
    graph: Graph = defaultdict(lambda: defaultdict(list))
    for name, found in tree.imports.items():
        if not within(name, LIBRARY):
            continue
        for i in found:
            if not within(i.target, LIBRARY) or (i.importer, node_of(i.target)) in skip:
                continue
            a, b = (node_of(name), node_of(i.target)) if collapse else (name, i.target)
            if a != b:
                graph[a][b].append(i)
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def describe_cycle(tree: Tree, graph: Graph, cycle: list[str]) -> str:
    lines = [" -> ".join(cycle)]
    for a, b in zip(cycle, cycle[1:]):
        lines += sorted({f"  {i.where(tree.root)}" for i in graph[a][b]})
    return "\n".join(lines)


def layer_index(layers: tuple[Layer, ...]) -> dict[str, int]:
    return {member: n for n, layer in enumerate(layers) for member in layer.members}


def unplaced(tree: Tree, layers: tuple[Layer, ...]) -> list[str]:
    """Library packages or top-level modules that have no row in the layer table."""
    rows = layer_index(layers)
    return sorted({node_of(m) for m in tree.modules if within(m, LIBRARY)} - set(rows))


def layer_breaks(tree: Tree, layers: tuple[Layer, ...], skip=frozenset()) -> list[Import]:
    """Library imports that go to the same row (outside a peers row) or a lower one."""
    rows = layer_index(layers)
    breaks = []
    for name, found in tree.imports.items():
        if not within(name, LIBRARY):
            continue
        for i in found:
            a, b = node_of(name), node_of(i.target)
            if not within(i.target, LIBRARY) or a == b or (i.importer, b) in skip:
                continue
            if a not in rows or b not in rows:
                continue  # reported by unplaced() (or a module that does not exist yet)
            if rows[b] < rows[a] or (rows[b] == rows[a] and layers[rows[a]].peers):
                continue
            breaks.append(i)
    return breaks


# ---------------------------------------------------------------- the project's own tree


@pytest.fixture(scope="module")
def tree() -> Tree:
    return scan(ROOT)


def listing(tree: Tree, imports: list[Import]) -> str:
    return "\n".join(sorted({"  " + i.where(tree.root) for i in imports}))


def test_the_scan_sees_the_project(tree):
    assert {"reporting.period", "reporting.intake.returns", "flows.scrutiny_report",
            "cli.main"} <= set(tree.modules)
    assert any(i.target == "prefect" or i.target.startswith("prefect.")
               for i in tree.imports["flows.scrutiny_report"])


def test_every_library_package_has_a_layer(tree):
    missing = unplaced(tree, LAYERS)
    assert not missing, (
        f"{', '.join(missing)}: not in the layer table. Add a row or member to LAYERS in "
        "tests/test_architecture.py and to the table in docs/architecture.md, saying what it "
        "may import.")


def test_library_never_imports_prefect_flows_or_cli(tree):
    found = forbidden_imports(tree, LIBRARY, NEVER_IN_LIBRARY)
    assert not found, ("reporting/ is the library: it must not import prefect, flows or cli.\n"
                       + listing(tree, found))


def test_flows_never_import_cli(tree):
    found = forbidden_imports(tree, "flows", NEVER_IN_FLOWS)
    assert not found, "flows/ must not import the command line (cli/).\n" + listing(tree, found)


def test_cli_never_imports_prefect(tree):
    found = forbidden_imports(tree, "cli", NEVER_IN_CLI)
    assert not found, ("cli/ must not import prefect: call a plain function of flows/ "
                       "(flows/launch.py), which does.\n" + listing(tree, found))


def test_no_import_cycle_between_library_modules(tree):
    graph = import_graph(tree, collapse=False)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between modules:\n" + describe_cycle(tree, graph, cycle)


def test_no_import_cycle_between_library_packages(tree):
    graph = import_graph(tree, collapse=True, skip=KNOWN_BREAKS.keys())
    cycle = find_cycle(graph)
    assert cycle is None, ("import cycle between packages (known breaks left out):\n"
                           + describe_cycle(tree, graph, cycle))


def test_library_packages_respect_the_layer_order(tree):
    found = layer_breaks(tree, LAYERS, skip=KNOWN_BREAKS.keys())
    assert not found, (
        "imports against the layer order (see docs/architecture.md): a package may import "
        "only itself and the rows above it.\n" + listing(tree, found))


@pytest.mark.parametrize("importer,target", [
    pytest.param(*key, id=f"{key[0]}->{key[1]}",
                 marks=pytest.mark.xfail(strict=True, reason=f"known layer break: {why}"))
    for key, why in KNOWN_BREAKS.items()])
def test_known_layer_break_is_mended(tree, importer, target):
    # Fails (xfail) while the import is there; passes, failing the run, once it is gone:
    # then delete its line from KNOWN_BREAKS.
    assert not [i for i in tree.imports.get(importer, []) if node_of(i.target) == target]


def test_known_breaks_are_real_breaks():
    """The list excuses only imports the table forbids, never ones it already allows."""
    rows = layer_index(LAYERS)
    for importer, target in KNOWN_BREAKS:
        a, b = rows[node_of(importer)], rows[node_of(target)]
        assert b > a or (b == a and not LAYERS[a].peers), (importer, target)


def test_the_doc_shows_the_same_layers():
    """docs/architecture.md has one table row per layer, naming the same members."""
    text = DOC.read_text(encoding="utf-8")
    for n, layer in enumerate(LAYERS, start=1):
        row = re.search(rf"^\|\s*{n}\s*\|\s*{layer.name}\s*\|(.*)$", text, re.MULTILINE)
        assert row, f"docs/architecture.md: no table row '| {n} | {layer.name} |'"
        shown = set(re.findall(r"`([\w./]+?)(?:\.py|/)?`", row.group(1).split("|")[0]))
        wanted = {"__init__" if m == LIBRARY else m.split(".", 1)[1] for m in layer.members}
        assert shown == wanted, f"docs/architecture.md row {layer.name}: {shown} != {wanted}"


# ---------------------------------------------------------------- the checks can fail


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


FAKE_LAYERS = (
    Layer("vocabulary", ("reporting", "reporting.period", "reporting.status"), peers=True),
    Layer("plan", ("reporting.plan",)),
    Layer("intake", ("reporting.intake",)),
    Layer("outputs", ("reporting.render", "reporting.automation")),
)


@pytest.fixture
def fake(tmp_path) -> Tree:
    return scan(write(tmp_path, {
        "reporting/__init__.py": "",
        "reporting/period.py": "from reporting import status\n",
        "reporting/status.py": "def f():\n    import prefect  # inside a function\n",
        "reporting/plan.py": "from reporting.intake.files import x\nfrom . import period\n",
        "reporting/intake/__init__.py": "",
        "reporting/intake/files.py": "from .. import plan\n",
        "reporting/intake/returns.py": "from . import files\n",
        "reporting/render/__init__.py": "",
        "reporting/render/html.py": "from reporting.automation import mail\n",
        "reporting/automation/__init__.py": "",
        "reporting/automation/mail.py": "import reporting.intake.returns\n",
        "reporting/gadget.py": "import flows.things\n",
        "flows/__init__.py": "",
        "flows/things.py": "def g():\n    from cli.main import main\n",
        "cli/__init__.py": "",
        "cli/main.py": "import flows.things\n",
        "cli/run.py": "def run():\n    from prefect.settings import PREFECT_API_URL\n",
    }))


def test_fake_tree_relative_and_function_imports_are_read(fake):
    targets = {i.importer: i.target for found in fake.imports.values() for i in found}
    assert targets["reporting.intake.files"] == "reporting.plan"
    assert targets["reporting.intake.returns"] == "reporting.intake.files"
    assert targets["reporting.status"] == "prefect"
    assert targets["flows.things"] == "cli.main"


def test_fake_tree_forbidden_imports_are_found(fake):
    library = {(i.importer, i.target) for i in forbidden_imports(fake, LIBRARY, NEVER_IN_LIBRARY)}
    assert library == {("reporting.status", "prefect"), ("reporting.gadget", "flows.things")}
    flows = {(i.importer, i.target) for i in forbidden_imports(fake, "flows", NEVER_IN_FLOWS)}
    assert flows == {("flows.things", "cli.main")}
    cli = {(i.importer, i.target) for i in forbidden_imports(fake, "cli", NEVER_IN_CLI)}
    assert cli == {("cli.run", "prefect.settings")}  # imported inside a function


def test_fake_tree_cycles_are_found(fake):
    modules = find_cycle(import_graph(fake, collapse=False))
    assert modules == ["reporting.intake.files", "reporting.plan", "reporting.intake.files"]
    packages = import_graph(fake, collapse=True)
    cycle = find_cycle(packages)
    assert cycle == ["reporting.intake", "reporting.plan", "reporting.intake"]
    assert "reporting/plan.py:1 imports reporting.intake.files" in describe_cycle(
        fake, packages, cycle)
    # Leaving the offending import out (as KNOWN_BREAKS does) leaves no cycle.
    assert find_cycle(import_graph(fake, collapse=True,
                                   skip={("reporting.plan", "reporting.intake")})) is None


def test_fake_tree_layer_breaks_and_unplaced_modules_are_found(fake):
    found = {(i.importer, i.target) for i in layer_breaks(fake, FAKE_LAYERS)}
    assert found == {
        ("reporting.plan", "reporting.intake.files"),  # upward
        ("reporting.render.html", "reporting.automation.mail"),  # sideways in a row
    }
    # period -> status (peers in vocabulary) and mail -> intake (downward) are allowed.
    assert unplaced(fake, FAKE_LAYERS) == ["reporting.gadget"]
