"""The command line: the same core and the same findings as the editor."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from paribus import __version__
from paribus.cli_greenfield import add_greenfield_commands
from paribus.core.findings import Finding, Severity


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _split_codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def cmd_check(args: argparse.Namespace) -> int:
    from paribus.core.check import run_rules
    from paribus.core.project import Project, find_project_root

    targets = [Path(p).resolve() for p in (args.paths or ["."])]
    missing = [t for t in targets if not t.exists()]
    if missing:
        print(f"paribus: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    by_root: dict[Path, list[Path]] = defaultdict(list)
    for target in targets:
        by_root[find_project_root(target)].append(target)
    findings: list[Finding] = []
    for root, wanted in by_root.items():
        project = Project(root)
        extra = [t for t in wanted if t.is_file() and t.suffix == ".py"]
        ctx = project.context(extra_scripts=extra)
        found = run_rules(ctx, select=_split_codes(args.select), ignore=_split_codes(args.ignore) or ())
        if any(t.is_file() for t in wanted):
            files = {t for t in wanted if t.is_file()}
            dirs = [t for t in wanted if t.is_dir()]
            found = [f for f in found if f.path in files or any(d in f.path.parents for d in dirs)]
        findings.extend(found)
    _print_findings(findings, args.format)
    return 1 if any(f.severity.rank >= Severity.WARNING.rank for f in findings) else 0


def _print_findings(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        rows = []
        for finding in findings:
            row = finding.to_json()
            row["path"] = _display_path(finding.path)
            rows.append(row)
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if fmt == "github":
        level = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}
        for f in findings:
            s = f.span
            print(f"::{level[f.severity.value]} file={_display_path(f.path)},line={s.line},col={s.column},endLine={s.end_line},endColumn={s.end_column},title={f.code}::{f.message}")
        return
    for f in findings:
        print(f"{_display_path(f.path)}:{f.span.line}:{f.span.column}: {f.code} [{f.severity.value}] {f.message}")
    counts = defaultdict(int)
    for f in findings:
        counts[f.severity.value] += 1
    if findings:
        summary = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info", "hint") if counts[s])
        print(f"\nFound {len(findings)} finding{'s' if len(findings) != 1 else ''} ({summary}).")
    else:
        print("All checks passed.")


def cmd_params(args: argparse.Namespace) -> int:
    from paribus.core.extract import extract_file

    path = Path(args.file)
    if not path.is_file():
        print(f"paribus: no such file: {path}", file=sys.stderr)
        return 2
    found = extract_file(path, _card_options(path))
    if args.format == "json":
        rows = [{"name": hp.name, "value": hp.value, "line": hp.span.line, "kind": hp.kind, "column": hp.span.column, "end_column": hp.span.end_column, "text": hp.text} for hp in found]
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return 0
    width = max((len(hp.name) for hp in found), default=4)
    for hp in found:
        print(f"{hp.span.line:>5}  {hp.name:<{width}}  {hp.text:<16}  {hp.kind}")
    if not found:
        print("No hyperparameters found.")
    return 0


def _card_options(path: Path):
    """The card's include/exclude patterns for the project holding ``path``."""
    from paribus.core.card import load_card
    from paribus.core.extract import ExtractOptions
    from paribus.core.project import find_project_root

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


def cmd_workflow(args: argparse.Namespace) -> int:
    from paribus.core.project import Project, find_project_root
    from paribus.core.workflow import build_workflow
    from paribus.render import render_workflow

    root = find_project_root(Path(args.root).resolve())
    workflow = build_workflow(Project(root))
    output = render_workflow(workflow, args.format)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        print(f"Wrote {args.output}")
    else:
        print(output)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from paribus.core.analysis import AnalysisError, analyze_predictions
    from paribus.core.analysis.report import render_text

    try:
        analysis = analyze_predictions(args.predictions, train_labels=args.train)
    except AnalysisError as error:
        print(f"paribus: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(analysis.to_json(), indent=2, ensure_ascii=False, default=str))
    elif args.format == "html":
        from paribus.render import render_analysis_html

        print(render_analysis_html(analysis))
    else:
        print(render_text(analysis))
    return 0


def cmd_rule(args: argparse.Namespace) -> int:
    from paribus.core.rules import RULES

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


def cmd_lsp(args: argparse.Namespace) -> int:
    from paribus.lsp.server import serve

    serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paribus", description="One change at a time: experiment discipline for ML research.")
    parser.add_argument("--version", action="version", version=f"paribus {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="report findings (exit 1 on warnings or errors)")
    check.add_argument("paths", nargs="*", help="project folders or files (default: .)")
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    check.add_argument("--select", action="append", help="only these codes or prefixes (comma-separated)")
    check.add_argument("--ignore", action="append", help="skip these codes or prefixes (comma-separated)")
    check.set_defaults(func=cmd_check)

    params = sub.add_parser("params", help="list the hyperparameters of a script or config")
    params.add_argument("file")
    params.add_argument("--format", choices=["text", "json"], default="text")
    params.set_defaults(func=cmd_params)

    diff = sub.add_parser("diff", help="the hyperparameters whose value differs between two files")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--format", choices=["text", "json"], default="text")
    diff.set_defaults(func=cmd_diff)

    workflow = sub.add_parser("workflow", help="the diagnostic workflow: where the project stands, what to do next")
    workflow.add_argument("--root", default=".", help="project folder (default: .)")
    workflow.add_argument("--format", choices=["text", "json", "html"], default="text")
    workflow.add_argument("--output", "-o", help="write to this file instead of printing")
    workflow.set_defaults(func=cmd_workflow)

    analyze = sub.add_parser("analyze", help="error analysis of a predictions file (id,label,pred)")
    analyze.add_argument("predictions")
    analyze.add_argument("--train", help="training labels (CSV with a label column) for class support")
    analyze.add_argument("--format", choices=["text", "json", "html"], default="text")
    analyze.set_defaults(func=cmd_analyze)

    rule = sub.add_parser("rule", help="explain a rule (or list them all)")
    rule.add_argument("code", nargs="?")
    rule.set_defaults(func=cmd_rule)

    add_greenfield_commands(sub)

    lsp = sub.add_parser("lsp", help="run the language server on stdio")
    lsp.set_defaults(func=cmd_lsp)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
