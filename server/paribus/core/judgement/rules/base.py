"""What a rule is: a code, a name, a default severity, docs, examples and a check.

The docs live in the class docstring under fixed headings (What it does / Why is this bad? /
Example / Fix), so hover, ``paribus rule PB101`` and the docs page all show the same text.
``VALID`` and ``INVALID`` are small projects (file name → text) that the test suite turns
into tests; an invalid example lists the (file, line) where the rule must fire.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable

from paribus.core.judgement.findings import Finding, Fix, Severity
from paribus.core.positions import Span

if TYPE_CHECKING:
    from paribus.core.model.project import CheckContext


@dataclass(frozen=True)
class Example:
    files: dict[str, str | bytes]  # bytes: a file that is not UTF-8
    expect: tuple[tuple[str, int], ...] = field(default=())  # (file, 1-based line) per finding


class BuiltWhenRead:
    """Examples built each time they are read, for one that is too big to build at every start
    (a file over the size limit): ``INVALID = BuiltWhenRead(lambda: [...])``."""

    def __init__(self, build: Callable[[], list[Example]]) -> None:
        self.build = build

    def __get__(self, instance: object, owner: type) -> list[Example]:
        return self.build()


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, path: Path, span: Span, message: str, fixes: Iterable[Fix] = (), severity: Severity | None = None) -> Finding:
        return Finding(self.code, message, severity or self.severity, path, span, tuple(fixes))

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n\n", 1)[0].strip()

    @classmethod
    def section(cls, heading: str) -> str:
        match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", cls.docs(), re.S | re.M)
        return match.group(1).strip() if match else ""

    @classmethod
    def markdown(cls) -> str:
        return f"**{cls.code}** `{cls.name}` · default severity {cls.severity.value}\n\n{cls.docs()}"


RULES: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    for heading in ("What it does", "Why is this bad?", "Example"):
        assert f"## {heading}" in (rule.__doc__ or ""), f"{rule.__name__} docs lack '## {heading}'"
    RULES[rule.code] = rule
    return rule
