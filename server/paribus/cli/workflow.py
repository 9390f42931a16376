"""`paribus workflow` and `paribus analyze`: where the project stands, and what its errors say."""

from __future__ import annotations

import argparse
from pathlib import Path

from paribus.cli.common import CliError, output_path, write_output


def cmd_workflow(args: argparse.Namespace) -> int:
    from paribus.core.judgement.workflow import build_workflow
    from paribus.core.model.project import Project, find_project_root
    from paribus.render import render_workflow

    folder = Path(args.root)
    if not folder.is_dir():
        raise CliError(f"no such folder: {args.root}" if not folder.exists() else f"{args.root} is not a folder")
    if args.output:
        output_path(args.output)  # refuse before the work, not after
    root = find_project_root(folder.resolve())
    workflow = build_workflow(Project(root))
    output = render_workflow(workflow, args.format)
    if args.output:
        write_output(args.output, output)
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
        raise CliError(str(error)) from None
    if args.format == "json":
        from paribus.render import json_text

        print(json_text(analysis.to_json()))
    elif args.format == "html":
        from paribus.render import render_analysis_html

        print(render_analysis_html(analysis))
    else:
        print(render_text(analysis))
    return 0


def add_workflow_commands(sub: argparse._SubParsersAction) -> None:
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
