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
