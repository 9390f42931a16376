"""`paribus params`, `paribus diff` and `paribus rule`: what Paribus reads, and why it judges."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from paribus.cli.common import Locations, input_text


def _extract(file: str):
    """The hyperparameters of a file named on the command line (CliError when it can't be read)."""
    from paribus.core.extract import extract_text

    path = Path(file)
    return extract_text(input_text(file), path, _card_options(path))


def cmd_params(args: argparse.Namespace) -> int:
    from paribus.render import json_text

    path = Path(args.file)
    found = _extract(args.file)
    locations = Locations()
    placed = [(hp, *locations.of(path, hp.span)) for hp in found]
    if args.format == "json":
        rows = [{"name": hp.name, "value": hp.value, "line": span.line, "kind": hp.kind, "column": span.column,
                 "end_column": span.end_column, "text": hp.text, **({"cell": cell} if cell is not None else {})}
                for hp, cell, span in placed]
        print(json_text(rows))
        return 0
    width = max((len(hp.name) for hp in found), default=4)
    for hp, cell, span in placed:
        where = f"{cell}:{span.line}" if cell is not None else str(span.line)
        print(f"{where:>5}  {hp.name:<{width}}  {hp.text:<16}  {hp.kind}")
    if not found:
        print("No hyperparameters found.")
    return 0


def _card_options(path: Path):
    """The card's include/exclude patterns for the project holding ``path``."""
    from paribus.core.extract import ExtractOptions
    from paribus.core.model.card import load_card
    from paribus.core.model.project import find_project_root

    card = load_card(find_project_root(path.resolve())).card
    return ExtractOptions(include=tuple(card.include), exclude=tuple(card.exclude))


def cmd_diff(args: argparse.Namespace) -> int:
    from paribus.core.extract import diff_hyperparameters
    from paribus.render import json_text

    changes = diff_hyperparameters(_extract(args.old), _extract(args.new))
    if args.format == "json":
        print(json_text([c.to_json() for c in changes]))
    else:
        for change in changes:
            print(f"{change.line:>5}  {change.name}: {change.old!r} → {change.new!r}")
        if not changes:
            print("No hyperparameter changed.")
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from paribus.core.judgement.rules import RULES

    if args.code is None:
        for code, rule in RULES.items():
            print(f"{code}  {rule.severity.value:<8} {rule.name:<40} {rule.summary()}")
        return 0
    rule = RULES.get(args.code.upper())
    if rule is None:
        print(f"paribus: no rule {args.code}", file=sys.stderr)
        return 2
    print(rule.markdown())
    return 0


def add_inspect_commands(sub: argparse._SubParsersAction) -> None:
    params = sub.add_parser("params", help="list the hyperparameters of a script or config")
    params.add_argument("file")
    params.add_argument("--format", choices=["text", "json"], default="text")
    params.set_defaults(func=cmd_params)

    diff = sub.add_parser("diff", help="the hyperparameters whose value differs between two files")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--format", choices=["text", "json"], default="text")
    diff.set_defaults(func=cmd_diff)

    rule = sub.add_parser("rule", help="explain a rule (or list them all)")
    rule.add_argument("code", nargs="?")
    rule.set_defaults(func=cmd_rule)
