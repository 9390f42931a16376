"""PB6xx: files that can be read as they are, a log that parses and whose references resolve."""

from __future__ import annotations

from typing import Iterable

from paribus.core.judgement.findings import Finding, Severity
from paribus.core.judgement.rules.base import BuiltWhenRead, Example, Rule, register
from paribus.core.model.files import MAX_FILE_BYTES
from paribus.core.positions import Span

_B1 = "- id: b1\n  kind: baseline\n  params: {lr: 0.1}\n  result: {val_acc: 0.7}\n"


def _parse_problems(rule: Rule, ctx) -> Iterable[Finding]:
    """The problems the log parser found under this rule's code."""
    for problem in ctx.log.problems if ctx.log else ():
        if problem.code == rule.code:
            severity = Severity(problem.severity) if problem.severity else None
            yield rule.finding(ctx.log_path, problem.span, problem.message, severity=severity)


@register
class LogNotYaml(Rule):
    """The experiment log is not valid YAML.

    ## What it does
    Reports the position where the YAML parser stopped.

    ## Why is this bad?
    Nothing in the log can be read until it parses: no state, no verdicts, no history.

    ## Example
    ```yaml
    - id: b1
      result: {val_acc: 0.7
    ```

    ## Fix
    Close the bracket or fix the indentation at the reported position.
    """

    code = "PB601"
    name = "log-not-yaml"
    severity = Severity.ERROR
    VALID = [Example({"experiments.yaml": _B1})]
    INVALID = [Example({"experiments.yaml": "- id: b1\n  result: {val_acc: 0.7\n"}, expect=(("experiments.yaml", 3),))]

    def check(self, ctx) -> Iterable[Finding]:
        return _parse_problems(self, ctx)


@register
class EntryFailsSchema(Rule):
    """A log entry does not follow schema v1.

    ## What it does
    Reports missing `id`/`kind`, unknown `kind`, `intervention`, `verdict` or `direction`
    values, a `change` that is not `name: [from, to]`, non-numeric results, and so on.

    ## Why is this bad?
    An entry that can't be read is left out of every state and verdict, silently changing
    what the other entries mean.

    ## Example
    ```yaml
    - id: e1
      kind: experimnt
      change: {lr: 0.01}
    ```

    ## Fix
    Correct the field at the reported position; completion in the log offers the valid values.
    """

    code = "PB602"
    name = "entry-fails-schema"
    severity = Severity.ERROR
    VALID = [Example({"experiments.yaml": _B1})]
    INVALID = [
        Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experimnt\n"}, expect=(("experiments.yaml", 6),)),
        Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  change: {lr: 0.01}\n"}, expect=(("experiments.yaml", 7),)),
        Example({"experiments.yaml": "id: b1\nkind: baseline\n"}, expect=(("experiments.yaml", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        return _parse_problems(self, ctx)


@register
class BrokenReference(Rule):
    """Duplicate entry id, or a `parent`/`of` that names no entry.

    ## What it does
    Reports an `id` used twice, and a `parent` or `of` that names no entry written before it.

    ## Why is this bad?
    States are built by following parents: a dangling or ambiguous reference makes an
    entry's state, and so every comparison with it, wrong.

    ## Example
    ```yaml
    - id: e1
      kind: experiment
      parent: b2     # there is no b2
    ```

    ## Fix
    Rename the duplicate, or point the reference at an existing entry.
    """

    code = "PB603"
    name = "broken-reference"
    severity = Severity.ERROR
    VALID = [Example({"experiments.yaml": _B1 + "- id: ea1\n  kind: error-analysis\n  of: b1\n"})]
    INVALID = [
        Example({"experiments.yaml": _B1 + "- id: b1\n  kind: exploration\n"}, expect=(("experiments.yaml", 5),)),
        Example({"experiments.yaml": _B1 + "- id: e1\n  kind: experiment\n  parent: b2\n"}, expect=(("experiments.yaml", 7),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        if ctx.log is None:
            return
        seen: set[str] = set()
        ids = [item.id for item in ctx.log.entries]
        all_ids = {entry_id for entry_id in ids if entry_id}
        for item, entry_id in zip(ctx.log.entries, ids):
            if entry_id in seen:
                yield self.finding(ctx.log_path, item.span_of("id"), f"duplicate entry id {entry_id}")
            for key in ("parent", "of"):
                target = item.raw.get(key)
                if not isinstance(target, (str, int, float)):
                    continue  # absent, or not an id at all (PB602 says so)
                target = str(target)
                if target not in all_ids:
                    yield self.finding(ctx.log_path, item.value_spans.get(key, item.span_of(key)), f"entry {entry_id}: `{key}` names {target}, which is not in the log")
                elif target not in seen:
                    yield self.finding(ctx.log_path, item.value_spans.get(key, item.span_of(key)), f"entry {entry_id}: `{key}` names {target}, which comes later in the log")
            if entry_id:
                seen.add(entry_id)


@register
class FileNotReadAsIs(Rule):
    """A project file could not be read as it is written.

    ## What it does
    Reports, on the file, a script, config, card or log that was not read as written: not a
    regular file (a device, a FIFO, a socket or a folder where a file is expected), larger than
    5 MB, unreadable, read only in part, or not UTF-8 — then the bytes that are not UTF-8 are
    replaced by U+FFFD (reported where the first one is) and the rest is checked as usual.

    ## Why is this bad?
    A file that is skipped without a word looks exactly like a file with nothing to report:
    "All checks passed" while nothing was checked. A link to `/dev/zero` or a FIFO would make
    a reader wait forever, so such files are refused before they are opened.

    ## Example
    `train.py` saved as Latin-1, with `# café` in a comment; or `train.py` a link to `/dev/zero`.

    ## Fix
    Save the file as UTF-8; point the card's `scripts`, `configs` and `log` at regular files;
    move generated or very large files out of what the card names.
    """

    code = "PB604"
    name = "file-not-read-as-is"
    severity = Severity.WARNING
    VALID = [Example({"train.py": "# café, λ = 3e-4\nLR = 0.1\n"})]
    INVALID = BuiltWhenRead(lambda: [
        Example({"train.py": b"import torch\n# caf\xe9 au lait\nLR = 0.1\n"}, expect=(("train.py", 2),)),
        Example({"train.py": "LR = 0.1\n" + "#" * MAX_FILE_BYTES + "\n"}, expect=(("train.py", 1),)),
    ])

    def check(self, ctx) -> Iterable[Finding]:
        for path, issue in ctx.read_issues.items():
            severity = Severity.INFO if issue.read else Severity.WARNING
            yield self.finding(path, Span.point(issue.line, issue.column), issue.message, severity=severity)
