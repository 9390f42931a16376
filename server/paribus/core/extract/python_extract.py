"""Python files → hyperparameters: chunks read (and cached) apart, then resolved together.

Resolution across the file: argparse defaults that name a module constant or a module
dict entry take that value and span (the constant is then reported once, under the name
the code reads: the argparse ``dest``); ``set_defaults`` overrides a default; functions
passed to ``fire.Fire``/``typer.run``/``CLI`` report their parameter defaults.

Duplicates: the first occurrence of a name wins. Keywords of training calls are named
``Callee.param``; the n-th call of the same callee that reports anything is ``Callee#n.param``
(``Linear.out_features``, ``Linear#2.out_features``).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.python_source import Chunk, parse_readable, split_chunks
from paribus.core.extract.python_styles import read_chunk
from paribus.core.positions import Span

_CACHE_SIZE = 4096
_EVALUATION_WORDS = {"eval", "evaluate", "evaluation", "test", "predict", "inference", "infer"}
_chunk_cache: OrderedDict[str, ChunkFacts] = OrderedDict()


def _facts_of(chunks: list[Chunk]) -> list[tuple[int, ChunkFacts]]:
    """(line offset, facts) per chunk; facts of unchanged chunks come from the cache."""
    results: list[tuple[int, ChunkFacts]] = []
    pending: list[Chunk] = []

    def flush() -> None:
        unchanged = {id(chunk.text) for chunk in pending}
        for chunk, module in parse_readable(pending):
            facts = read_chunk(chunk.text, module)
            results.append((chunk.first_line - 1, facts))
            if id(chunk.text) in unchanged:  # not joined or repaired: safe to reuse by text
                _remember(chunk.text, facts)
        pending.clear()

    for chunk in chunks:
        cached = _chunk_cache.get(chunk.text)
        if cached is not None:
            _chunk_cache.move_to_end(chunk.text)
            flush()
            results.append((chunk.first_line - 1, cached))
        else:
            pending.append(chunk)
    flush()
    return results


def _remember(text: str, facts: ChunkFacts) -> None:
    _chunk_cache[text] = facts
    if len(_chunk_cache) > _CACHE_SIZE:
        _chunk_cache.popitem(last=False)


def _shifted(candidate: Candidate, offset: int) -> Candidate:
    if not offset:
        return candidate
    span = candidate.span
    shifted = Candidate.__new__(Candidate)  # cheaper than dataclasses.replace on every candidate
    shifted.__dict__.update(candidate.__dict__)
    shifted.span = Span(span.line + offset, span.column, span.end_line + offset, span.end_column)
    return shifted


class _ConditionJudge:
    """Whether a candidate's file-level condition holds (see ``Candidate.condition``).

    A module is a config when a chunk says so (``_base_``, ``read_base()``, ``LazyCall``) or
    its bindings hold at least two registry dicts; a value computed at run time
    (``args.batch_size = int(a * b)``) is no hyperparameter under that name; fields of a
    config class nested under a name are named by the path to it.
    """

    def __init__(self, all_facts: list[ChunkFacts]) -> None:
        self.config_module = any(facts.config_module for facts in all_facts) or (
            sum(facts.registry_dicts for facts in all_facts) >= 2)
        self.roots = set().union(*(facts.config_roots for facts in all_facts))
        if self.config_module:
            self.roots |= set().union(*(facts.imported_names for facts in all_facts))
        self.computed = set().union(*(facts.computed_fields for facts in all_facts))
        self.holders = {child: (name, holder) for facts in all_facts for child, name, holder in facts.nestings}
        packages = set().union(*(facts.packages for facts in all_facts))
        self.keras = bool(packages & {"keras", "tensorflow", "tf_keras"}) and "torch" not in packages

    def renamed(self, candidate: Candidate) -> Candidate:
        """A field of a nested config class under its path (``optimizer.lr``); Keras names."""
        if candidate.owner is None and candidate.parameter is None:
            return candidate
        if self.keras and candidate.parameter in vocabulary.KERAS_PARAMETERS:
            parameter = vocabulary.KERAS_PARAMETERS[candidate.parameter]
            name = candidate.name.rsplit(".", 1)[0] + "." + parameter
            return dataclasses.replace(candidate, name=name, parameter=parameter)
        prefix, owner, seen = "", candidate.owner, set()
        while owner in self.holders and owner not in seen:
            seen.add(owner)
            name, owner = self.holders[owner]
            prefix = f"{name}.{prefix}"
        return dataclasses.replace(candidate, name=prefix + candidate.name) if prefix else candidate

    def __call__(self, candidate: Candidate) -> bool:
        if candidate.name in self.computed:
            return False
        condition = candidate.condition
        if condition is None:
            return True
        if condition[0] == "root":
            return condition[1] in self.roots
        return self.config_module == (condition[0] == "config-module")


def python_candidates(text: str, accept: Callable[[Candidate], bool]) -> list[Candidate]:
    """The accepted candidates of the file, resolved, deduplicated, with file-relative spans.

    ``accept`` judges a resolved candidate (vocabulary and the user's include/exclude)
    before duplicates are numbered or dropped. Candidates stay chunk-relative (with their
    chunk's line offset beside them) until accepted: most of a file comes from the cache.
    """
    chunk_facts = _facts_of(split_chunks(text))

    bindings: dict[str, tuple[int, Candidate]] = {}
    dict_items: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    signatures: dict[str, tuple[int, list[Candidate]]] = {}
    cli_functions: list[tuple[str, str]] = []
    for offset, facts in chunk_facts:
        for name, candidate in facts.bindings.items():
            bindings.setdefault(name, (offset, candidate))
        for key, candidate in facts.dict_items.items():
            dict_items.setdefault(key, (offset, candidate))
        for name, defaults in facts.signatures.items():
            signatures.setdefault(name, (offset, defaults))
        cli_functions.extend(facts.cli_functions)
    holds = _ConditionJudge([facts for _, facts in chunk_facts])

    # (chunk number, line offset, candidate), references resolved to the binding they name.
    located: list[tuple[int, int, Candidate]] = []
    consumed: set[tuple[int, Span]] = set()  # bindings now reported under an argparse dest
    for chunk_number, (offset, facts) in enumerate(chunk_facts):
        for candidate in facts.candidates:
            if not holds(candidate):
                continue
            candidate = holds.renamed(candidate)
            if candidate.reference:
                source = (bindings.get(candidate.reference[1]) if candidate.reference[0] == "name"
                          else dict_items.get(candidate.reference[1:]))
                if source is not None:
                    source_offset, binding = source
                    consumed.add((source_offset, binding.span))
                    located.append((chunk_number, source_offset, dataclasses.replace(
                        candidate, value=binding.value, text=binding.text, span=binding.span,
                        literal=binding.literal)))
                    continue
            located.append((chunk_number, offset, candidate))
    for function_name, kind in cli_functions:
        if set(vocabulary.words(function_name)) & _EVALUATION_WORDS:
            continue  # an evaluate/predict command's defaults don't change training
        offset, defaults = signatures.get(function_name, (0, []))
        located.extend((-1, offset, dataclasses.replace(candidate, kind=kind))
                       for candidate in defaults if holds(candidate))

    by_name: dict[str, Candidate] = {}
    call_names: dict[tuple[int, int], str] = {}  # (chunk number, call id) → numbered callee
    callee_counts: dict[str, int] = {}
    for chunk_number, offset, candidate in located:
        if candidate.reference is None and (offset, candidate.span) in consumed:
            continue
        if candidate.name in by_name and not candidate.override:
            if candidate.call_id is None:
                continue
        if not accept(candidate):
            continue
        if candidate.call_id is not None and candidate.callee:
            call_key = (chunk_number, candidate.call_id)
            if call_key not in call_names:
                callee_counts[candidate.callee] = callee_counts.get(candidate.callee, 0) + 1
                ordinal = callee_counts[candidate.callee]
                call_names[call_key] = candidate.callee + (f"#{ordinal}" if ordinal > 1 else "")
            parameter = f".{candidate.parameter}" if candidate.parameter else ""
            candidate = dataclasses.replace(candidate, name=call_names[call_key] + parameter)
        if candidate.override and candidate.name in by_name:
            kind = by_name[candidate.name].kind
            by_name[candidate.name] = dataclasses.replace(_shifted(candidate, offset), kind=kind)
            continue
        if candidate.name not in by_name:
            by_name[candidate.name] = _shifted(candidate, offset)
    return list(by_name.values())
