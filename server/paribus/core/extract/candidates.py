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
    (``callee`` is its class or function name, or the attribute it is assigned to) so
    duplicates can be numbered, and ``parameter`` is the keyword (None: the call's one
    setting, named by the attribute alone). ``condition`` is what the whole file must show
    for the candidate to count: ``("config-module",)``, ``("plain-module",)`` or
    ``("root", name)`` (``name`` holds a config object). ``owner`` is the config class of
    a field: a class nested under a name in another prefixes its fields with it.
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
    parameter: str | None = None
    condition: tuple[str, ...] | None = None
    owner: str | None = None  # the config class a field belongs to
    choice: bool = False  # declared as one of several (``choices=``, ``DEFINE_enum``, a built class's argument)
    rebinding: bool = False  # a module-level name bound unconditionally: a later binding replaces it
    # A positional argument: its index, and the name the callee is reached through (``utils`` in
    # ``utils.GaussianBlur(1.0)``), which says whether a library's signature names it.
    position: int | None = None
    receiver: str | None = None


@dataclass
class ChunkFacts:
    candidates: list[Candidate] = field(default_factory=list)
    # Module-level literal bindings: ``NAME`` → candidate, and ``(dict name, key)`` → candidate.
    bindings: dict[str, Candidate] = field(default_factory=dict)
    dict_items: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    # Defaults of every function's (or class ``__init__``'s) parameters, by function name.
    signatures: dict[str, list[Candidate]] = field(default_factory=dict)
    # Functions whose signature is a CLI, with the prefix it gives their parameters:
    # ``fire.Fire(main)`` → ``("main", "fire", "")``, ``LightningCLI(Net)`` → ``("Net", "signature", "model.")``.
    cli_functions: list[tuple[str, str, str]] = field(default_factory=list)
    # Parameter names of the functions (and classes' ``__init__``) defined here, ``self`` left out.
    parameters: dict[str, list[str]] = field(default_factory=dict)
    # Module-level functions named like an entry point (``main``, ``train``, ``setup``…).
    entry_points: list[str] = field(default_factory=list)
    # Calls of a training callee or of a function defined in the file, in source order, not
    # assigned to an attribute: (callee, call id, positional count, keywords passed); the n-th
    # is named ``Callee#n``, and the defaults the first one leaves are its values too.
    calls: list[tuple[str, int, int, tuple[str, ...]]] = field(default_factory=list)
    # Signs that the module itself is a config (``_base_``, ``read_base()``, ``LazyCall``),
    # and how many registry dicts (``dict(type=...)``) its bindings hold.
    config_module: bool = False
    registry_dicts: int = 0
    # Whether the chunk only imports and assigns (a file made of such chunks is a config), and
    # how many dicts (or lists of them) its module-level names are bound to.
    plain: bool = True
    dict_bindings: int = 0
    # Names that hold a config object: bound to ``CN()``/``OmegaConf.create()``… or imported
    # from a relative module (strong), or from any module (weak: only in a config module).
    config_roots: set[str] = field(default_factory=set)
    imported_names: set[str] = field(default_factory=set)
    # Config fields overwritten by a computation at run time (``args.batch_size = a * b``), and
    # local variables a function recomputes (``accumulation = batch_size // max_batch``).
    computed_fields: set[str] = field(default_factory=set)
    computed_locals: set[str] = field(default_factory=set)
    # Top-level packages the chunk imports (``torch``, ``keras``…).
    packages: set[str] = field(default_factory=set)
    # Config classes held by another under a name: (class, name, holder class or None, the
    # field values that holder sets: ``field(default_factory=partial(Task, num_layers=2))``).
    nestings: list[tuple[str, str, str | None, list[Candidate]]] = field(default_factory=list)
    # Training calls assigned to an attribute, in source order: (attribute, call id).
    attribute_calls: list[tuple[str, int]] = field(default_factory=list)
    # Names a run fills in (``n += 1``, ``steps.append(s)``): counters and accumulators, not settings.
    mutated: set[str] = field(default_factory=set)
    # Optimizer settings a schedule writes into the param groups (``param_group["lr"] = …``).
    overwritten_settings: set[str] = field(default_factory=set)
    # Imported names and the top-level package they come from ('' for a relative import).
    import_sources: dict[str, str] = field(default_factory=dict)
    # What the file-wide resolution derived from these facts (verdicts on its candidates): it
    # lives as long as the facts stay cached, so unchanged chunks aren't judged again.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
