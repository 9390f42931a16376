"""Python files → hyperparameters: chunks read (and cached) apart, then resolved together.

Resolution across the file: argparse defaults that name a module constant or a module
dict entry take that value and span (the constant is then reported once, under the name
the code reads: the argparse ``dest``); ``set_defaults`` overrides a default; functions
passed to ``fire.Fire``/``typer.run``/``CLI`` report their parameter defaults.

Duplicates: the first occurrence of a name wins, except that a module-level name bound again
unconditionally takes its last binding (the one the run reads). Keywords of training calls (and of calls to
functions and classes the file defines) are named ``Callee.param``; the n-th call of the same
callee in the file is ``Callee#n.param`` (``Linear.out_features``, ``Linear#2.out_features``),
whether or not the calls before it report anything; a call assigned to an attribute is named
by the attribute (``dropout2``, ``fc1.out_features``) and counts apart.
"""

from __future__ import annotations

import ast
import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

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
_SOURCES_KEPT = 32  # files whose last facts and resolution are kept
# Readers of a statement's tree whose results are kept with its facts (``facts.memo[key]``),
# run while extraction parses it: what needs every statement's tree needs no parse of its own.
_TREE_READERS: dict[str, Callable[[ast.Module], Any]] = {}


def read_trees_with(key: str, reader: Callable[[ast.Module], Any]) -> None:
    """Run ``reader`` on every statement extraction parses on its own, keeping the result."""
    _TREE_READERS[key] = reader


def kept_memo(chunk_text: str) -> dict[Any, Any] | None:
    """What is kept with a statement read on its own (its facts' memo), None if not cached."""
    facts = _chunk_cache.get(chunk_text)
    return facts.memo if facts is not None else None


class _SourceFacts(NamedTuple):
    chunks: list[Chunk]
    results: list[tuple[int, ChunkFacts]]  # one per chunk (else the source's facts aren't kept)


_last_facts: OrderedDict[str, _SourceFacts] = OrderedDict()


def _facts_of(chunks: list[Chunk], source: str | None = None) -> list[tuple[int, ChunkFacts]]:
    """(line offset, facts) per chunk; facts of unchanged chunks come from the cache.

    With ``source``, the chunks the cut kept from the source's last text (the same ones
    before the edit, the same texts after it) keep their facts without being looked up.
    """
    previous = _last_facts.get(source) if source is not None else None
    if previous is None:
        results = _read_facts(chunks)
    elif previous.chunks is chunks:
        return previous.results
    else:
        old_chunks, old_results = previous
        before = 0
        limit = min(len(chunks), len(old_chunks))
        while before < limit and chunks[before] is old_chunks[before]:
            before += 1
        after = 0
        while (after < limit - before and chunks[-1 - after].text is old_chunks[-1 - after].text
               and chunks[-1 - after].first_line - old_chunks[-1 - after].first_line == chunks[-1].first_line - old_chunks[-1].first_line):
            after += 1
        tail = old_results[len(old_results) - after:] if after else []
        line_delta = chunks[-1].first_line - old_chunks[-1].first_line if after else 0
        if line_delta:
            tail = [(offset + line_delta, facts) for offset, facts in tail]
        results = old_results[:before] + _read_facts(chunks[before:len(chunks) - after]) + tail
    if source is not None:
        if len(results) == len(chunks):
            _last_facts[source] = _SourceFacts(chunks, results)
            _last_facts.move_to_end(source)
            if len(_last_facts) > _SOURCES_KEPT:
                _last_facts.popitem(last=False)
        else:
            _last_facts.pop(source, None)  # a chunk joined or unreadable: looked up in full next time
    return results


def chunk_memos(source: str, chunks: list[Chunk]) -> list[dict[Any, Any]] | None:
    """What is kept with each of ``chunks`` (their facts' memos), when they are the ones the
    last extraction of ``source`` read one by one; else None."""
    kept = _last_facts.get(source)
    if kept is None or kept.chunks is not chunks:
        return None
    return [facts.memo for _, facts in kept.results]


def _read_facts(chunks: list[Chunk]) -> list[tuple[int, ChunkFacts]]:
    results: list[tuple[int, ChunkFacts]] = []
    pending: list[Chunk] = []

    def flush() -> None:
        unchanged = {id(chunk.text) for chunk in pending}
        for chunk, module in parse_readable(pending):
            facts = read_chunk(chunk.text, module)
            results.append((chunk.first_line - 1, facts))
            if id(chunk.text) in unchanged:  # not joined or repaired: safe to reuse by text
                for key, reader in _TREE_READERS.items():
                    facts.memo[key] = reader(module)
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
        self.parameters = parameters
        marked = all_plain = has_dict_bindings = False
        registry_dicts = 0
        roots: set[str] = set()
        imported: set[str] = set()
        self.computed: set[str] = set()
        self.computed_locals: set[str] = set()
        self.mutated: set[str] = set()
        self.overwritten: set[str] = set()
        self.import_sources: dict[str, str] = {}
        packages: set[str] = set()
        # class → [(name, holder class, {field: (line offset, value set by the holder)})]
        self.holders: dict[str, list[tuple[str, str | None, dict[str, tuple[int, Candidate]]]]] = {}
        all_plain = True
        for offset, facts in chunk_facts:  # one pass: this runs on every keystroke
            marked = marked or facts.config_module
            registry_dicts += facts.registry_dicts
            all_plain = all_plain and facts.plain
            has_dict_bindings = has_dict_bindings or bool(facts.dict_bindings)
            if facts.config_roots:
                roots |= facts.config_roots
            if facts.imported_names:
                imported |= facts.imported_names
            if facts.computed_fields:
                self.computed |= facts.computed_fields
            if facts.computed_locals:
                self.computed_locals |= facts.computed_locals
            if facts.mutated:
                self.mutated |= facts.mutated
            if facts.overwritten_settings:
                self.overwritten |= facts.overwritten_settings
            if facts.import_sources:
                self.import_sources.update(facts.import_sources)
            if facts.packages:
                packages |= facts.packages
            for child, name, holder, overrides in facts.nestings:
                values = {override.name: (offset, override) for override in overrides}
                self.holders.setdefault(child, []).append((name, holder, values))
        self.config_module = marked or registry_dicts >= 2 or (all_plain and has_dict_bindings)
        self.roots = roots | imported if self.config_module else roots
        self.keras = bool(packages & {"keras", "tensorflow", "tf_keras"}) and "torch" not in packages

    def expanded(self, offset: int, candidate: Candidate) -> list[tuple[int, Candidate]]:
        """The candidate under each name the file gives it: a field of a config class nested
        under a name once per place it is held (``gender.num_units``, ``age_group.num_units``,
        with the value the holder sets); Keras parameter names in a Keras file."""
        if candidate.owner is None and candidate.parameter is None:
            return [(offset, candidate)]
        if candidate.position is not None and (candidate.parameter.startswith("#") or self._outside_libraries(
                candidate.receiver)):
            return self._positional(offset, candidate)
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

    def _outside_libraries(self, receiver: str | None) -> bool:
        """``utils`` in ``utils.GaussianBlur(1.0)``: a project module, whose signatures no table knows."""
        source = self.import_sources.get(receiver or "")
        return source is not None and source not in vocabulary.LIBRARY_PACKAGES

    def _positional(self, offset: int, candidate: Candidate) -> list[tuple[int, Candidate]]:
        """A positional argument named by the signature the file defines; a pipeline step's
        (``Solarization(0.2)``) by its position when nothing names it; a call the file cannot
        name is no setting."""
        names = self.parameters.get(candidate.condition[1], []) if candidate.condition else []
        if candidate.condition is None and candidate.receiver == candidate.callee:
            names = self.parameters.get(candidate.callee, [])  # ``Solarization`` defined in this file
        if candidate.position < len(names):
            parameter = names[candidate.position]
        elif candidate.condition is None:
            parameter = str(candidate.position)
        else:
            return []
        name = candidate.name.rsplit(".", 1)[0] + "." + parameter
        return [(offset, dataclasses.replace(candidate, name=name, parameter=parameter))]

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
        if candidate.name in self.computed or (candidate.kind == "constant" and candidate.name in self.mutated) or (
                candidate.local and candidate.name in self.computed_locals):
            return False
        condition = candidate.condition
        if condition is None:
            return True
        if condition[0] == "root":
            return condition[1] in self.roots
        if condition[0] == "defined":
            return condition[1] in self.parameters
        if condition[0] == "kept":
            return condition[1] not in self.overwritten
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


_accept_keys: dict[object, int] = {}  # each accept key as a small number: cheap to hash per chunk


def _key_number(accept_key: object) -> int | None:
    """None: verdicts under this key are not kept (no key given)."""
    if accept_key is None:
        return None
    return _accept_keys.setdefault(accept_key, len(_accept_keys))


def python_candidates(
    text: str, accept: Callable[[Candidate], bool], source: str | None = None, accept_key: object = None
) -> list[Candidate]:
    """The accepted candidates of the file, resolved, deduplicated, with file-relative spans.

    ``accept`` judges a resolved candidate (vocabulary and the user's include/exclude)
    before duplicates are numbered or dropped. Candidates stay chunk-relative (with their
    chunk's line offset beside them) until accepted: most of a file comes from the cache.
    ``source`` (the file's path) lets the next text of the same file be cut incrementally;
    ``accept_key`` (hashable) names what ``accept`` decides by, so verdicts on candidates of
    unchanged chunks are kept with them. With both, a text that differs from the source's
    last one in a single statement's values reuses the last resolution (see ``_Resolved``).
    """
    chunk_facts = _facts_of(split_chunks(text, source), source)
    key_number = _key_number(accept_key)
    previous = _last_resolved.get(source) if source is not None and key_number is not None else None
    if previous is not None:
        reused = previous.updated(chunk_facts, key_number, accept)
        if reused is not None:
            return reused
    result, provenance = _resolve(chunk_facts, accept, key_number)
    if source is not None and key_number is not None:
        _last_resolved[source] = _Resolved(chunk_facts, key_number, result, provenance)
        _last_resolved.move_to_end(source)
        if len(_last_resolved) > _SOURCES_KEPT:
            _last_resolved.popitem(last=False)
    return list(result)


def _resolve(chunk_facts: list[tuple[int, ChunkFacts]], accept: Callable[[Candidate], bool],
             key_number: int | None) -> tuple[list[Candidate], list[tuple | None]]:
    """The resolution of ``python_candidates``, and where each value comes from (see ``_Resolved``)."""
    bindings: dict[str, tuple[int, Candidate, int]] = {}  # name → (line offset, binding, chunk number)
    dict_items: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    signatures: dict[str, tuple[int, list[Candidate]]] = {}
    cli_functions: list[tuple[str, str, str]] = []
    parameters: dict[str, list[str]] = {}
    entry_points: list[str] = []
    for chunk_number, (offset, facts) in enumerate(chunk_facts):  # empty collections skipped: most chunks hold few
        if facts.bindings:
            for name, candidate in facts.bindings.items():
                if name not in bindings:
                    bindings[name] = (offset, candidate, chunk_number)
        if facts.dict_items:
            for key, candidate in facts.dict_items.items():
                dict_items.setdefault(key, (offset, candidate))
        if facts.signatures:
            for name, defaults in facts.signatures.items():
                signatures.setdefault(name, (offset, defaults))
        if facts.cli_functions:
            cli_functions.extend(facts.cli_functions)
        if facts.parameters:
            for name, names in facts.parameters.items():
                parameters.setdefault(name, names)
        if facts.entry_points:
            entry_points.extend(facts.entry_points)
    holds = _ConditionJudge(chunk_facts, parameters)
    verdicts_key = ("verdicts", key_number)

    # (chunk number, line offset, candidate, the verdicts kept for it or None, where it comes
    # from or None), references resolved to the binding they name. A candidate as its chunk
    # read it has its verdict kept with the chunk's facts: a keystroke judges only what changed.
    located: list[tuple[int, int, Candidate, dict | None, tuple | None]] = []
    consumed: set[tuple[int, Span]] = set()  # bindings now reported under an argparse dest
    computed, computed_locals, mutated = holds.computed, holds.computed_locals, holds.mutated
    for chunk_number, (offset, facts) in enumerate(chunk_facts):
        if not facts.candidates:
            continue
        verdicts = facts.memo.setdefault(verdicts_key, {}) if key_number is not None else None
        for index, candidate in enumerate(facts.candidates):
            if candidate.condition is None and candidate.owner is None and candidate.parameter is None:
                name = candidate.name  # what ``holds`` decides for a candidate with no condition
                if name in computed or (candidate.kind == "constant" and name in mutated) or (
                        candidate.local and name in computed_locals):
                    continue
                named = ((offset, candidate),)  # the usual candidate: as read, under its own name
            elif holds(candidate):
                named = holds.expanded(offset, candidate)
            else:
                continue
            for candidate_offset, named_candidate in named:
                if named_candidate.reference:
                    if named_candidate.reference[0] == "name":
                        found = bindings.get(named_candidate.reference[1])
                        source = found[:2] if found is not None else None
                    else:
                        found, source = None, dict_items.get(named_candidate.reference[1:])
                    if source is not None:
                        source_offset, binding = source
                        consumed.add((source_offset, binding.span))
                        origin = ("reference", chunk_number, index, found[2]) if found is not None and named_candidate is candidate else None
                        located.append((chunk_number, source_offset, dataclasses.replace(
                            named_candidate, value=binding.value, text=binding.text, span=binding.span,
                            literal=binding.literal), None, origin))
                        continue
                own = named_candidate is candidate
                located.append((chunk_number, candidate_offset, named_candidate,
                                verdicts if own else None, ("own", chunk_number, index) if own else None))
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
        located.extend((-1, offset, dataclasses.replace(candidate, kind=kind, name=prefix + candidate.name), None, None)
                       for candidate in defaults if holds(candidate))

    # Every call of a callee counts, reported or not: ``Linear#3`` is the file's third Linear; the
    # same attribute in two classes is ``fc1`` and ``fc1#2``. Values never change the numbering.
    ordinals: dict[tuple[int, int], int] = {}
    callee_counts: dict[str, int] = {}
    attribute_counts: dict[str, int] = {}
    first_calls: dict[str, tuple[int, int, tuple[str, ...]]] = {}  # callee → (call key, passed)
    for chunk_number, (_, facts) in enumerate(chunk_facts):
        if not facts.calls and not facts.attribute_calls:
            continue
        for callee, call_id, positional, passed in facts.calls:
            callee_counts[callee] = callee_counts.get(callee, 0) + 1
            ordinals[(chunk_number, call_id)] = callee_counts[callee]
            first_calls.setdefault(callee, (positional, passed))
        for attribute, call_id in facts.attribute_calls:
            attribute_counts[attribute] = attribute_counts.get(attribute, 0) + 1
            ordinals[(chunk_number, call_id)] = attribute_counts[attribute]
    located += [(*found, None, None) for found in _defaults_left(first_calls, parameters, signatures, exposed, holds)]

    by_name: dict[str, Candidate] = {}
    origins: dict[str, tuple | None] = {}
    for chunk_number, offset, candidate, verdicts, origin in located:
        if consumed and candidate.reference is None and (offset, candidate.span) in consumed:
            continue
        rebinds = candidate.rebinding and candidate.name in by_name and by_name[candidate.name].rebinding
        if candidate.name in by_name and not candidate.override and not rebinds:
            if candidate.call_id is None:
                continue
        if verdicts is None:
            accepted = accept(candidate)
        else:
            accepted = verdicts.get(id(candidate))
            if accepted is None:
                accepted = verdicts[id(candidate)] = accept(candidate)
        if not accepted:
            continue
        if candidate.call_id is not None and candidate.callee:
            ordinal = ordinals.get((chunk_number, candidate.call_id), 1)
            parameter = f".{candidate.parameter}" if candidate.parameter else ""
            candidate = dataclasses.replace(
                candidate, name=candidate.callee + (f"#{ordinal}" if ordinal > 1 else "") + parameter)
        if rebinds:  # ``epochs = 10`` after ``epochs = 5``: the run reads the last one
            by_name[candidate.name] = _shifted(candidate, offset)
            origins[candidate.name] = origin
            continue
        if candidate.override and candidate.name in by_name:
            kind = by_name[candidate.name].kind
            by_name[candidate.name] = dataclasses.replace(_shifted(candidate, offset), kind=kind)
            origins[candidate.name] = None
            continue
        if candidate.name not in by_name:
            by_name[candidate.name] = _shifted(candidate, offset)
            origins[candidate.name] = origin
    return list(by_name.values()), list(origins.values())


# -- a keystroke that changes one statement's values ----------------------------------------------

# What a chunk tells the rest of the file, candidates aside: equal before and after an edit,
# the file's resolution can only differ in the values the chunk's candidates carry.
_FILE_FACTS = tuple(field.name for field in dataclasses.fields(ChunkFacts) if field.name not in ("candidates", "bindings", "memo"))
# What decides where a candidate goes, its value aside.
_PLACE = ("name", "kind", "literal", "local", "keyword_only", "override", "reference", "callee", "call_id",
          "parameter", "condition", "owner", "choice", "rebinding", "position", "receiver")


def _same_place(old: Candidate, new: Candidate) -> bool:
    return all(getattr(old, field) == getattr(new, field) for field in _PLACE)


class _Resolved:
    """A source's last resolution, and where each value in it comes from: ``("own", chunk,
    position)`` a chunk's candidate as read, ``("reference", chunk, position, binding chunk)``
    a candidate that took a binding's value, None anything else (expanded, overridden,
    exposed defaults).

    When the next text differs in one chunk only, at the same lines, and that chunk tells the
    file the same (same names, bindings, calls, signatures …), with its candidates in the same
    places and judged the same, the resolution is the last one with that chunk's values put
    in: the cost of the keystroke is the chunk's, not the file's.
    """

    def __init__(self, chunk_facts: list[tuple[int, ChunkFacts]], key_number: int,
                 result: list[Candidate], provenance: list[tuple | None]) -> None:
        self.offsets = [offset for offset, _ in chunk_facts]
        self.facts = [facts for _, facts in chunk_facts]
        self.key_number = key_number
        self.result = result
        self.provenance = provenance

    def updated(self, chunk_facts: list[tuple[int, ChunkFacts]], key_number: int,
                accept: Callable[[Candidate], bool]) -> list[Candidate] | None:
        if key_number != self.key_number or len(chunk_facts) != len(self.facts):
            return None
        changed = [number for number, ((offset, facts), old) in enumerate(zip(chunk_facts, self.facts)) if facts is not old]
        if not changed:
            return list(self.result) if [offset for offset, _ in chunk_facts] == self.offsets else None
        if len(changed) != 1 or [offset for offset, _ in chunk_facts] != self.offsets:
            return None
        number = changed[0]
        offset, new = chunk_facts[number]
        old = self.facts[number]
        if not self._alike(old, new, accept):
            return None
        result = list(self.result)
        for position, origin in enumerate(self.provenance):
            if origin is None:
                continue
            if origin[0] == "own" and origin[1] == number:
                candidate = new.candidates[origin[2]]
                if candidate.name != result[position].name:  # a numbered call: ``Linear#2.out_features``
                    candidate = dataclasses.replace(candidate, name=result[position].name)
                result[position] = _shifted(candidate, offset)
            elif origin[0] == "reference" and number in (origin[1], origin[3]):
                referring_offset, referring = chunk_facts[origin[1]]
                candidate = referring.candidates[origin[2]]
                binding_offset, binding = self._binding(chunk_facts, origin[3], candidate.reference[1])
                resolved = dataclasses.replace(candidate, value=binding.value, text=binding.text,
                                               span=binding.span, literal=binding.literal)
                if not accept(resolved):
                    return None  # the new value is no hyperparameter: the file reads differently
                result[position] = _shifted(resolved, binding_offset)
        self.facts[number] = new
        self.result = result
        return list(result)

    @staticmethod
    def _binding(chunk_facts, number: int, name: str) -> tuple[int, Candidate]:
        offset, facts = chunk_facts[number]
        return offset, facts.bindings[name]

    def _alike(self, old: ChunkFacts, new: ChunkFacts, accept: Callable[[Candidate], bool]) -> bool:
        if len(old.candidates) != len(new.candidates) or old.bindings.keys() != new.bindings.keys():
            return False
        if any(getattr(old, field) != getattr(new, field) for field in _FILE_FACTS):
            return False
        old_positions = {id(candidate): index for index, candidate in enumerate(old.candidates)}
        new_positions = {id(candidate): index for index, candidate in enumerate(new.candidates)}
        if any(old_positions.get(id(old.bindings[name])) != new_positions.get(id(new.bindings[name])) or
               new_positions.get(id(new.bindings[name])) is None for name in new.bindings):
            return False  # a binding that is no candidate of its chunk: not followed here
        verdicts_key = ("verdicts", self.key_number)
        old_verdicts = old.memo.get(verdicts_key, {})
        new_verdicts = new.memo.setdefault(verdicts_key, {})
        for before, after in zip(old.candidates, new.candidates):
            if not _same_place(before, after) or after.override or after.owner is not None or after.parameter is not None:
                return False  # overridden or expanded values are made anew, not followed here
            judged = new_verdicts.get(id(after))
            if judged is None:
                judged = new_verdicts[id(after)] = accept(after)
            judged_before = old_verdicts.get(id(before))
            if judged != (accept(before) if judged_before is None else judged_before):
                return False
        return True


_last_resolved: OrderedDict[str, _Resolved] = OrderedDict()
