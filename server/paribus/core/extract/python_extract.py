"""Python files → hyperparameters: chunks read (and cached) apart, then resolved together.

Resolution across the file: argparse defaults that name a module constant or a module
dict entry take that value and span (the constant is then reported once, under the name
the code reads: the argparse ``dest``); ``set_defaults`` overrides a default; functions
passed to ``fire.Fire``/``typer.run``/``CLI`` report their parameter defaults.

Duplicates: the first occurrence of a name wins. Keywords of training calls are named
``Callee.param``; the n-th call of the same callee that reports anything is ``Callee#n.param``
(``Linear.out_features``, ``Linear#2.out_features``).

Cost: a chunk's facts, the verdicts on its candidates and the values it places are kept with
the chunk (by its text), so a keystroke reads the chunk that changed and otherwise costs a
lookup per chunk and per value reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.model import Hyperparameter
from paribus.core.extract.python_source import Chunk, ChunkCache, parse_readable, split_chunks
from paribus.core.extract.python_styles import read_chunk
from paribus.core.positions import Span

# Facts of every chunk seen lately, by chunk text: room for several 100,000-line scripts.
CHUNK_CACHE_CHARS = 32_000_000
_EVALUATION_WORDS = {"eval", "evaluate", "evaluation", "test", "predict", "inference", "infer"}
_chunk_cache = ChunkCache(CHUNK_CACHE_CHARS)


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
                _chunk_cache.put(chunk.text, facts)
        pending.clear()

    cached_facts = _chunk_cache.get
    for chunk in chunks:
        cached = cached_facts(chunk.text)
        if cached is None:
            pending.append(chunk)
            continue
        if pending:
            flush()
        results.append((chunk.first_line - 1, cached))
    if pending:
        flush()
    return results


def _placed(candidate: Candidate, offset: int, kind: str | None = None) -> Hyperparameter:
    span = candidate.span
    if offset:
        span = Span(span.line + offset, span.column, span.end_line + offset, span.end_column)
    return Hyperparameter(candidate.name, candidate.value, candidate.text, kind or candidate.kind, span)


class _Plan(NamedTuple):
    """What one chunk may contribute, judged once per chunk and kept with its facts.

    ``entries``: (position, candidate, verdict) in order, rejected candidates left out;
    verdict None marks a candidate naming a binding, judged once resolved.
    """

    entries: list[tuple[int, Candidate, "bool | None"]]
    referencing: list[int]  # positions of the candidates naming a binding
    same_span: dict[Span, list[int]]  # positions of candidates by the span of their value


def _plan(facts: ChunkFacts, accept: Callable[[Candidate], bool], key: tuple | None) -> _Plan:
    entries: list[tuple[int, Candidate, bool | None]] = []
    referencing: list[int] = []
    for index, candidate in enumerate(facts.candidates):
        if candidate.reference:
            entries.append((index, candidate, None))
            referencing.append(index)
        elif accept(candidate):
            entries.append((index, candidate, True))
    same_span: dict[Span, list[int]] = {}
    if facts.bindings or facts.dict_items:
        for index, candidate in enumerate(facts.candidates):
            same_span.setdefault(candidate.span, []).append(index)
    plan = _Plan(entries, referencing, same_span)
    if key is not None:
        facts.memo[key] = plan
    return plan


_keys: dict[object, int] = {}  # each accept key as a small number: cheap to hash per chunk


def _memo_keys(accept_key: object) -> tuple[tuple | None, tuple | None]:
    """Where plans and resolutions are kept in a chunk's memo (None: not kept)."""
    if accept_key is None:
        return None, None
    number = _keys.setdefault(accept_key, len(_keys))
    return ("plan", number), ("resolved", number)


def _placed_from(facts: ChunkFacts, index: int, base: Candidate, candidate: Candidate, offset: int) -> Hyperparameter:
    """``candidate`` (from ``base``, the chunk's candidate at ``index`` or what it resolved to,
    maybe renamed) placed at ``offset``; kept with the facts while all three stay the same."""
    key = ("placed", index)
    kept = facts.memo.get(key)
    if kept is not None and kept[0] is base and kept[1] == offset and kept[2] == candidate.name:
        return kept[3]
    placed = _placed(candidate, offset)
    facts.memo[key] = (base, offset, candidate.name, placed)
    return placed


class _Assembly:
    """The file's hyperparameters, offered in file order: numbered, overridden, first one wins."""

    def __init__(self) -> None:
        self.by_name: dict[str, Hyperparameter] = {}
        self.call_names: dict[tuple[int, int], str] = {}  # (chunk number, call id) → numbered callee
        self.callee_counts: dict[str, int] = {}

    def offer(self, chunk_number: int, offset: int, candidate: Candidate, accepted: bool,
              facts: ChunkFacts | None = None, index: int = 0) -> None:
        by_name = self.by_name
        if candidate.name in by_name and not candidate.override and candidate.call_id is None:
            return
        if not accepted:
            return
        base = candidate
        if candidate.call_id is not None and candidate.callee:
            call_key = (chunk_number, candidate.call_id)
            if call_key not in self.call_names:
                ordinal = self.callee_counts[candidate.callee] = self.callee_counts.get(candidate.callee, 0) + 1
                self.call_names[call_key] = candidate.callee + (f"#{ordinal}" if ordinal > 1 else "")
            parameter = candidate.name.split(".", 1)[1]
            candidate = dataclasses.replace(candidate, name=f"{self.call_names[call_key]}.{parameter}")
        if candidate.override and candidate.name in by_name:
            by_name[candidate.name] = _placed(candidate, offset, kind=by_name[candidate.name].kind)
        elif candidate.name not in by_name:
            by_name[candidate.name] = _placed_from(facts, index, base, candidate, offset) if facts is not None else _placed(candidate, offset)


class _Resolution(NamedTuple):
    """A reference resolved against one binding object; kept while that binding stands."""

    binding: Candidate
    candidate: Candidate  # the referencing candidate with the binding's value, text and span
    accepted: bool
    consumed: list[int]  # positions in the binding's chunk of the candidates it stands for


def python_hyperparameters(
    text: str,
    accept: Callable[[Candidate], bool],
    source: str | None = None,
    accept_key: object = None,
) -> list[Hyperparameter]:
    """The accepted hyperparameters of the file, resolved, deduplicated, sorted by span.

    ``accept`` judges a resolved candidate (vocabulary and the user's include/exclude)
    before duplicates are numbered or dropped; ``accept_key`` (hashable) names what it
    decides by, so that verdicts on unchanged chunks are reused (without it, every
    candidate is judged on every call). ``source`` (the file's path) lets the next text of
    the same file be cut incrementally.
    """
    plan_key, resolved_key = _memo_keys(accept_key)
    chunk_facts = _facts_of(split_chunks(text, source))

    # name → (chunk number, line offset, binding): the first binding of each name wins.
    bindings: dict[str, tuple[int, int, Candidate]] = {}
    dict_items: dict[tuple[str, ...], tuple[int, int, Candidate]] = {}
    signatures: dict[str, tuple[int, list[Candidate]]] = {}
    cli_functions: list[tuple[str, str]] = []
    plans: list[_Plan] = []
    referencing_chunks: list[int] = []
    for chunk_number, (offset, facts) in enumerate(chunk_facts):
        plan = facts.memo.get(plan_key) or _plan(facts, accept, plan_key)
        plans.append(plan)
        if plan.referencing:
            referencing_chunks.append(chunk_number)
        if facts.bindings:
            for name, candidate in facts.bindings.items():
                if name not in bindings:
                    bindings[name] = (chunk_number, offset, candidate)
        if facts.dict_items:
            for key, candidate in facts.dict_items.items():
                if key not in dict_items:
                    dict_items[key] = (chunk_number, offset, candidate)
        if facts.signatures:
            for name, defaults in facts.signatures.items():
                if name not in signatures:
                    signatures[name] = (offset, defaults)
        if facts.cli_functions:
            cli_functions.extend(facts.cli_functions)

    # References resolved to the binding they name: (chunk number, position) → (offset, resolution).
    resolved: dict[tuple[int, int], tuple[int, _Resolution]] = {}
    consumed: set[tuple[int, int]] = set()  # (chunk number, position) of bindings now reported under an argparse dest
    for chunk_number in referencing_chunks:
        facts = chunk_facts[chunk_number][1]
        for index in plans[chunk_number].referencing:
            candidate = facts.candidates[index]
            found = (bindings.get(candidate.reference[1]) if candidate.reference[0] == "name"
                     else dict_items.get(candidate.reference[1:]))
            if found is None:
                continue
            binding_chunk, binding_offset, binding = found
            resolution = facts.memo.get((resolved_key, index)) if resolved_key else None
            if resolution is None or resolution.binding is not binding:
                replaced = dataclasses.replace(candidate, value=binding.value, text=binding.text,
                                               span=binding.span, literal=binding.literal)
                same_span = plans[binding_chunk].same_span.get(binding.span, [])
                resolution = _Resolution(binding, replaced, accept(replaced), same_span)
                if resolved_key:
                    facts.memo[(resolved_key, index)] = resolution
            resolved[(chunk_number, index)] = (binding_offset, resolution)
            consumed.update((binding_chunk, position) for position in resolution.consumed)
    consumed_chunks = {chunk_number for chunk_number, _ in consumed}

    assembly = _Assembly()
    by_name = assembly.by_name
    for chunk_number, ((offset, facts), plan) in enumerate(zip(chunk_facts, plans)):
        if not plan.entries:
            continue
        check_consumed = chunk_number in consumed_chunks
        for index, candidate, verdict in plan.entries:
            if verdict is None:
                hit = resolved.get((chunk_number, index))
                if hit is not None:
                    source_offset, resolution = hit
                    assembly.offer(chunk_number, source_offset, resolution.candidate, resolution.accepted, facts, index)
                else:
                    assembly.offer(chunk_number, offset, candidate, accept(candidate))
            elif check_consumed and (chunk_number, index) in consumed:
                continue
            elif candidate.call_id is None and not candidate.override:
                if candidate.name not in by_name:
                    by_name[candidate.name] = _placed_from(facts, index, candidate, candidate, offset)
            else:
                assembly.offer(chunk_number, offset, candidate, True, facts, index)
    if cli_functions:
        consumed_spans = {(chunk_facts[number][0], chunk_facts[number][1].candidates[position].span) for number, position in consumed}
    for function_name, kind in cli_functions:
        if set(vocabulary.words(function_name)) & _EVALUATION_WORDS:
            continue  # an evaluate/predict command's defaults don't change training
        offset, defaults = signatures.get(function_name, (0, []))
        for candidate in defaults:
            if (offset, candidate.span) in consumed_spans:
                continue
            declared = dataclasses.replace(candidate, kind=kind)
            assembly.offer(-1, offset, declared, accept(declared))
    return sorted(by_name.values(), key=_position)


def _position(parameter: Hyperparameter) -> tuple:
    span = parameter.span
    return (span.line, span.column, span.end_line, span.end_column, parameter.name)
