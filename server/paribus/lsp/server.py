"""The Paribus language server: document lifecycle, diagnostics, commands.

A check covers a whole project (card, log, scripts, configs), so an edit to any of them
re-checks the others. Checks run in a worker thread, one per project at a time; edits that
arrive meanwhile coalesce into one re-check with the newest text, so a burst of keystrokes
never queues work and an idle edit is answered at once.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from paribus import __version__
from paribus.core.extract.notebooks import is_notebook
from paribus.core.judgement.check import run_rules
from paribus.core.judgement.failures import report_failure
from paribus.core.judgement.findings import Finding
from paribus.core.model.files import ReadResult, from_buffer, read_disk, read_text
from paribus.core.model.project import CheckContext, Project, find_project_root
from paribus.core.positions import Span
from paribus.lsp import notebooks
from paribus.lsp.convert import DocumentLines, path_of, to_diagnostic, uri_of
from paribus.lsp.documents import LineDocument, LineWorkspace
from paribus.lsp.settings import Settings, parse_settings

log = logging.getLogger("paribus")
WATCHED_SUFFIXES = {".py", ".ipynb", ".yaml", ".yml", ".toml", ".json", ".gin", ".db"}  # .db: MLflow's SQLite store


@dataclass
class CheckResult:
    ctx: CheckContext
    findings: list[Finding]
    texts: dict[Path, str] = field(default_factory=dict)  # the text each finding was computed on

    def for_path(self, path: Path) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


_ANSWERED = object()  # a request already answered with an error while it was being read


class ParibusProtocol(LanguageServerProtocol):
    """pygls' protocol, except that a request whose params don't fit its method gets an error
    response (pygls drops it, and the client would wait forever)."""

    def structure_message(self, data: dict):
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            msg_id = data.get("id")
            if "method" not in data or isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
                raise
            self._send_response(msg_id, error=_invalid_params(data.get("method"), error).to_response_error())
            return _ANSWERED

    def handle_message(self, message) -> None:
        if message is not _ANSWERED:
            super().handle_message(message)


def _invalid_params(method: object, error: JsonRpcException) -> JsonRpcException:
    cause = error.__cause__
    try:
        from cattrs import transform_error

        details = "; ".join(transform_error(cause)) if cause is not None else ""
    except Exception:  # noqa: BLE001 - a plain message will do
        details = str(cause or "")
    if not isinstance(error, JsonRpcInvalidParams):
        return error
    return JsonRpcInvalidParams(message=f"Invalid params for {method}: {details or 'they do not match the method'}")


class ParibusServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "paribus", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks.SYNC_OPTIONS, protocol_cls=ParibusProtocol,
        )
        self.settings = Settings()
        self.projects: dict[Path, Project] = {}
        self.results: dict[Path, CheckResult] = {}
        self._running: dict[Path, asyncio.Task] = {}
        self._dirty: set[Path] = set()
        self._roots: dict[Path, Path] = {}
        self._shown: dict[Path, tuple] = {}
        self._reported: set[tuple[str, str, str]] = set()
        self.notebooks = notebooks.OpenNotebooks(self)

    # -- projects and texts ---------------------------------------------------------------
    def root_of(self, path: Path) -> Path:
        folder = path.parent
        if folder not in self._roots:
            self._roots[folder] = find_project_root(folder)
        return self._roots[folder]

    def project(self, root: Path) -> Project:
        if root not in self.projects:
            self.projects[root] = Project(root)
        return self.projects[root]

    def open_texts(self) -> dict[Path, tuple[str, int | None]]:
        texts = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = path_of(uri)
            if path is not None:
                texts[path] = (document.source, document.version)
        texts.update(self.notebooks.texts())  # a notebook editor's cells, over the file opened as text
        return texts

    def text_of(self, path: Path) -> str | None:
        document = self.workspace.text_documents.get(uri_of(path))
        return document.source if document is not None else read_disk(path)

    def lines_of(self, path: Path) -> list[str]:
        """The lines the core's spans in ``path`` count (a notebook's: its Python text); an open
        document's own list of lines, not to be modified."""
        if is_notebook(path):
            return self.notebooks.lines_of(path)
        document = self.workspace.text_documents.get(uri_of(path))
        if isinstance(document, LineDocument):
            return document.line_list
        text = document.source if document is not None else read_disk(path)
        return text.split("\n") if text is not None else [""]

    def document(self, uri: str) -> DocumentLines | None:
        """The document a request names: a file, or a cell of an open notebook."""
        path = path_of(uri)
        if path is None:
            return self.notebooks.cell(uri)
        if is_notebook(path):
            return self.notebooks.file_document(path, uri)
        return DocumentLines(uri, path, self.lines_of(path))

    def document_for(self, path: Path, span: Span) -> DocumentLines | None:
        """The document a core span of ``path`` is shown in: the file, or the notebook cell holding it."""
        if is_notebook(path):
            return self.notebooks.document_for(path, span)
        return DocumentLines(uri_of(path), path, self.lines_of(path))

    # -- checking ------------------------------------------------------------------------
    def schedule(self, root: Path) -> None:
        if root in self._running:
            self._dirty.add(root)
            return
        self._running[root] = asyncio.ensure_future(self._check_until_clean(root))

    def schedule_all(self) -> None:
        for root in {self.root_of(p) for p in self.open_texts()} | set(self.results):
            self.schedule(root)

    async def _check_until_clean(self, root: Path) -> None:
        try:
            while True:
                self._dirty.discard(root)
                snapshot = self.open_texts()
                try:
                    result = await asyncio.to_thread(self._check, root, snapshot)
                except Exception as error:  # noqa: BLE001 - the server keeps serving whatever a check hit
                    report_failure(f"checking {root}", error)
                    self.report_once(f"checking {root}", error)
                    result = None
                if result is not None:
                    for where, error in result.ctx.failures:
                        self.report_once(where, error)
                    self.results[root] = result
                    self._publish(root, result, snapshot)
                    self._refresh_views(root, result)
                if root not in self._dirty:
                    break
        finally:
            self._running.pop(root, None)

    def _check(self, root: Path, snapshot: dict[Path, tuple[str, int | None]]) -> CheckResult:
        project = self.project(root)

        def source(path: Path) -> ReadResult:
            return from_buffer(path, snapshot[path][0]) if path in snapshot else read_text(path)

        project.source = source
        ctx = project.context()
        findings = run_rules(ctx, severity=self.settings.severity)
        return CheckResult(ctx, findings, {p: t for p, (t, _) in snapshot.items()})

    def report_once(self, where: str, error: BaseException) -> None:
        """Say in the output channel that part of a check failed, the first time only."""
        key = (where, type(error).__name__, str(error)[:500])
        if key in self._reported:
            return
        self._reported.add(key)
        trace = "".join(traceback.format_exception(error)).rstrip()
        message = f"Paribus: {where} failed ({type(error).__name__}: {error}); the other findings are still shown. Please report:\n{trace}"
        self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=message))

    def _publish(self, root: Path, result: CheckResult, snapshot: dict[Path, tuple[str, int | None]]) -> None:
        """Publish for the open documents of this project; a closed file shows nothing."""
        current = self.open_texts()
        codec = self.workspace.position_codec
        for path, (text, version) in snapshot.items():
            if path.suffix not in WATCHED_SUFFIXES or self.root_of(path) != root:
                continue
            if path not in current or current[path][1] != version:
                continue  # closed or superseded: nothing, or the queued re-check, publishes
            if is_notebook(path):
                self.notebooks.publish(path, result.for_path(path), codec)
                continue
            lines = self.lines_of(path)  # the version checked: no newer one arrived
            diagnostics = [to_diagnostic(f, lines, codec) for f in result.for_path(path)]
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri_of(path), version=version, diagnostics=diagnostics))

    def _refresh_views(self, root: Path, result: CheckResult) -> None:
        """Ask for CodeLens and inlay hints again when what they show changed.

        They depend on other files (a script's lens on the log), so the editor can't know.
        """
        ctx = result.ctx
        shown = (
            tuple((str(p), c.last_with_result.id if c.last_with_result else None, c.pending.id if c.pending else None,
                   tuple((i.state_name, repr(i.parent_value), i.hyperparameter.span) for i in c.changed)) for p, c in ctx.comparisons.items()),
            tuple((e.id, e.kind, bool(e.result), e.verdict, bool(e.hypothesis)) for e in ctx.entries),
            ctx.last_run_metrics() is not None,
        )
        first = root not in self._shown
        if self._shown.get(root) == shown:
            return
        self._shown[root] = shown
        self._send_refresh()
        if first:
            # An editor opened before the server was up may subscribe to refreshes only
            # once its own first request settles: say it again a little later.
            loop = asyncio.get_running_loop()
            for delay in (1.0, 3.0):
                loop.call_later(delay, self._send_refresh)

    def _send_refresh(self) -> None:
        workspace = self.client_capabilities.workspace
        if workspace and workspace.code_lens and workspace.code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)
        if workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    async def current_result(self, path: Path) -> CheckResult | None:
        """The project's latest check, waiting for one under way (or not yet started)."""
        root = self.root_of(path)
        if root not in self.results and root not in self._running:
            self.schedule(root)
        task = self._running.get(root)
        if task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=5)
            except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - answer with what there is
                pass
        return self.results.get(root)

    def on_document(self, uri: str, invalidate_files: bool = False) -> None:
        path = path_of(uri)
        if path is None or path.suffix not in WATCHED_SUFFIXES:
            return
        root = self.root_of(path)
        if invalidate_files:
            self.project(root).invalidate_files()
            self._roots.clear()
        self.schedule(root)

    async def refresh_settings(self) -> None:
        try:
            items = await self.workspace_configuration_async(lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="paribus")]))
        except Exception:  # noqa: BLE001 - clients without workspace/configuration keep the initial settings
            return
        if items and isinstance(items[0], dict):
            self.settings = parse_settings(items[0])
            apply_log_level(self.settings)


def create_server() -> ParibusServer:
    from paribus.lsp import actions, features

    server = ParibusServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: ParibusServer, params: lsp.InitializeParams) -> None:
        # pygls has just made the workspace (no document open yet): keep documents as lines.
        ls.workspace.__class__ = LineWorkspace
        ls.settings = parse_settings(params.initialization_options or {})
        apply_log_level(ls.settings)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: ParibusServer, params: lsp.InitializedParams) -> None:
        if _client_supports_configuration(ls):
            await ls.refresh_settings()
            ls.schedule_all()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: ParibusServer, params: lsp.DidChangeConfigurationParams) -> None:
        settings = params.settings.get("paribus") if isinstance(params.settings, dict) else None
        if settings:
            ls.settings = parse_settings(settings)
            apply_log_level(ls.settings)
        elif _client_supports_configuration(ls):
            await ls.refresh_settings()
        ls.schedule_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ParibusServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.on_document(params.text_document.uri, invalidate_files=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ParibusServer, params: lsp.DidChangeTextDocumentParams) -> None:
        if ls.settings.lintOnChange:
            ls.on_document(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ParibusServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.on_document(params.text_document.uri, invalidate_files=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ParibusServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
        ls.on_document(params.text_document.uri, invalidate_files=True)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: ParibusServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            ls.on_document(change.uri, invalidate_files=True)

    actions.register(server)
    features.register(server)
    notebooks.register(server)
    return server


def _client_supports_configuration(ls: ParibusServer) -> bool:
    workspace = ls.client_capabilities.workspace
    return bool(workspace and workspace.configuration)


def apply_log_level(settings: Settings) -> None:
    """Our own messages at the chosen level; pygls' per-message chatter only when debugging."""
    log.setLevel(settings.logLevel.upper())
    logging.getLogger("pygls").setLevel(logging.DEBUG if settings.logLevel == "debug" else logging.WARNING)


def serve() -> None:
    from paribus.process import collect_garbage_less_often, quiet_about_user_code

    quiet_about_user_code()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    apply_log_level(Settings())
    server = create_server()
    collect_garbage_less_often()
    server.start_io()
