"""`paribus params`, `paribus diff` and `paribus rule`: what Paribus reads, and why it judges."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from paribus.cli.common import Locations


def cmd_params(args: argparse.Namespace) -> int:
    from paribus.core.extract import extract_file

    path = Path(args.file)
    if not path.is_file():
        print(f"paribus: no such file: {path}", file=sys.stderr)
        return 2
    found = extract_file(path, _card_options(path))
    locations = Locations()
    placed = [(hp, *locations.of(path, hp.span)) for hp in found]
    if args.format == "json":
        rows = [{"name": hp.name, "value": hp.value, "line": span.line, "kind": hp.kind, "column": span.column,
                 "end_column": span.end_column, "text": hp.text, **({"cell": cell} if cell is not None else {})}
                for hp, cell, span in placed]
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
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
    from paribus.core.extract import diff_hyperparameters, extract_file

    old, new = Path(args.old), Path(args.new)
    for path in (old, new):
        if not path.is_file():
            print(f"paribus: no such file: {path}", file=sys.stderr)
            return 2
    changes = diff_hyperparameters(extract_file(old, _card_options(old)), extract_file(new, _card_options(new)))
    if args.format == "json":
        print(json.dumps([c.to_json() for c in changes], indent=2, ensure_ascii=False, default=str))
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
