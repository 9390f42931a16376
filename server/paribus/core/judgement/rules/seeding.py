"""PB105: randomness seeded, so that runs differ only by what the log says changed."""

from __future__ import annotations

import ast
from typing import Iterable

from paribus.core.actions.fixes import insert_lines_after
from paribus.core.judgement.findings import Finding, Fix, Severity
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.positions import Span

# Calls that seed each framework; a framework-wide seeder (Lightning, transformers) seeds all.
_SEEDERS = {
    "random": {"seed"},
    "numpy": {"seed", "default_rng", "RandomState"},
    "torch": {"manual_seed", "manual_seed_all"},
    "tensorflow": {"set_seed"},
}
_SEED_ALL = {"seed_everything", "set_seed", "set_random_seed", "seed_all", "fix_seed", "set_seeds", "seed_torch", "set_global_seed"}
_SEED_LINES = {
    "random": "{alias}.seed(SEED)",
    "numpy": "{alias}.random.seed(SEED)",
    "torch": "{alias}.manual_seed(SEED)",
    "tensorflow": "{alias}.random.set_seed(SEED)",
}


@register
class UnseededRandomness(Rule):
    """Randomness is not seeded, so run-to-run noise confounds comparisons.

    ## What it does
    Reports a training script that imports `random`, `numpy`, `torch` or `tensorflow` and
    never seeds it (`random.seed`, `np.random.seed`/`default_rng(seed)`, `torch.manual_seed`,
    `tf.random.set_seed`, or a seed-everything helper).

    ## Why is this bad?
    Unseeded runs differ by chance alone: a 1-point gain may be noise, and one change at a
    time means nothing if the second "change" is the random seed.

    ## Example
    ```python
    import torch
    model = torch.nn.Linear(10, 2)   # initialised differently on every run
    ```

    ## Fix
    *Seed random generators* inserts `SEED = 0` and one seeding call per imported library
    after the imports.
    """

    code = "PB105"
    name = "unseeded-randomness"
    severity = Severity.WARNING
    VALID = [Example({"train.py": "import random\nimport numpy as np\nrandom.seed(0)\nnp.random.seed(0)\n"})]
    INVALID = [Example({"train.py": "import numpy as np\nimport torch\n\ntorch.manual_seed(1)\nx = np.random.rand(3)\n"}, expect=(("train.py", 1),))]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            imported: dict[str, tuple[str, int]] = {}
            for offset, found in script.per_chunk("pb105-imports", _imported_frameworks):
                for name, (alias, line) in found.items():
                    imported.setdefault(name, (alias, line + offset))
            if not imported:
                continue
            calls = [call for _, found in script.per_chunk("pb105-calls", _seed_calls) for call in found]
            if any(called in _SEED_ALL for _, called in calls):
                continue
            by_alias = {alias: name for name, (alias, _) in imported.items()}
            seeded = {by_alias[root] for root, called in calls if root in by_alias and called in _SEEDERS[by_alias[root]]}
            unseeded = {name: spot for name, spot in imported.items() if name not in seeded}
            if not unseeded:
                continue
            first_line = min(line for _, line in unseeded.values())
            names = ", ".join(sorted(unseeded))
            message = f"{names} not seeded: run-to-run noise will confound comparisons between runs"
            fix = Fix("Seed random generators", build=lambda script=script, unseeded=unseeded: _seed_fix(script, script.tree, unseeded), preferred=True)
            yield self.finding(script.path, Span.of_line(first_line, script.lines[first_line - 1]), message, [fix])


def _imported_frameworks(tree: ast.Module) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in _SEEDERS and alias.name == root and root not in found:
                    found[root] = (alias.asname or root, node.lineno)
    return found


def _seed_calls(tree: ast.Module) -> list[tuple[str | None, str]]:
    """(root name, called name) of every call that could seed: `np.random.seed(0)` → ("np", "seed")."""
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            calls.append((None, func.id))
        elif isinstance(func, ast.Attribute):
            if func.attr == "default_rng" and not (node.args or node.keywords):
                continue  # an unseeded generator
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            calls.append((root.id if isinstance(root, ast.Name) else None, func.attr))
    return calls


def _seed_fix(script, tree: ast.Module, unseeded: dict[str, tuple[str, int]]) -> Fix:
    last_import = max(node.end_lineno for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))
    has_seed = any(
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SEED" for t in node.targets) for node in tree.body
    )
    lines = [] if has_seed else ["", "SEED = 0  # fixed so that runs differ only by what the log says changed"]
    lines += [_SEED_LINES[name].format(alias=alias) for name, (alias, _) in sorted(unseeded.items())]
    return Fix("Seed random generators", (insert_lines_after(script.path, last_import, "\n".join(lines) + "\n"),), preferred=True)
