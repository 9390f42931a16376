"""The analysis core knows nothing of the protocol."""

from __future__ import annotations

import ast
from pathlib import Path

import paribus.core

CORE = Path(paribus.core.__file__).parent


def test_core_never_imports_pygls_or_lsprotocol() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE)}: {n}" for n in names if n.split(".")[0] in {"pygls", "lsprotocol", "paribus.lsp"} or n.startswith("paribus.lsp")]
    assert offenders == []


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    """The paribus modules ``path`` imports (at module level only, or anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import submodule` runs the submodule; `from module import name` the module.
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & MODULES.keys()
            found |= submodules or {node.module}
    return {name for name in found if name.startswith("paribus.core")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in CORE.rglob("*.py")}


def test_the_model_never_imports_the_judgement_or_the_actions() -> None:
    upward = ("paribus.core.judgement", "paribus.core.actions")
    offenders = [
        f"{name} imports {target}"
        for name, path in MODULES.items() if name.startswith("paribus.core.model")
        for target in _imports(path, top_level_only=False) if target.startswith(upward)
    ]
    assert offenders == []


def test_core_modules_import_each_other_without_cycles() -> None:
    """Deferred imports count too: a cycle through a function body is still a cycle."""
    graph = {
        name: {target for target in _imports(path, top_level_only=False) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }
    visiting, done, cycles = set(), set(), []

    def visit(name: str, trail: list[str]) -> None:
        if name in done:
            return
        if name in visiting:
            cycles.append(trail[trail.index(name):] + [name])
            return
        visiting.add(name)
        for target in sorted(graph[name]):
            visit(target, trail + [target])
        visiting.discard(name)
        done.add(name)

    for name in sorted(graph):
        visit(name, [name])
    assert cycles == []
