"""`paribus check`: the findings of the editor, as text, JSON, GitHub annotations or SARIF."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from paribus.cli.common import CliError, Locations, display_path, input_text, split_codes
from paribus.core.judgement.findings import Finding, Severity


def cmd_check(args: argparse.Namespace) -> int:
    from paribus.core.judgement.check import run_rules
    from paribus.core.model.project import Project, find_project_root

    targets = [Path(p).resolve() for p in (args.paths or ["."])]
    missing = [t for t in targets if not t.exists()]
    if missing:
        raise CliError(f"no such file or directory: {', '.join(map(str, missing))}")
    for shown, target in zip(args.paths or ["."], targets):
        if not target.is_dir():
            _check_named_file(shown, pre_commit=args.project_files_only)
    by_root: dict[Path, list[Path]] = defaultdict(list)
    for target in targets:
        by_root[find_project_root(target)].append(target)
    findings: list[Finding] = []
    for root, wanted in by_root.items():
        project = Project(root)
        named = [t for t in wanted if t.is_file() and t.suffix in (".py", ".ipynb")]  # scripts, whatever the card says
        ctx = project.context(extra_scripts=[] if args.project_files_only else named)
        found = run_rules(ctx, select=split_codes(args.select), ignore=split_codes(args.ignore) or ())
        if any(t.is_file() for t in wanted):
            files = {t for t in wanted if t.is_file()}
            dirs = [t for t in wanted if t.is_dir()]
            found = [f for f in found if f.path in files or any(d in f.path.parents for d in dirs)]
        findings.extend(found)
    _print_findings(findings, args.format)
    if args.exit_zero:
        return 0
    threshold = Severity(args.fail_on).rank
    return 1 if any(f.severity.rank >= threshold for f in findings) else 0


def _check_named_file(shown: str, *, pre_commit: bool) -> None:
    """A file named on the command line: never a device or FIFO (reading it would block); and,
    unless pre-commit passes every changed file, text with something in it (PB604 tells the rest)."""
    from paribus.core.model.files import FileRefused, check_regular_file

    if pre_commit:
        try:
            check_regular_file(Path(shown))
        except FileRefused as error:
            raise CliError(f"{shown}: {error}") from None
        return
    input_text(shown, note=False)


def _print_findings(findings: list[Finding], fmt: str) -> None:
    from paribus.render import json_safe, json_text

    if fmt == "sarif":
        from paribus.cli.sarif import sarif_log

        print(json.dumps(json_safe(sarif_log(findings, Path.cwd(), Locations())), indent=2, ensure_ascii=False, allow_nan=False))
        return
    locations = Locations()
    if fmt == "json":
        rows = []
        for finding in findings:
            cell, span = locations.of(finding.path, finding.span, finding.code)
            row = Finding(finding.code, finding.message, finding.severity, finding.path, span).to_json()
            row["path"] = display_path(finding.path)
            if cell is not None:
                row["cell"] = cell
            rows.append(row)
        print(json_text(rows))
        return
    if fmt == "github":
        level = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}
        for f in findings:
            cell, s = locations.in_file(f.path, f.span, f.code)  # annotations are read against the file
            properties = {
                "file": display_path(f.path), "line": s.line, "col": s.column, "endLine": s.end_line,
                "endColumn": s.end_column, "title": f.code + (f" (cell {cell})" if cell is not None else ""),
            }
            shown = ",".join(f"{name}={github_property(value)}" for name, value in properties.items())
            print(f"::{level[f.severity.value]} {shown}::{github_data(f.message)}")
        return
    for f in findings:
        print(f"{locations.prefix(f.path, f.span, f.code)}: {f.code} [{f.severity.value}] {f.message}")
    counts = defaultdict(int)
    for f in findings:
        counts[f.severity.value] += 1
    if findings:
        summary = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info", "hint") if counts[s])
        print(f"\nFound {len(findings)} finding{'s' if len(findings) != 1 else ''} ({summary}).")
    else:
        print("All checks passed.")


def github_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped, so it stays one command."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: object) -> str:
    """A workflow command's property value: also `:` and `,`, which delimit properties."""
    return github_data(str(value)).replace(":", "%3A").replace(",", "%2C")


def add_check_command(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="report findings (exit 1 on warnings or errors)")
    check.add_argument("paths", nargs="*", help="project folders or files (default: .)")
    check.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    check.add_argument("--fail-on", choices=["error", "warning", "info"], default="warning",
                       help="exit 1 when a finding is at least this severe (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="always exit 0: report only")
    check.add_argument("--project-files-only", action="store_true",
                       help="skip named files that are not the project's scripts, configs, log or card "
                            "(for pre-commit, which passes every changed file)")
    check.add_argument("--select", action="append", help="only these codes or prefixes (comma-separated)")
    check.add_argument("--ignore", action="append", help="skip these codes or prefixes (comma-separated)")
    check.set_defaults(func=cmd_check)
