"""Read-only editor features: hover, CodeLens, inlay hints, completion and symbols in the log."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from paribus.core.actions.fixes import format_value
from paribus.core.judgement.rules import RULES
from paribus.core.judgement.rules.entry_fixes import only_seeds_changed
from paribus.core.judgement.workflow import change_text, metric_value
from paribus.core.model import log as logmodel
from paribus.core.positions import Span
from paribus.lsp.actions import ADD_HYPOTHESIS, RECORD_BASELINE, RECORD_RESULT, REVEAL, SCAFFOLD_BASELINE, has_run_entries
from paribus.lsp.convert import to_range, uri_of

RULE_CODE = re.compile(r"PB\d{3}")
ENTRY_KEYS = {
    "id": "unique name of the entry (b1, e3, ea2…)",
    "kind": "exploration | baseline | error-analysis | experiment | poc | replicate",
    "date": "when it ran (YYYY-MM-DD)",
    "script": "the training script it ran",
    "params": "baseline: full hyperparameter snapshot",
    "result": "metrics of the run, e.g. {train_f1: 0.71, val_f1: 0.58}",
    "of": "error analysis: the entry whose errors were examined",
    "examined": "error analysis: how many misclassified dev examples were looked at",
    "categories": "error analysis: category → count",
    "conclusion": "what the analysis or exploration concluded",
    "parent": "the entry this one changes (default: the previous baseline/experiment)",
    "intervention": "data | hyperparameters | architecture | pretrained | compute",
    "targets": "the error-analysis category this change addresses",
    "change": "name: [from, to] — one variable",
    "hypothesis": "why this change should help, in one sentence",
    "prediction": "{metric, direction: up|down|same, by}",
    "verdict": "confirmed | refuted | inconclusive (computed when absent)",
    "predictions": "this run's per-example predictions file (for paired comparisons)",
}
VALUES = {
    "kind": logmodel.KINDS,
    "intervention": logmodel.INTERVENTIONS,
    "verdict": logmodel.VERDICTS,
    "direction": logmodel.DIRECTIONS,
}


def _contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


async def _result_for(ls, uri: str):
    """The document a request names (a file or a notebook cell) and its project's latest check."""
    document = ls.document(uri)
    if document is None:
        return None, None
    return document, await ls.current_result(document.path)


def hyperparameter_history(ctx, state_name: str) -> str:
    """A markdown table: the value in each entry with a result, its metric, who changed it."""
    metric = ctx.card.card.metric.name if ctx.card.card.metric else None
    rows = []
    for entry in ctx.entries:
        if not entry.has_state or not entry.result:
            continue
        state = ctx.states.get(entry.id, {})
        if state_name not in state:
            continue
        changed = "✎" if entry.change and state_name in entry.change or entry.kind == "baseline" else ""
        value = metric_value(entry, metric)
        source = (entry.model_extra or {}).get("source")
        shown_id = f"{entry.id} ({str(source).split(':', 1)[0]})" if source else entry.id
        rows.append(f"| {shown_id} | {entry.kind} | `{format_value(state[state_name], '.yaml')}` {changed} | {'' if value is None else f'{value:g}'} | {entry.verdict or ''} |")
    if not rows:
        return f"**{state_name}**: no entry with a result records it yet."
    header = f"**{state_name}** across runs\n\n| entry | kind | value | {metric or 'metric'} | verdict |\n|---|---|---|---|---|\n"
    note = " · (mlflow), (wandb)… = imported from that tracker" if any("(" in row.split("|")[1] for row in rows) else ""
    return header + "\n".join(rows) + "\n\n✎ = set by this entry" + note


def register(server) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls, params: lsp.HoverParams) -> lsp.Hover | None:
        document, result = await _result_for(ls, params.text_document.uri)
        if document is None:
            return None
        path, codec = document.path, ls.workspace.position_codec
        lines = ls.lines_of(path)
        line, column = document.position(params.position, codec)
        text = lines[line - 1] if line - 1 < len(lines) else ""
        for match in RULE_CODE.finditer(text):
            if match.start() < column <= match.end() + 1 and match.group() in RULES:
                return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=RULES[match.group()].markdown()))
        if result is None:
            return None
        ctx = result.ctx
        view = ctx.view(path)
        if view is not None:
            for hp in view.hyperparameters:
                if _contains(hp.span, line, column):
                    names = {n.lower(): n for e in ctx.entries for n in ctx.states.get(e.id, {})}
                    state_name = hp.name if any(hp.name in s for s in ctx.states.values()) else names.get(hp.name.lower(), hp.name)
                    body = hyperparameter_history(ctx, state_name)
                    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=body), range=document.range(hp.span, codec))
        if ctx.log is not None and path == ctx.log_path:
            word = re.findall(r"[\w.-]+", text[max(0, column - 40) : column + 40])
            for item in ctx.log.entries:
                if item.id and item.entry and item.id in word and item.id in text:
                    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=_entry_summary(ctx, item.entry)))
        return None

    @server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
    async def code_lens(ls, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
        document, result = await _result_for(ls, params.text_document.uri)
        if result is None:
            return []
        ctx, path = result.ctx, document.path
        top = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
        lenses: list[lsp.CodeLens] = []
        if path in ctx.comparisons and document.holds(Span.point(1)):  # a notebook: over its first code cell
            comparison = ctx.comparisons[path]
            metric = ctx.card.card.metric.name if ctx.card.card.metric else None
            last = comparison.last_with_result
            if last is not None:
                value = metric_value(last, metric)
                shown = f": {metric} {value:g}" if value is not None else ""
                line = ctx.log.by_id(last.id).span.line - 1 if ctx.log and ctx.log.by_id(last.id) else 0
                lenses.append(lsp.CodeLens(range=top, command=lsp.Command(title=f"Last result {last.id}{shown}", command=REVEAL, arguments=[uri_of(ctx.log_path), line, 0])))
            if not has_run_entries(ctx) and comparison.last_with_result is None:
                lenses.append(lsp.CodeLens(range=top, command=lsp.Command(title="Record current state as baseline", command=RECORD_BASELINE, arguments=[uri_of(path)])))
            if comparison.changed:
                names = ", ".join(comparison.changed_names)
                if comparison.pending is None:
                    what = "record as replicate" if only_seeds_changed(comparison) else "add hypothesis"
                    lenses.append(lsp.CodeLens(range=top, command=lsp.Command(title=f"Pending change: {names} — {what}", command=ADD_HYPOTHESIS, arguments=[uri_of(path)])))
                else:
                    state = "with hypothesis" if comparison.pending.hypothesis else "no hypothesis yet"
                    line = ctx.log.by_id(comparison.pending.id).span.line - 1 if ctx.log and ctx.log.by_id(comparison.pending.id) else 0
                    lenses.append(lsp.CodeLens(range=top, command=lsp.Command(title=f"Pending {comparison.pending.id}: {names} ({state})", command=REVEAL, arguments=[uri_of(ctx.log_path), line, 0])))
        elif ctx.log is not None and path == ctx.log_path:
            lenses.extend(_log_lenses(ls, ctx, path))
        elif path == ctx.card.path and not any(e.kind == "baseline" for e in ctx.entries):
            line = ctx.card.header_line - 1
            here = lsp.Range(start=lsp.Position(line=line, character=0), end=lsp.Position(line=line, character=0))
            lenses.append(lsp.CodeLens(range=here, command=lsp.Command(title="Scaffold baseline", command=SCAFFOLD_BASELINE, arguments=[{"root": str(ctx.root)}])))
        return lenses

    @server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
    async def inlay_hint(ls, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
        document, result = await _result_for(ls, params.text_document.uri)
        if result is None or document.path not in result.ctx.comparisons:
            return []
        path = document.path
        comparison = result.ctx.comparisons[path]
        hints = []
        parent = comparison.last_with_result.id if comparison.last_with_result else "parent"
        for item in comparison.changed:
            if item.path != path or not document.holds(item.hyperparameter.span):
                continue
            end = document.range(item.hyperparameter.span, ls.workspace.position_codec).end
            hints.append(lsp.InlayHint(position=end, label=f" {parent}: {format_value(item.parent_value, path.suffix)}", kind=lsp.InlayHintKind.Parameter, padding_left=True))
        return hints

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "{", ","]))
    async def completion(ls, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        document, result = await _result_for(ls, params.text_document.uri)
        path = document.path if document is not None else None
        if path is None or result is None or path != result.ctx.log_path:
            return None
        lines = ls.lines_of(path)
        line = lines[params.position.line] if params.position.line < len(lines) else ""
        before = line[: params.position.character]
        return lsp.CompletionList(is_incomplete=False, items=_log_completions(result.ctx, before, lines[: params.position.line]))

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbol(ls, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        document, result = await _result_for(ls, params.text_document.uri)
        path = document.path if document is not None else None
        if path is None or result is None or result.ctx.log is None or path != result.ctx.log_path:
            return []
        lines = ls.lines_of(path)
        codec = ls.workspace.position_codec
        symbols = []
        for item in result.ctx.log.entries:
            if not item.id:
                continue
            entry = item.entry
            detail = f"{entry.kind}: {change_text(entry)}" if entry else "invalid entry"
            full = to_range(item.span, lines, codec)
            selection = to_range(item.span_of("id"), lines, codec)
            symbols.append(lsp.DocumentSymbol(name=item.id, detail=detail, kind=lsp.SymbolKind.Event, range=full, selection_range=selection))
        return symbols


def _entry_summary(ctx, entry) -> str:
    metric = ctx.card.card.metric.name if ctx.card.card.metric else None
    parts = [f"**{entry.id}** · {entry.kind}", change_text(entry)]
    value = metric_value(entry, metric)
    if value is not None:
        parts.append(f"{metric} = {value:g}")
    if entry.hypothesis:
        parts.append(f"_{entry.hypothesis}_")
    if entry.verdict:
        parts.append(f"verdict: **{entry.verdict}**")
    return "\n\n".join(parts)


def _log_lenses(ls, ctx, path: Path) -> list[lsp.CodeLens]:

    lines = ls.lines_of(path)
    codec = ls.workspace.position_codec
    metric = ctx.card.card.metric.name if ctx.card.card.metric else None
    by_id = {e.id: e for e in ctx.entries}
    parents = ctx.parents
    metrics = ctx.last_run_metrics()
    lenses = []
    for item in ctx.log.entries:
        entry = item.entry
        if entry is None or entry.kind not in ("baseline", "experiment", "poc") or (entry.kind == "baseline" and entry.result):
            continue
        where = to_range(Span.point(item.span.line, item.span.column), lines, codec)
        if entry.result:
            parent = by_id.get(parents.get(entry.id) or "")
            before = metric_value(parent, metric) if parent else None
            after = metric_value(entry, metric)
            moved = f"{metric} {before:g} → {after:g}" if before is not None and after is not None else ""
            title = f"{entry.verdict or 'no verdict'}{': ' + moved if moved else ''}"
        elif metrics is not None:
            shown = ", ".join(f"{name} {value:g}" for name, value in list(metrics.items())[:3])
            lenses.append(lsp.CodeLens(range=where, command=lsp.Command(title=f"Record result ({shown})", command=RECORD_RESULT, arguments=[uri_of(path), entry.id])))
            continue
        else:
            title = "pending: run it, then record the result"
        lenses.append(lsp.CodeLens(range=where, command=lsp.Command(title=title, command="")))
    return lenses


def _log_completions(ctx, before: str, previous_lines: list[str]) -> list[lsp.CompletionItem]:
    stripped = before.lstrip(" -")
    key_match = re.match(r"^([\w-]+):\s*(.*)$", stripped)
    if key_match is None:
        if before.strip() in ("", "-"):
            return [lsp.CompletionItem(label=key, kind=lsp.CompletionItemKind.Field, detail=doc, insert_text=f"{key}: ") for key, doc in ENTRY_KEYS.items()]
        return []
    key, typed = key_match.group(1), key_match.group(2)
    if key in VALUES:
        return [lsp.CompletionItem(label=v, kind=lsp.CompletionItemKind.EnumMember) for v in VALUES[key]]
    if "direction:" in typed.split(",")[-1]:
        return [lsp.CompletionItem(label=v, kind=lsp.CompletionItemKind.EnumMember) for v in logmodel.DIRECTIONS]
    if key in ("parent", "of"):
        return [lsp.CompletionItem(label=e.id, kind=lsp.CompletionItemKind.Reference, detail=f"{e.kind}: {change_text(e)}") for e in reversed(ctx.entries) if key == "of" or e.has_state]
    if key == "change":
        names: dict[str, Any] = {}
        for state in ctx.states.values():
            names.update(state)
        return [lsp.CompletionItem(label=n, kind=lsp.CompletionItemKind.Variable, detail=f"last: {format_value(v, '.yaml')}") for n, v in sorted(names.items())]
    if key == "targets":
        categories: dict[str, int] = {}
        for e in ctx.entries:
            categories.update(e.categories or {})
        return [lsp.CompletionItem(label=c, kind=lsp.CompletionItemKind.Value, detail=f"{n} errors") for c, n in sorted(categories.items(), key=lambda kv: -kv[1])]
    return []
