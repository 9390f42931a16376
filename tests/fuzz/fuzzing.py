"""What the property tests share: seeds to mutate, mutations, generated files, budgets, and a
project held in memory so each example costs what checking it costs.

Seeds are the repository's own inputs: the example project (examples/ecg-af), the test
fixtures, and every rule's VALID/INVALID example projects.

Budgets: a few thousand examples in the normal suite; ``PARIBUS_FUZZ=long`` (``make fuzz``)
runs the long profile, over 100,000 inputs in all. Hypothesis keeps no example database (nothing
is written anywhere): a failure prints the `@reproduce_failure` line that replays it.
"""

from __future__ import annotations

import json
import os
import string
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from paribus.core.judgement.rules import RULES
from paribus.core.model.files import ReadResult, decode, from_buffer
from paribus.core.model.project import Project

REPO = Path(__file__).resolve().parents[2]
LONG = os.environ.get("PARIBUS_FUZZ") == "long"
# The project lives nowhere on disk: every read goes through the in-memory source.
MEMORY_ROOT = Path("/nonexistent-paribus-fuzz/project")


def budget(normal: int, long: int):
    """Hypothesis settings for one property: ``normal`` examples in the suite, ``long`` in `make fuzz`."""
    return settings(
        max_examples=long if LONG else normal,
        deadline=None,
        derandomize=not LONG,  # the normal suite is the same on every run
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _rule_example_files(suffixes: tuple[str, ...]) -> list[str]:
    found = []
    for rule in RULES.values():
        for example in (*rule.VALID, *rule.INVALID):
            for name, text in example.files.items():
                if name.endswith(suffixes) and isinstance(text, str) and len(text) < 100_000:
                    found.append(text)
    return found


EXAMPLE = REPO / "examples" / "ecg-af"
FIXTURES = REPO / "tests" / "fixtures"
PYTHON_SEEDS = sorted({_read(p) for p in [EXAMPLE / "train.py", FIXTURES / "lsp-project" / "train.py", *(FIXTURES / "extraction").rglob("*.py")]}
                      | set(_rule_example_files((".py",))))
LOG_SEEDS = sorted({_read(EXAMPLE / "experiments.yaml"), _read(FIXTURES / "lsp-project" / "experiments.yaml")}
                   | set(_rule_example_files(("experiments.yaml",))))
CARD_SEEDS = sorted({_read(EXAMPLE / "pyproject.toml"), _read(FIXTURES / "lsp-project" / "paribus.toml")}
                    | set(_rule_example_files(("paribus.toml", "pyproject.toml"))))
CONFIG_SEEDS = {suffix: sorted(_read(p) for p in (FIXTURES / "extraction").rglob(f"*{suffix}") if not p.name.endswith(".expected.json"))
                for suffix in (".yaml", ".json", ".toml")}
PREDICTIONS_SEED = _read(EXAMPLE / "runs" / "latest" / "predictions.csv")


def _as_notebook(source: str) -> str:
    """A script saved as Jupyter saves a notebook: a cell per paragraph, outputs beside them."""
    cells = [{"cell_type": "code" if index % 3 else "markdown", "metadata": {}, "execution_count": None, "outputs": [],
              "source": part.splitlines(keepends=True)} for index, part in enumerate(source.split("\n\n"))]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            del cell["execution_count"], cell["outputs"]
    document = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1) + "\n"


NOTEBOOK_SEEDS = [_as_notebook(text) for text in PYTHON_SEEDS[:40]]
RULE_PROJECTS = [dict(example.files) for rule in RULES.values() for example in (*rule.VALID, *rule.INVALID)]

# Pieces that break parsers: syntax, YAML/TOML specials, huge and non-finite numbers, dates
# that don't exist, line breaks of every kind, undecodable text, and writing-command prefixes.
TOKENS = [
    "\n", "\r\n", "\r", "\t", " ", "\x00", "\x0c", "\u2028", "\x85", "\ufeff", "\ud800", "é", "λ", "🚀",
    "{", "}", "[", "]", "(", ")", ":", ",", "-", "- ", "? ", "#", "=", '"', "'", '"""', "\\", "|", ">", "&a ", "*a",
    "!!python/object/apply:os.system ['touch PWNED']", "!!binary", "<<: *a", "---", "...", "%YAML 1.1",
    "0", "-1", "1e400", "-1e400", "9" * 400, "0x" + "f" * 300, "1_000", ".inf", "-.inf", ".nan", "nan", "inf", "1e-400",
    "2026-13-01", "2026-02-30", "2026-11-20", "12:30:00", "~", "null", "true", "no", "on",
    "id", "kind", "parent", "of", "change", "params", "result", "examined", "categories", "prediction", "verdict",
    "baseline", "experiment", "poc", "error-analysis", "exploration", "val_f1", "LEARNING_RATE", "lr",
    "[tool.paribus]", "[[x]]", "a.b = 1", "def f(", "lambda: ", "import os", "if True:", "    ", "::error::x", "%0A",
]


@st.composite
def mutated(draw, seeds: list[str]) -> str:
    """A seed with a few edits of the kinds typing, merging and tools make."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 5))):
        operation = draw(st.integers(0, 9))
        lines = text.split("\n")
        if operation <= 2:  # insert a token, or a few characters
            at = draw(st.integers(0, len(text)))
            piece = draw(st.sampled_from(TOKENS) | st.text(max_size=4))
            text = text[:at] + piece + text[at:]
        elif operation == 3 and text:  # delete a span
            start = draw(st.integers(0, len(text) - 1))
            text = text[:start] + text[start + draw(st.integers(1, 40)):]
        elif operation == 4:  # duplicate, or repeat a line many times
            index = draw(st.integers(0, len(lines) - 1))
            lines[index:index] = [lines[index]] * draw(st.sampled_from([1, 1, 2, 50]))
            text = "\n".join(lines)
        elif operation == 5 and len(lines) > 1:  # drop or swap lines
            first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                lines[first], lines[second] = lines[second], lines[first]
            else:
                del lines[first]
            text = "\n".join(lines)
        elif operation == 6:  # replace a value written after `: ` or `= `
            marks = [i for i in range(len(text) - 1) if text[i] in ":=" and text[i + 1] == " "]
            if marks:
                at = draw(st.sampled_from(marks)) + 2
                end = min((text.find(c, at) for c in "\n,}]" if text.find(c, at) >= 0), default=len(text))
                text = text[:at] + draw(st.sampled_from(TOKENS)) + text[end:]
        elif operation == 7:  # nest a value deeply
            at = draw(st.integers(0, len(text)))
            depth = draw(st.sampled_from([3, 30, 200, 2000]))
            opener = draw(st.sampled_from(["[", "{a: ", "(", "{'a': "]))
            closer = {"[": "]", "{a: ": "}", "(": ")", "{'a': ": "}"}[opener]
            text = text[:at] + opener * depth + "1" + closer * depth + text[at:]
        elif operation == 8:  # indent or dedent a line
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = draw(st.sampled_from(["  ", "    ", "\t", ""])) + lines[index].lstrip(" ")
            text = "\n".join(lines)
        else:  # cut the file short, as an interrupted save does
            text = text[: draw(st.integers(0, len(text)))]
    return text


def as_bytes_sometimes(draw, text: str) -> str | bytes:
    """Now and then the file on disk is not UTF-8: a Latin-1 byte, or arbitrary bytes."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        data = text.encode("utf-8", "surrogatepass")
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"\xe9", b"\xff\xfe", b"\x80", b"\xc3"])) + data[at:]
    if choice == 1:
        return draw(st.binary(max_size=200))
    return text


# -- generated files ---------------------------------------------------------------------------

NAMES = st.sampled_from(["lr", "LEARNING_RATE", "batch_size", "BATCH_SIZE", "dropout", "epochs", "seed", "hidden",
                         "optimizer.lr", "train_size", "x", "é", ""]) | st.text(string.ascii_letters + "_", min_size=1, max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers() | st.sampled_from([10**400, -(10**300), 2**64, 0.1 + 0.2])
           | st.floats() | st.text(max_size=12) | st.sampled_from(["2026-11-20", "5e-4", "1e400", "nan"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3), max_leaves=4)
ENTRY_KEYS = st.sampled_from(["id", "kind", "date", "script", "params", "result", "of", "examined", "categories", "conclusion",
                              "parent", "intervention", "targets", "change", "hypothesis", "prediction", "verdict", "notes"])
ENTRY_VALUES = {
    "id": st.sampled_from(["b1", "e1", "e2", "ea1", "p1", "x1"]) | SCALARS,
    "kind": st.sampled_from(["baseline", "experiment", "poc", "error-analysis", "exploration", "replicate"]) | SCALARS,
    "parent": st.sampled_from(["b1", "e1", "e2", "missing"]) | SCALARS, "of": st.sampled_from(["b1", "e1"]) | SCALARS,
    "result": st.dictionaries(st.sampled_from(["val_f1", "train_f1", "val_acc", "train_acc"]), st.floats() | st.integers() | SCALARS, max_size=3),
    "change": st.dictionaries(NAMES, st.lists(SCALARS, min_size=0, max_size=3), max_size=3),
    "params": st.dictionaries(NAMES, SCALARS, max_size=5),
    "examined": st.integers(-5, 200) | SCALARS,
    "categories": st.dictionaries(NAMES, st.integers(-5, 300) | SCALARS, max_size=4),
    "prediction": st.fixed_dictionaries({"metric": st.sampled_from(["val_f1", "val_acc"]) | SCALARS,
                                         "direction": st.sampled_from(["up", "down", "same", "sideways"])},
                                        optional={"by": st.floats() | SCALARS}) | VALUES,
}


@st.composite
def generated_log(draw) -> str:
    """A log of entries whose keys and values are drawn from the schema and from anything else."""
    import yaml

    entries = []
    for _ in range(draw(st.integers(0, 4))):
        keys = draw(st.lists(ENTRY_KEYS, max_size=6, unique=True))
        entries.append({key: draw(ENTRY_VALUES.get(key, VALUES)) for key in ["id", "kind", *keys]})
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    style = draw(st.sampled_from([None, False]))
    return yaml.dump(entries, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=style)


def toml_value(value, depth: int = 0) -> str:
    from paribus.core.actions.init_project import toml_string

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item, depth + 1) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(str(k))} = {toml_value(v, depth + 1)}" for k, v in value.items() if v is not None) + "}"
    return toml_string(str(value))


CARD_VALUES = {
    "status": st.sampled_from(["greenfield", "baseline", "iterating", "done"]) | SCALARS,
    "metric": st.fixed_dictionaries({"name": st.sampled_from(["val_f1", "val_acc", "val_loss", "x"]) | st.text(max_size=6)},
                                    optional={"goal": st.sampled_from(["max", "min", "up"]), "target": st.floats() | st.integers()}),
    "data": st.fixed_dictionaries({}, optional={"type": st.sampled_from(["tabular", "text", "image", "biosignal", "other"]) | st.text(max_size=5),
                                                "volume": SCALARS, "quirks": st.lists(st.text(max_size=5), max_size=3)}),
    "chance": st.floats() | st.integers(), "human_level": st.floats() | st.integers(),
    "scripts": st.lists(st.sampled_from(["train.py", "**/train*.py", "*.py", "../x.py", "/etc/passwd"]), max_size=2),
    "configs": st.lists(st.sampled_from(["conf/*.yaml", "*.json", "**/*"]), max_size=2),
    "log": st.sampled_from(["experiments.yaml", "../x.yaml", "/tmp/x.yaml", "train.py", "logs/e.yml", ""]),
    "predictions": st.sampled_from(["runs/latest/predictions.csv", "../p.csv", "/dev/zero"]),
    "select": st.lists(st.sampled_from(["PB1", "PB601", "X", ""]), max_size=2),
    "ignore": st.lists(st.sampled_from(["PB1", "PB3", "*"]), max_size=2),
    "include": st.lists(st.sampled_from(["lr", "*", "[", "optimizer.*"]), max_size=2),
    "exclude": st.lists(st.sampled_from(["seed", "*", "[!"]), max_size=2),
}


@st.composite
def generated_card(draw) -> str:
    keys = draw(st.lists(st.sampled_from([*CARD_VALUES, "task", "inputs", "outputs", "x"]), max_size=10, unique=True))
    lines = [f"{key} = {toml_value(draw(CARD_VALUES.get(key, VALUES.filter(lambda v: v is not None))))}" for key in keys]
    text = "\n".join(lines) + "\n"
    return "[tool.paribus]\n" + text if draw(st.booleans()) else text


PY_STATEMENTS = st.sampled_from([
    "{name} = {value}", "{name}: float = {value}", "parser.add_argument('--{name}', default={value}, type=float)",
    "config = dict({name}={value})", "cfg.{name} = {value}", "for epoch in range({value}):\n    pass",
    "optimizer = torch.optim.AdamW(model.parameters(), lr={value})", "@dataclass\nclass Args:\n    {name}: int = {value}",
    "random.seed({value})", "np.save('preds.npy', {value})", "if {value}:\n    {name} = {value}",
])


@st.composite
def generated_python(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        value = draw(st.sampled_from(["0.1", "3e-4", "32", "True", "None", "'adam'", "[1, 2]", "{'a': 1}", "1e400", "9" * 400,
                                      "-5", "(1, 2)", "float('nan')", "2**10000", "10**100", "1/0", "x", "f(1)"]))
        name = draw(st.sampled_from(["lr", "LEARNING_RATE", "batch_size", "EPOCHS", "dropout", "seed", "hidden", "x"]))
        lines.append(draw(PY_STATEMENTS).format(name=name, value=value))
    return "\n".join(lines) + "\n"


# -- a project in memory -----------------------------------------------------------------------


def memory_project(files: dict[str, str | bytes]) -> Project:
    """A project whose files exist only here: read through the project's source, like buffers."""
    texts = {MEMORY_ROOT / name: value for name, value in files.items()}

    def source(path: Path) -> ReadResult:
        value = texts.get(path)
        if value is None:
            return ReadResult(None)
        return decode(value) if isinstance(value, bytes) else from_buffer(path, value)

    return Project(MEMORY_ROOT, source=source, _files=sorted(texts))


def example_files() -> dict[str, str]:
    return {name: _read(EXAMPLE / name) for name in ("train.py", "experiments.yaml", "pyproject.toml")}


def check_everything(files: dict[str, str | bytes]) -> None:
    """What the editor and the CLI do with a project: the rules, every fix built and turned into
    LSP edits, the workflow in every format (strict JSON). Raises on any bug; the listener in
    tests/conftest.py fails on any exception a check survived."""
    from lsprotocol import types as lsp
    from paribus.core.actions.scaffold import ScaffoldError
    from paribus.core.judgement.check import run_rules
    from paribus.core.judgement.workflow import build_workflow
    from paribus.lsp.convert import DocumentLines, to_diagnostic, to_workspace_edit, uri_of
    from paribus.render import render_workflow
    from pygls.workspace.position_codec import PositionCodec

    project = memory_project(files)
    ctx = project.context()
    codec = PositionCodec(lsp.PositionEncodingKind.Utf16)

    def lines_of(path: Path) -> list[str]:
        return (project.read(path) or "").split("\n")

    def document_for(path: Path, span) -> DocumentLines:
        return DocumentLines(uri_of(path), path, lines_of(path))

    findings = run_rules(ctx)
    for finding in findings:
        to_diagnostic(finding, lines_of(finding.path), codec)
        for fix in finding.fixes:
            try:
                resolved = fix.resolved()
            except ScaffoldError:
                continue  # "no data to point at": said to the user, not a bug
            to_workspace_edit(resolved, document_for, codec)
    workflow = build_workflow(project, ctx, findings)
    render_workflow(workflow, "text")
    render_workflow(workflow, "html")
    json.loads(render_workflow(workflow, "json"), parse_constant=_no_constant)


def _no_constant(name: str):
    raise AssertionError(f"{name} in JSON output")
