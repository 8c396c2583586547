"""The house's walls: engine/ is a library (no web framework, no server, nothing of web/ or
app.py), and no two modules import each other."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("engine", "web", "simulator", "harness", "app")


def imports_of(path: Path, package: str) -> set[str]:
    """The modules of ours a module imports (at any depth of its code, TYPE_CHECKING blocks
    aside), each as the deepest module name that exists."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.update(f"{base}.{a.name}" for a in node.names)
            found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {_existing(name) for name in found if name.split(".")[0] in OURS} - {""}


def _existing(name: str) -> str:
    """`name`, or its longest prefix that is a module or package of ours."""
    parts = name.split(".")
    while parts:
        base = ROOT.joinpath(*parts)
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return ""


def modules() -> dict[str, Path]:
    """Every module of ours by dotted name (a package by its own name)."""
    found = {"app": ROOT / "app.py"}
    for top in ("engine", "web", "simulator", "harness"):
        for path in (ROOT / top).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def graph() -> dict[str, set[str]]:
    """Who imports whom, among our modules."""
    result = {}
    for name, path in modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        result[name] = imports_of(path, package) - {name}
    return result


def test_no_two_modules_import_each_other():
    g = graph()
    mutual = sorted({tuple(sorted((a, b))) for a, deps in g.items() for b in deps
                     if a in g.get(b, set())
                     and not (b.startswith(a + ".") or a.startswith(b + "."))})
    assert not mutual, mutual


def test_the_engine_imports_nothing_of_the_front_ends():
    g = graph()
    wrong = {a: sorted(d for d in deps if d.split(".")[0] in ("web", "app", "simulator",
                                                               "harness"))
             for a, deps in g.items() if a.split(".")[0] == "engine"}
    assert not {a: d for a, d in wrong.items() if d}


def test_the_graph_sees_imports():
    """(The scan finds imports at any depth, relative ones resolved: else the tests above
    would pass on nothing.)"""
    g = graph()
    assert "engine.pipeline.steps" in g["engine.pipeline.parse"]
    assert "engine.pipeline.refine" in g["engine.pipeline.parse"]       # inside a function
    assert "web.handlers" in g["app"] and "engine.pipeline" in g["web.handlers"]


def test_every_test_module_is_in_a_layer():
    """A test file sits under tests/unit, tests/integration or tests/browser (its layer marks
    it: `-m unit` would otherwise leave it out without a word), and helpers live in harness/."""
    tests = ROOT / "tests"
    loose = sorted(p.name for p in tests.glob("*.py") if p.name != "conftest.py")
    assert not loose, f"in tests/ itself, outside any layer: {loose}"
    layers = {p.relative_to(tests).parts[0] for p in tests.rglob("test_*.py")
              if "fixtures" not in p.relative_to(tests).parts}
    assert layers <= {"unit", "integration", "browser"}, layers
