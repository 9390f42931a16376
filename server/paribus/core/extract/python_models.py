"""Reading models and augmentation pipelines: which layer a model's methods return (its output
layer), and which calls are augmentation steps (``Compose([...])``, ``Random*``)."""

from __future__ import annotations

import ast

from paribus.core.extract.python_source import callee_name

# Calls whose list argument is a pipeline of augmentations (torchvision, albumentations, kornia…).
_PIPELINE_CALLS = frozenset("Compose RandomApply RandomChoice RandomOrder OneOf SomeOf".split())


def _self_calls(node: ast.AST) -> set[str]:
    """``critic`` in ``self.critic(x)``: the attributes whose output an expression gives (the
    outermost calls: ``self.head(self.encoder(x))`` gives ``head``'s)."""
    found, pending = set(), [node]
    while pending:
        inner = pending.pop()
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and isinstance(
                inner.func.value, ast.Name) and inner.func.value.id == "self":
            found.add(inner.func.attr)
        else:
            pending.extend(ast.iter_child_nodes(inner))
    return found


def returned_attributes(node: ast.ClassDef) -> set[str]:
    """The attributes whose output a method returns, directly or through local variables
    (``x = self.fc2(x); output = F.log_softmax(x); return output`` returns ``fc2``). Only the
    statements a return depends on are read, from the return backwards."""
    returned: set[str] = set()
    for method in node.body:
        if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            statements = _in_order(method.body)
            for index, statement in enumerate(statements):
                if isinstance(statement, ast.Return) and statement.value is not None:
                    returned |= _carried(statement.value, statements, index, set())
    return returned


def _in_order(statements: list[ast.stmt]) -> list[ast.stmt]:
    """The assignments and returns of a function body, nested blocks included, in source order."""
    found: list[ast.stmt] = []
    for statement in statements:
        if isinstance(statement, (ast.Assign, ast.Return)):
            found.append(statement)
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody"):
                found += _in_order(getattr(statement, field, []))
    return found


def _carried(expression: ast.AST, statements: list[ast.stmt], before: int, seen: set[int]) -> set[str]:
    """The layers whose output ``expression`` carries: its own ``self.x(...)`` calls, else those its
    names were last assigned from."""
    called = _self_calls(expression)
    if called:
        return called
    carried: set[str] = set()
    for name in {inner.id for inner in ast.walk(expression) if isinstance(inner, ast.Name)}:
        for index in range(before - 1, -1, -1):
            statement = statements[index]
            if isinstance(statement, ast.Assign) and any(
                    isinstance(inner, ast.Name) and inner.id == name
                    for target in statement.targets for inner in ast.walk(target)):
                if index not in seen:
                    carried |= _carried(statement.value, statements, index, seen | {index})
                break
    return carried


def is_augmentation(name: str) -> bool:
    """``RandomFlip``, ``RandomZoom``, ``RandomBrightnessContrast``: a random augmentation, whatever library."""
    return name.startswith("Random") and name[6:7].isupper()


def pipeline_steps(call: ast.Call) -> list[ast.Call]:
    """The class constructions listed in ``Compose([...])``: each step is an augmentation."""
    if callee_name(call) not in _PIPELINE_CALLS or not call.args or not isinstance(call.args[0], (ast.List, ast.Tuple)):
        return []
    return [step for step in call.args[0].elts if isinstance(step, ast.Call) and callee_name(step)[:1].isupper()]
