"""Code actions and the commands they (and the client) run."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from paribus.core.judgement.check import suppressed_codes
from paribus.core.judgement.findings import Finding, Fix, TextEdit
from paribus.core.judgement.rules.entry_fixes import log_run_fix
from paribus.core.model.files import LOG_SUFFIXES, WriteRefused, writable_path
from paribus.core.positions import Span
from paribus.lsp.convert import path_of, to_workspace_edit
from pygls.exceptions import JsonRpcInvalidParams

REVEAL = "paribus.reveal"
WORKFLOW = "paribus.workflow"
ADD_HYPOTHESIS = "paribus.addHypothesis"
SCAFFOLD_BASELINE = "paribus.scaffoldBaseline"
RECORD_RESULT = "paribus.recordResult"
CREATE_CARD = "paribus.createCard"
ADD_ERROR_ANALYSIS = "paribus.addErrorAnalysis"
RECORD_BASELINE = "paribus.recordBaseline"
RECORD_BASELINE_KIND = lsp.CodeActionKind.Source + ".paribus.recordBaseline"
LOG_THIS_RUN_KIND = lsp.CodeActionKind.Source + ".paribus.logThisRun"
SCAFFOLD_KIND = lsp.CodeActionKind.Source + ".paribus.scaffoldBaseline"


def _overlaps(span: Span, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Line-wise: a cursor anywhere on a finding's line offers its fixes."""
    return span.line <= end[0] and start[0] <= span.end_line


def _supports_document_changes(ls) -> bool:
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and edit.document_changes)


def fix_to_action(ls, fix: Fix, finding: Finding | None, kind: str = lsp.CodeActionKind.QuickFix) -> lsp.CodeAction | None:
    """The fix as a code action; None when its edits have no place in the open documents."""
    codec = ls.workspace.position_codec
    edit = to_workspace_edit(fix, ls.document_for, codec, _supports_document_changes(ls))
    if edit is None:
        return None
    action = lsp.CodeAction(title=fix.title, kind=kind, edit=edit, is_preferred=fix.preferred or None)
    if finding is not None:
        document = ls.document_for(finding.path, finding.span)
        action.diagnostics = [document.diagnostic(finding, codec)] if document is not None else None
    shown = ls.document_for(*fix.show) if fix.show is not None else None
    if shown is not None:  # where the fix leaves the text: not clamped to the lines it has now
        line, column = fix.show[1].line - shown.offset, fix.show[1].column
        action.command = lsp.Command(title="Show", command=REVEAL, arguments=[shown.uri, line - 1, column - 1])
    return action


def _ignore_action(ls, finding: Finding) -> lsp.CodeAction | None:
    lines = ls.lines_of(finding.path)
    line_index = finding.span.line - 1
    if line_index >= len(lines) or finding.path.suffix not in (".py", ".ipynb", ".yaml", ".yml", ".toml", ".gin"):
        return None
    line = lines[line_index]
    existing = suppressed_codes(line)
    if existing is not None:
        return None
    edit = TextEdit(finding.path, Span.point(finding.span.line, len(line) + 1), f"  # paribus: ignore[{finding.code}]")
    return fix_to_action(ls, Fix(f"Ignore {finding.code} on this line", (edit,)), finding)


def register(server) -> None:
    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, LOG_THIS_RUN_KIND, SCAFFOLD_KIND, RECORD_BASELINE_KIND]),
    )
    async def code_action(ls, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        document = ls.document(params.text_document.uri)  # a file, or a notebook cell
        if document is None:
            return []
        path = document.path
        result = await ls.current_result(path)
        if result is None:
            return []
        codec = ls.workspace.position_codec
        start = document.position(params.range.start, codec)
        end = document.position(params.range.end, codec)
        only = params.context.only
        actions: list[lsp.CodeAction] = []
        if not only or lsp.CodeActionKind.QuickFix in only:
            for finding in result.for_path(path):
                if not _overlaps(finding.span, start, end):
                    continue
                for fix in finding.fixes:
                    try:
                        resolved = await asyncio.to_thread(fix.resolved) if fix.build else fix
                    except Exception as error:  # noqa: BLE001 - e.g. a baseline with no data to point at
                        ls.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Warning, message=f"{fix.title}: {error}"))
                        continue
                    refusal = write_refusal(result.ctx.root, resolved, result.ctx.log_path)
                    action = fix_to_action(ls, resolved, finding) if refusal is None else None
                    if action is not None:
                        actions.append(action)
                    elif refusal is not None and _supports_disabled(ls):
                        actions.append(lsp.CodeAction(title=resolved.title, kind=lsp.CodeActionKind.QuickFix, disabled=lsp.CodeActionDisabled(reason=refusal)))
                ignore = _ignore_action(ls, finding)
                if ignore is not None:
                    actions.append(ignore)
        card = result.ctx.card
        if path == card.path and card.card.status == "greenfield" and not any(e.kind == "baseline" for e in result.ctx.entries):
            actions.append(_scaffold_action(result.ctx.root, lsp.CodeActionKind.QuickFix))
        if path in result.ctx.comparisons and not has_run_entries(result.ctx) and (not only or any(k.startswith(lsp.CodeActionKind.Source) for k in only)):
            action = await asyncio.to_thread(_record_baseline_action, ls, result.ctx, path)
            if action is not None:
                actions.append(action)
        # Source actions only when asked for: they are not fixes of what is under the cursor.
        if path.suffix in (".py", ".ipynb") and only and any(k.startswith(lsp.CodeActionKind.Source) for k in only):
            actions.extend(_source_actions(ls, result, path))
        return actions

    @server.command(REVEAL)
    async def reveal(ls, uri: str, line: int, character: int) -> None:
        await ls.window_show_document_async(_show_params(uri, line, character))

    @server.command(ADD_HYPOTHESIS)
    async def add_hypothesis(ls, uri: str) -> bool:
        """Log the script's current change as a pending experiment, or a replicate when only the
        seed changed (CodeLens and *Log this run*)."""
        path = _workspace_path(ls, uri)
        if path is None:
            return False
        result = ls.results.get(ls.root_of(path))
        script = next((s for s in result.ctx.scripts if s.path == path), None) if result else None
        if script is None:
            return False
        comparison = result.ctx.comparisons[path]
        if not comparison.changed or comparison.pending is not None:
            return False
        return await _apply(ls, log_run_fix(result.ctx, script, comparison), result.ctx.root, result.ctx.log_path)

    @server.command(SCAFFOLD_BASELINE)
    async def scaffold_baseline(ls, options: dict[str, Any] | None = None) -> bool:
        """Write a baseline script for the card's data type and log it (one undoable edit)."""
        from paribus.core.actions.scaffold import ScaffoldError, scaffold_fix

        root = _requested_root(ls, options)
        if root is None:
            return False
        ctx = ls.project(root).context()
        try:
            fix = await asyncio.to_thread(scaffold_fix, ctx)
        except ScaffoldError as error:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"Paribus: {error}"))
            return False
        return await _apply(ls, fix, ctx.root, ctx.log_path)

    @server.command(RECORD_RESULT)
    async def record_result(ls, uri: str, entry_id: str | None = None) -> bool:
        """Fill the pending entry's result from the last run's metrics, as an edit the user can undo."""
        from paribus.core.actions.record import RecordError, fill_result

        path = _workspace_path(ls, uri)
        if path is None:
            return False
        result = ls.results.get(ls.root_of(path))
        if result is not None and path != result.ctx.log_path:
            _refuse(ls, f"{path.name} is not this project's experiment log ({result.ctx.project.relative(result.ctx.log_path)})")
            return False
        metrics = result.ctx.last_run_metrics() if result else None
        if metrics is None:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message="Paribus: no metrics from a last run (.paribus/last-run.json)"))
            return False
        text = ls.text_of(path) or ""
        try:
            new_text, outcome = await asyncio.to_thread(fill_result, text, metrics, entry_id=entry_id, project=result.ctx.project)
        except RecordError as error:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"Paribus: {error}"))
            return False
        whole = Span(1, 1, len(text.split("\n")) + 1, 1)
        applied = await _apply(ls, Fix(f"Record result of {outcome.entry_id}", (TextEdit(path, whole, new_text),)), result.ctx.root, result.ctx.log_path)
        if applied:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=f"Paribus: {outcome.summary()}"))
        return applied

    @server.command(CREATE_CARD)
    async def create_card(ls, options: dict[str, Any] | None = None) -> bool:
        """Draft `paribus.toml` from the folder; never over an existing card."""
        from paribus.core.judgement.rules.card_rules import create_card_fix

        root = _requested_root(ls, options)
        if root is None:
            return False
        if ls.project(root).card().exists:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message="Paribus: this project already has a card"))
            return False
        return await _apply(ls, await asyncio.to_thread(create_card_fix, root), root)

    @server.command(ADD_ERROR_ANALYSIS)
    async def add_error_analysis(ls, options: dict[str, Any] | None = None) -> bool:
        """Append an error-analysis entry of the latest result, pre-filled from the predictions."""
        from paribus.core.actions.fixes import append_entry
        from paribus.core.judgement.rules.diagnosis import error_analysis_fields

        root = _requested_root(ls, options)
        if root is None:
            return False
        ctx = ls.project(root).context()
        with_result = [e for e in ctx.entries if e.has_state and e.result]
        if not with_result:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message="Paribus: no result to analyse yet"))
            return False
        fields = await asyncio.to_thread(error_analysis_fields, ctx, with_result[-1].id)
        edit, focus = append_entry(ctx.log_path, ctx.project.read(ctx.log_path), fields, focus="conclusion")
        return await _apply(ls, Fix("Add error-analysis entry", (edit,), show=(ctx.log_path, focus) if focus else None), ctx.root, ctx.log_path)

    @server.command(RECORD_BASELINE)
    async def record_baseline(ls, uri: str) -> bool:
        """Log the script's current values as the baseline of an empty or absent log (CodeLens)."""
        from paribus.core.actions.record import RecordError
        from paribus.core.actions.record_run import record_state_fix

        path = _workspace_path(ls, uri)
        result = await ls.current_result(path) if path else None
        if result is None or path not in result.ctx.comparisons or has_run_entries(result.ctx):
            return False
        try:
            fix = await asyncio.to_thread(record_state_fix, result.ctx, path)
        except RecordError as error:
            ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"Paribus: {error}"))
            return False
        return await _apply(ls, fix, result.ctx.root, result.ctx.log_path)

    @server.command(WORKFLOW)
    async def workflow(ls, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """The diagnostic workflow of a project as HTML (for a webview), JSON and text."""
        requested = (options or {}).get("root") if isinstance(options, dict) else None
        root = _trusted_root(ls, Path(requested) if isinstance(requested, str) and requested else None)
        if root is None:
            raise JsonRpcInvalidParams(message=f"Paribus: {requested!r} is not a folder of this workspace")
        return await asyncio.to_thread(_workflow_payload, ls, root)


def write_refusal(root: Path, fix: Fix, log_path: Path | None = None) -> str | None:
    """Why Paribus may not make this fix's edits (one outside the project, a read-only log...)."""
    for edit in fix.edits:
        try:
            writable_path(root, edit.path, suffixes=LOG_SUFFIXES if edit.path == log_path else None)
        except WriteRefused as error:
            return str(error)
    return None


def _refuse(ls, reason: str) -> None:
    ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"Paribus: {reason}; nothing written"))


def _supports_disabled(ls) -> bool:
    document = ls.client_capabilities.text_document
    code_action = document.code_action if document else None
    return bool(code_action and code_action.disabled_support)


def _workspace_roots(ls) -> list[Path]:
    """The folders the editor opened; without any, the projects of the open documents."""
    roots = [path_of(folder.uri) for folder in ls.workspace.folders.values()]
    if ls.workspace.root_path:
        roots.append(Path(ls.workspace.root_path))
    return [root.resolve() for root in roots if root is not None]


def _trusted_root(ls, requested: Path | None) -> Path | None:
    """The project root for a command's ``root`` argument, when it lies in the workspace."""
    if requested is None:
        roots = _workspace_roots(ls) or sorted({ls.root_of(path) for path in ls.open_texts()})
        return ls.root_of(roots[0] / "x") if roots else None
    try:
        requested = requested.resolve()
    except (OSError, RuntimeError):
        return None
    inside = [root for root in _workspace_roots(ls) if requested == root or root in requested.parents]
    # Outside the workspace folders: only the folder or the project of a document the user opened.
    opened = {folder.resolve() for path in ls.open_texts() for folder in (path.parent, ls.root_of(path))}
    if not inside and requested not in opened:
        return None
    return ls.root_of(requested / "x") if requested.is_dir() else None


def _requested_root(ls, options: Any) -> Path | None:
    """The root a command names (default: the workspace's), or None after saying why not."""
    requested = options.get("root") if isinstance(options, dict) else None
    if requested is not None and not isinstance(requested, str):
        _refuse(ls, f"the project root must be a path, not {type(requested).__name__}")
        return None
    root = _trusted_root(ls, Path(requested) if requested else None)
    if root is None:
        _refuse(ls, f"{requested or 'no project'} is not a folder of this workspace")
    return root


def _workspace_path(ls, uri: Any) -> Path | None:
    """A document a command names, when it lies in a workspace project; else None after saying why."""
    path = path_of(uri) if isinstance(uri, str) else None
    if path is None:
        _refuse(ls, f"{uri!r} is not a file of this workspace")
        return None
    if _trusted_root(ls, path.parent) is None:
        _refuse(ls, f"{path} is not in a folder of this workspace")
        return None
    return path


async def _apply(ls, fix: Fix, root: Path, log_path: Path | None = None) -> bool:
    refusal = write_refusal(root, fix, log_path)
    if refusal is not None:
        _refuse(ls, refusal)
        return False
    action = fix_to_action(ls, fix, None)
    if action is None:
        return False
    applied = await ls.workspace_apply_edit_async(lsp.ApplyWorkspaceEditParams(edit=action.edit, label=fix.title))
    if applied.applied and action.command:
        await ls.window_show_document_async(_show_params(*action.command.arguments))
    return bool(applied.applied)


def _show_params(uri: str, line: int, character: int) -> lsp.ShowDocumentParams:
    position = lsp.Position(line=line, character=character)
    return lsp.ShowDocumentParams(uri=uri, take_focus=True, selection=lsp.Range(start=position, end=position))


def _workflow_payload(ls, root: Path) -> dict[str, Any]:
    from paribus.core.judgement.workflow import build_workflow
    from paribus.render import json_safe, render_workflow

    root = ls.root_of(root / "x") if root.is_dir() else ls.root_of(root)
    project = ls.project(root)
    workflow = build_workflow(project)
    return {"html": render_workflow(workflow, "html"), "json": json_safe(workflow.to_json()), "text": render_workflow(workflow, "text")}


def _source_actions(ls, result, path: Path) -> list[lsp.CodeAction]:
    actions = []
    script = next((s for s in result.ctx.scripts if s.path == path), None)
    if script is not None:
        comparison = result.ctx.comparisons[path]
        if comparison.changed and comparison.pending is None:
            fix = log_run_fix(result.ctx, script, comparison)
            action = fix_to_action(ls, Fix("Paribus: Log this run", fix.edits, fix.show), None, LOG_THIS_RUN_KIND) \
                if write_refusal(result.ctx.root, fix, result.ctx.log_path) is None else None
            if action is not None:
                actions.append(action)
    actions.append(_scaffold_action(result.ctx.root, SCAFFOLD_KIND, "Paribus: Scaffold baseline"))
    return actions


def has_run_entries(ctx) -> bool:
    """Whether the log records any run (baseline, experiment, poc): else the script's state is the first."""
    return any(entry.has_state for entry in ctx.entries)


def _record_baseline_action(ls, ctx, path: Path) -> lsp.CodeAction | None:
    from paribus.core.actions.record import RecordError
    from paribus.core.actions.record_run import record_state_fix

    try:
        fix = record_state_fix(ctx, path)
    except RecordError:
        return None
    return fix_to_action(ls, fix, None, RECORD_BASELINE_KIND)


def _scaffold_action(root: Path, kind: str, title: str = "Scaffold baseline") -> lsp.CodeAction:
    """A greenfield project's first step: the simplest model for the card's data type."""
    command = lsp.Command(title="Scaffold baseline", command=SCAFFOLD_BASELINE, arguments=[{"root": str(root)}])
    return lsp.CodeAction(title=title, kind=kind, command=command)
