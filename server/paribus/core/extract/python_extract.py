"""Python files → hyperparameters: chunks read (and cached) apart, then resolved together.

Resolution across the file: argparse defaults that name a module constant or a module
dict entry take that value and span (the constant is then reported once, under the name
the code reads: the argparse ``dest``); ``set_defaults`` overrides a default; functions
passed to ``fire.Fire``/``typer.run``/``CLI`` report their parameter defaults.

Duplicates: the first occurrence of a name wins. Keywords of training calls (and of calls to
functions and classes the file defines) are named ``Callee.param``; the n-th call of the same
callee in the file is ``Callee#n.param`` (``Linear.out_features``, ``Linear#2.out_features``),
whether or not the calls before it report anything; a call assigned to an attribute is named
by the attribute (``dropout2``, ``fc1.out_features``) and counts apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from paribus.core.extract import vocabulary
from paribus.core.extract.candidates import Candidate, ChunkFacts
from paribus.core.extract.python_source import Chunk, ChunkCache, parse_readable, split_chunks
from paribus.core.extract.python_styles import read_chunk
from paribus.core.positions import Span

# Facts of every chunk seen lately, by chunk text: room for several 100,000-line scripts.
CHUNK_CACHE_CHARS = 32_000_000
_ENTRY_POINT_SETTINGS = 3  # an entry point with fewer literal settings is a helper, not a CLI
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

    A module is a config when a chunk says so (``_base_``, ``read_base()``, ``LazyCall``), its
    bindings hold at least two registry dicts, or it only imports and assigns, dicts among them; a value computed at run time
    (``args.batch_size = int(a * b)``) is no hyperparameter under that name; fields of a
    config class nested under a name are named by the path to it.
    """

    def __init__(self, chunk_facts: list[tuple[int, ChunkFacts]], parameters: dict[str, list[str]]) -> None:
        all_facts = [facts for _, facts in chunk_facts]
        self.parameters = parameters
        self.config_module = any(facts.config_module for facts in all_facts) or (
            sum(facts.registry_dicts for facts in all_facts) >= 2) or (
            all(facts.plain for facts in all_facts) and any(facts.dict_bindings for facts in all_facts))
        self.roots = set().union(*(facts.config_roots for facts in all_facts))
        if self.config_module:
            self.roots |= set().union(*(facts.imported_names for facts in all_facts))
        self.computed = set().union(*(facts.computed_fields for facts in all_facts))
        # class → [(name, holder class, {field: (line offset, value set by the holder)})]
        self.holders: dict[str, list[tuple[str, str | None, dict[str, tuple[int, Candidate]]]]] = {}
        for offset, facts in chunk_facts:
            for child, name, holder, overrides in facts.nestings:
                values = {override.name: (offset, override) for override in overrides}
                self.holders.setdefault(child, []).append((name, holder, values))
        packages = set().union(*(facts.packages for facts in all_facts))
        self.keras = bool(packages & {"keras", "tensorflow", "tf_keras"}) and "torch" not in packages

    def expanded(self, offset: int, candidate: Candidate) -> list[tuple[int, Candidate]]:
        """The candidate under each name the file gives it: a field of a config class nested
        under a name once per place it is held (``gender.num_units``, ``age_group.num_units``,
        with the value the holder sets); Keras parameter names in a Keras file."""
        if candidate.owner is None and candidate.parameter is None:
            return [(offset, candidate)]
        if candidate.parameter.startswith("#") if candidate.parameter else False:
            names = self.parameters.get(candidate.condition[1], []) if candidate.condition else []
            index = int(candidate.parameter[1:])
            if index >= len(names):
                return []
            name = candidate.name.rsplit(".", 1)[0] + "." + names[index]
            return [(offset, dataclasses.replace(candidate, name=name, parameter=names[index]))]
        if self.keras and candidate.parameter in vocabulary.KERAS_PARAMETERS:
            parameter = vocabulary.KERAS_PARAMETERS[candidate.parameter]
            name = candidate.name.rsplit(".", 1)[0] + "." + parameter
            return [(offset, dataclasses.replace(candidate, name=name, parameter=parameter))]
        if candidate.owner not in self.holders:
            return [(offset, candidate)]
        found = []
        for prefix, values in self._paths(candidate.owner, frozenset()):
            source_offset, source = values.get(candidate.name, (offset, candidate))
            found.append((source_offset, dataclasses.replace(source, name=prefix + candidate.name, owner=None)))
        return found

    def _paths(self, owner: str, seen: frozenset[str]) -> list[tuple[str, dict]]:
        """(name prefix, values the innermost holder sets) of every place ``owner`` is held."""
        if owner not in self.holders or owner in seen:
            return [("", {})]
        paths = []
        for name, holder, values in self.holders[owner]:
            own = "" if holder is None and vocabulary.is_config_root(name) else f"{name}."
            paths += [(outer + own, values) for outer, _ in self._paths(holder, seen | {owner})]
        return paths

    def __call__(self, candidate: Candidate) -> bool:
        if candidate.name in self.computed:
            return False
        condition = candidate.condition
        if condition is None:
            return True
        if condition[0] == "root":
            return condition[1] in self.roots
        if condition[0] == "defined":
            return condition[1] in self.parameters
        return self.config_module == (condition[0] == "config-module")


def _defaults_left(first_calls, parameters, signatures, exposed, holds) -> list[tuple[int, int, Candidate]]:
    """The defaults a construction of a class of this file leaves to its signature are the
    values it runs with: ``DINOLoss(dim, n)`` with ``student_temp=0.1`` → ``DINOLoss.student_temp``."""
    found = []
    for callee, (positional, passed) in first_calls.items():
        if (callee not in parameters or callee in exposed or not callee[:1].isupper()
                or set(vocabulary.words(callee)) & _EVALUATION_WORDS):
            continue  # a class the file builds (``DINOLoss(...)``), not a helper function
        offset, defaults = signatures.get(callee, (0, []))
        names = parameters[callee]
        given = set(names[:positional]) | set(passed)
        found += [(-1, offset, dataclasses.replace(candidate, name=f"{callee}.{candidate.name}", kind="call",
                                                   keyword_only=True))
                  for candidate in defaults if candidate.name not in given and "." not in candidate.name
                  and holds(candidate)]
    return found


def python_candidates(
    text: str, accept: Callable[[Candidate], bool], source: str | None = None, accept_key: object = None
) -> list[Candidate]:
    """The accepted candidates of the file, resolved, deduplicated, with file-relative spans.

    ``accept`` judges a resolved candidate (vocabulary and the user's include/exclude)
    before duplicates are numbered or dropped. Candidates stay chunk-relative (with their
    chunk's line offset beside them) until accepted: most of a file comes from the cache.
    ``source`` (the file's path) lets the next text of the same file be cut incrementally.
    """
    chunk_facts = _facts_of(split_chunks(text, source))

    bindings: dict[str, tuple[int, Candidate]] = {}
    dict_items: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    signatures: dict[str, tuple[int, list[Candidate]]] = {}
    cli_functions: list[tuple[str, str, str]] = []
    parameters: dict[str, list[str]] = {}
    entry_points: list[str] = []
    for offset, facts in chunk_facts:
        for name, candidate in facts.bindings.items():
            bindings.setdefault(name, (offset, candidate))
        for key, candidate in facts.dict_items.items():
            dict_items.setdefault(key, (offset, candidate))
        for name, defaults in facts.signatures.items():
            signatures.setdefault(name, (offset, defaults))
        cli_functions.extend(facts.cli_functions)
        for name, names in facts.parameters.items():
            parameters.setdefault(name, names)
        entry_points.extend(facts.entry_points)
    holds = _ConditionJudge(chunk_facts, parameters)

    # (chunk number, line offset, candidate), references resolved to the binding they name.
    located: list[tuple[int, int, Candidate]] = []
    consumed: set[tuple[int, Span]] = set()  # bindings now reported under an argparse dest
    for chunk_number, (offset, facts) in enumerate(chunk_facts):
        named = [pair for candidate in facts.candidates if holds(candidate)
                 for pair in holds.expanded(offset, candidate)]
        for candidate_offset, candidate in named:
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
            located.append((chunk_number, candidate_offset, candidate))
    exposed: dict[str, tuple[str, str]] = {}  # function → (kind, prefix); a CLI's prefix wins
    for function_name, kind, prefix in cli_functions:
        if prefix or function_name not in exposed:
            exposed[function_name] = (kind, prefix)
    for function_name in entry_points:  # ``def setup(lr=…, epochs=…)`` a CLI elsewhere exposes
        defaults = signatures.get(function_name, (0, []))[1]
        if function_name not in exposed and sum(1 for c in defaults if accept(c)) >= _ENTRY_POINT_SETTINGS:
            exposed[function_name] = ("fire", "")
    for function_name, (kind, prefix) in exposed.items():
        if set(vocabulary.words(function_name)) & _EVALUATION_WORDS:
            continue  # an evaluate/predict command's defaults don't change training
        offset, defaults = signatures.get(function_name, (0, []))
        located.extend((-1, offset, dataclasses.replace(candidate, kind=kind, name=prefix + candidate.name))
                       for candidate in defaults if holds(candidate))

    # Every call of a callee counts, reported or not: ``Linear#3`` is the file's third Linear.
    ordinals: dict[tuple[int, int], int] = {}
    callee_counts: dict[str, int] = {}
    first_calls: dict[str, tuple[int, int, tuple[str, ...]]] = {}  # callee → (call key, passed)
    for chunk_number, (_, facts) in enumerate(chunk_facts):
        for callee, call_id, positional, passed in facts.calls:
            if callee in parameters or vocabulary.training_call_parameters(callee) is not None or (
                    callee in vocabulary.SEEDING_CALLS or callee.endswith("seed")):
                callee_counts[callee] = callee_counts.get(callee, 0) + 1
                ordinals[(chunk_number, call_id)] = callee_counts[callee]
                first_calls.setdefault(callee, (positional, passed))
    located += _defaults_left(first_calls, parameters, signatures, exposed, holds)
    attribute_counts: dict[str, int] = {}  # the same attribute in two classes: ``fc1``, ``fc1#2``

    by_name: dict[str, Candidate] = {}
    call_names: dict[tuple[int, int], str] = {}  # (chunk number, call id) → numbered callee
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
                ordinal = ordinals.get(call_key)
                if ordinal is None:
                    attribute_counts[candidate.callee] = attribute_counts.get(candidate.callee, 0) + 1
                    ordinal = attribute_counts[candidate.callee]
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
