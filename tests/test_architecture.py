"""The package's shape: no import cycles among its modules, and no module longer than 800 lines.

Read from the source with :mod:`ast`, nothing is imported. Every import counts: at the top, inside
functions and under ``if TYPE_CHECKING`` (a function-local import only postpones a cycle, and a
type-only one still ties the two modules together). ``DIVAECON_ARCH_ROOT`` points the checks at
another copy of the package (e.g. ``DIVAECON_ARCH_ROOT=/other/checkout/divaecon``).

How an import becomes an edge of the graph of modules:

- ``import divaecon.a.b`` and ``from divaecon.a import b`` (``b`` a submodule) lead to ``divaecon.a.b``;
- ``from divaecon.a import name`` leads to the module that defines ``name``: ``divaecon.a`` itself,
  or, when ``divaecon/a/__init__.py`` re-exports it, the submodule it comes from (followed through
  re-exports of re-exports); relative imports are resolved first;
- a package's ``__init__`` importing its own submodules is an edge like any other, so importing a
  package from outside reaches everything it re-exports; an edge from a module to a package it
  belongs to is left out (Python has run or is running that ``__init__`` already, and the names it
  re-exports were resolved to their submodules above), so re-exporting makes no cycle by itself.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

PACKAGE = "divaecon"
ROOT = Path(os.environ.get("DIVAECON_ARCH_ROOT", Path(__file__).resolve().parents[1] / PACKAGE))
MAX_LINES = 800


def package_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package by its ``__init__``)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _absolute(name: str, node: ast.ImportFrom, modules: dict[str, Path]) -> str:
    """The module an ``ImportFrom`` names, relative imports resolved against ``name``."""
    if not node.level:
        return node.module or ""
    here = name if _is_package(name, modules) else name.rpartition(".")[0]
    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _reexports(package: str, modules: dict[str, Path]) -> dict[str, tuple[str, str]]:
    """``name -> (module, name there)`` for what a package's ``__init__`` imports at its top level."""
    out = {}
    tree = ast.parse(modules[package].read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = _absolute(package, node, modules)
            for alias in node.names:
                out[alias.asname or alias.name] = (source, alias.name)
    return out


def _defining_module(module: str, name: str, modules: dict[str, Path], seen: frozenset[str] = frozenset()) -> str:
    """The module of the package where ``from module import name`` finds ``name`` defined."""
    if f"{module}.{name}" in modules:
        return f"{module}.{name}"
    if module in modules and _is_package(module, modules) and module not in seen:
        source, original = _reexports(module, modules).get(name, (module, name))
        if source != module and (source in modules or source.rpartition(".")[0] in modules):
            return _defining_module(source, original, modules, seen | {module})
    return _nearest(module, modules)


def _nearest(name: str, modules: dict[str, Path]) -> str:
    """``name``, or its longest prefix that is a module of the package ('' when none is)."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (see the module docstring for the rules)."""
    modules = package_modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets |= {_nearest(alias.name, modules) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(name, node, modules)
                if source.split(".")[0] != PACKAGE:
                    continue
                for alias in node.names:
                    targets.add(
                        _nearest(source, modules)
                        if alias.name == "*"
                        else _defining_module(source, alias.name, modules)
                    )
        graph[name] = {t for t in targets if t and t != name and not name.startswith(t + ".")}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) per strongly connected group of modules that has one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    cycles = []
    for group in groups:  # the shortest way from the group's first module back to it
        members, start = set(group), group[0]
        came_from: dict[str, str] = {}
        frontier, node = [start], ""
        while frontier and start not in came_from:
            node = frontier.pop(0)
            for w in sorted(graph[node] & members):
                if w not in came_from:
                    came_from[w] = node
                    frontier.append(w)
        path = [start]
        while path[-1] != start or len(path) == 1:
            path.append(came_from[path[-1]])
        cycles.append(path[::-1])
    return cycles


def test_the_checks_see_the_package():
    modules = package_modules()
    assert f"{PACKAGE}.quote" in modules, f"no package at {ROOT}"
    graph = import_graph()
    assert f"{PACKAGE}.quote" in graph[f"{PACKAGE}.cli"]


def test_no_import_cycles():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles among the package's modules:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_over_800_lines():
    long = {
        name: n
        for name, path in package_modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (cut them by topic): " + ", ".join(
        f"{name} ({n})" for name, n in sorted(long.items())
    )


def test_the_rules_on_a_small_package(tmp_path):
    """A type-only import and a function-local one still close a cycle; a package re-exporting its
    submodules does not, and a name taken from a package is traced to the submodule defining it."""
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from divaecon.b import B\n",
        "b.py": "def f():\n    from . import a\n",
        "sub/__init__.py": "from divaecon.sub.x import X\nfrom divaecon.sub.y import Y\n",
        "sub/x.py": "X = 1\n",
        "sub/y.py": "from divaecon.sub import X\nY = X\n",
        "c.py": "from divaecon.sub import Y\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text, encoding="utf-8")
    graph = import_graph(pkg)
    assert graph[f"{PACKAGE}.sub.y"] == {f"{PACKAGE}.sub.x"}
    assert graph[f"{PACKAGE}.c"] == {f"{PACKAGE}.sub.y"}
    assert find_cycles(graph) == [[f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.a"]]
