"""What one chunk of Python tells about hyperparameters, before names are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paribus.core.positions import Span


@dataclass
class Candidate:
    """A possible hyperparameter; lines are relative to its chunk until assembled.

    ``reference`` names a module binding the value comes from (``("name", "DEFAULT_LR")``
    or ``("item", "defaults", "lr")``); ``call_id`` groups the keywords of one training call
    (``callee`` is its class or function name) so duplicates can be numbered.
    """

    name: str
    value: Any
    text: str
    kind: str
    span: Span
    literal: bool = True
    local: bool = False
    keyword_only: bool = False
    override: bool = False
    reference: tuple[str, ...] | None = None
    callee: str | None = None
    call_id: int | None = None


@dataclass
class ChunkFacts:
    candidates: list[Candidate] = field(default_factory=list)
    # Module-level literal bindings: ``NAME`` → candidate, and ``(dict name, key)`` → candidate.
    bindings: dict[str, Candidate] = field(default_factory=dict)
    dict_items: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    # Defaults of every function's (or class ``__init__``'s) parameters, by function name.
    signatures: dict[str, list[Candidate]] = field(default_factory=dict)
    # Functions whose signature is a CLI: ``fire.Fire(main)`` → ``("main", "fire")``.
    cli_functions: list[tuple[str, str]] = field(default_factory=list)
    # What the file-wide resolution derived from these facts (verdicts, placed values): it
    # lives as long as the facts stay cached, so unchanged chunks cost a lookup per keystroke.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
