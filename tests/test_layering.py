"""The package's layering, read from the source with ``ast`` (nothing is imported).

- ``core/`` imports only ``core/`` (and the standard library): it is the part everything else
  stands on, and the part a compiled core could replace.
- Layers point one way: no subpackage imports one above it (the order below), so there is no
  import cycle between subpackages; within the package, the module import graph has no cycle.
- No module imports another module's ``_private`` name.
- No import of symdiff code inside a function (the way cycles get dodged).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symdiff"

#: Subpackages from the bottom up: each may import those before it, never those after it.
LAYERS = ["core", "syntax", "printing", "calculus", "numeric", "rewriting", "interop",
          "codegen", "verify", "teaching", "cli"]
#: Top-level modules and where they sit: the version is at the bottom, the public API on top.
TOP_LEVEL = {"version": -1, "__init__": len(LAYERS), "__main__": len(LAYERS) + 1}
#: Third-party packages a layer may import at module level (the core needs none).
HEAVY = {"sympy", "numpy", "graphviz", "lark"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(), str(p)) for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").is_file()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name a ``from ... import`` refers to."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, tree: ast.Module):
    """(imported module, names, node, inside a function?) for every import in the module."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node, id(node) in inside
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = [a.name for a in node.names]
            submodules = [f"{target}.{n}" for n in names if _is_package(target)
                          and (PACKAGE.parent / Path(*target.split("."), n + ".py")).is_file()]
            yield target, [n for n in names if f"{target}.{n}" not in submodules], node, id(node) in inside
            for sub in submodules:
                yield sub, [], node, id(node) in inside


def _layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return TOP_LEVEL["__init__"]
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return TOP_LEVEL[parts[1]]


MODULES = _modules()


def _internal_edges():
    for module, tree in MODULES.items():
        for target, names, node, nested in _imports(module, tree):
            if target == "symdiff" or target.startswith("symdiff."):
                yield module, target, names, node, nested


def test_every_subpackage_has_a_layer():
    found = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert found == set(LAYERS)


def test_core_imports_only_core_and_the_standard_library():
    bad = []
    for module, tree in MODULES.items():
        if not module.startswith("symdiff.core"):
            continue
        for target, _, node, _ in _imports(module, tree):
            if target.startswith("symdiff") and not target.startswith("symdiff.core"):
                bad.append(f"{module}:{node.lineno} imports {target}")
            elif target.split(".")[0] in HEAVY:
                bad.append(f"{module}:{node.lineno} imports {target}")
    assert not bad, "\n".join(bad)


def test_layers_point_one_way():
    bad = [f"{module}:{node.lineno} imports {target}"
           for module, target, _, node, _ in _internal_edges()
           if _layer(target) > _layer(module)]
    assert not bad, "\n".join(bad)


def test_no_private_names_cross_modules():
    bad = [f"{module}:{node.lineno} imports {name} from {target}"
           for module, target, names, node, _ in _internal_edges()
           for name in names if name.startswith("_") and not name.startswith("__")
           and target != module]
    assert not bad, "\n".join(bad)


def test_no_symdiff_import_inside_a_function():
    bad = [f"{module}:{node.lineno} imports {target} inside a function"
           for module, target, _, node, nested in _internal_edges() if nested]
    assert not bad, "\n".join(bad)


def test_the_module_graph_has_no_cycle():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, target, _, _, nested in _internal_edges():
        if target in graph and target != module and not nested:
            graph[module].add(target)
    # Tarjan-free check: repeatedly remove modules that import nothing left.
    remaining = {m: set(t) for m, t in graph.items()}
    while True:
        leaves = [m for m, targets in remaining.items() if not targets]
        if not leaves:
            break
        for leaf in leaves:
            del remaining[leaf]
        for targets in remaining.values():
            targets.difference_update(leaves)
    assert not remaining, f"modules in an import cycle: {sorted(remaining)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    path = PACKAGE.parent / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    assert len(path.read_text().splitlines()) <= 420, f"{module} has grown past ~400 lines"
