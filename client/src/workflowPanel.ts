// Shows the server's diagnostic-workflow page in one reusable webview and acts on its clicks.
import * as path from 'node:path';
import {
    commands, Disposable, LogOutputChannel, Range, RelativePattern, Uri, ViewColumn, WebviewPanel, window, workspace,
} from 'vscode';
import { findProjectRoot, isInside } from './paths';
import { ServerManager } from './server';
import { makeNonce, messagePage, parseWorkflowMessage, prepareWorkflowHtml, WorkflowMessage } from './workflowWebview';

interface WorkflowResult {
    html: string;
    json: unknown;
    text: string;
}

function isWorkflowResult(value: unknown): value is WorkflowResult {
    return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).html === 'string';
}

// Files whose change can alter the workflow: scripts, configs, card, log, predictions, tracker stores.
const watchedFiles = '**/*.{py,yaml,yml,toml,json,csv,parquet,db}';

/** The project of the active file, else the project shown last, else the first workspace folder. */
function chooseWorkflowRoot(previousRoot: string | undefined): string | undefined {
    const document = window.activeTextEditor?.document;
    if (document?.uri.scheme === 'file') {
        const directory = path.dirname(document.uri.fsPath);
        const folder = workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
        return findProjectRoot(directory, folder) ?? folder ?? directory;
    }
    return previousRoot ?? workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export class WorkflowPanel implements Disposable {
    private panel: WebviewPanel | undefined;
    private root: string | undefined;
    private stale = false;
    private refreshGeneration = 0;
    private panelDisposables: Disposable[] = [];
    private watcherDisposables: Disposable[] = [];

    constructor(private readonly servers: ServerManager, private readonly log: LogOutputChannel) {}

    async open(): Promise<void> {
        const root = chooseWorkflowRoot(this.root);
        if (root === undefined) {
            void window.showErrorMessage('Open a folder or a file of a Paribus project to see its workflow.');
            return;
        }
        const panel = this.showPanel();
        if (root !== this.root) {
            this.root = root;
            this.watchProject(root);
        }
        panel.title = `Paribus workflow: ${path.basename(root)}`;
        await this.refresh();
    }

    dispose(): void {
        this.panel?.dispose();
    }

    private showPanel(): WebviewPanel {
        if (this.panel !== undefined) {
            this.panel.reveal();
            return this.panel;
        }
        const panel = window.createWebviewPanel(
            'paribus.workflow',
            'Paribus workflow',
            { viewColumn: window.activeTextEditor ? ViewColumn.Beside : ViewColumn.Active },
            // No local or remote resources: the page is self-contained HTML with inline SVG.
            { enableScripts: true, enableCommandUris: false, localResourceRoots: [], enableFindWidget: true },
        );
        panel.webview.html = messagePage(panel.webview.cspSource, 'Paribus workflow', 'Asking the server…');
        this.panelDisposables.push(
            panel.webview.onDidReceiveMessage((message: unknown) => this.handleMessage(message)),
            // A hidden webview forgets injected state, so repeat the notice when it is shown again.
            panel.onDidChangeViewState(() => this.announceIfStale()),
            panel.onDidDispose(() => this.forgetPanel()),
        );
        this.panel = panel;
        return panel;
    }

    private forgetPanel(): void {
        this.panel = undefined;
        this.root = undefined;
        this.stale = false;
        [...this.panelDisposables, ...this.watcherDisposables].forEach((disposable) => disposable.dispose());
        this.panelDisposables = [];
        this.watcherDisposables = [];
    }

    private watchProject(root: string): void {
        this.watcherDisposables.forEach((disposable) => disposable.dispose());
        const watcher = workspace.createFileSystemWatcher(new RelativePattern(Uri.file(root), watchedFiles));
        const markStale = (): void => this.markStale();
        this.watcherDisposables = [
            watcher,
            watcher.onDidChange(markStale),
            watcher.onDidCreate(markStale),
            watcher.onDidDelete(markStale),
            workspace.onDidSaveTextDocument((document) => {
                if (document.uri.scheme === 'file' && isInside(document.uri.fsPath, root)) {
                    this.markStale();
                }
            }),
        ];
    }

    private markStale(): void {
        this.stale = true;
        this.announceIfStale();
    }

    private announceIfStale(): void {
        if (this.stale && this.panel?.visible) {
            void this.panel.webview.postMessage({ type: 'stale' });
        }
    }

    private async refresh(): Promise<void> {
        const panel = this.panel;
        const root = this.root;
        if (panel === undefined || root === undefined) {
            return;
        }
        const generation = ++this.refreshGeneration;
        const client = await this.servers.runningClient();
        if (client === undefined) {
            panel.webview.html = messagePage(panel.webview.cspSource, 'The Paribus server is not running',
                'Run "Paribus: Restart server", or see the Paribus output for why it stopped.');
            return;
        }
        try {
            const result: unknown = await client.sendRequest('workspace/executeCommand', {
                command: 'paribus.workflow',
                arguments: [{ root }],
            });
            if (!isWorkflowResult(result)) {
                throw new Error('the server answered without an html page');
            }
            // An older request finishing late must not overwrite a newer page.
            if (generation === this.refreshGeneration && this.panel === panel) {
                this.stale = false;
                panel.webview.html = prepareWorkflowHtml(result.html, panel.webview.cspSource, makeNonce());
            }
        } catch (error) {
            this.log.error(`paribus.workflow for ${root} failed: ${String(error)}`);
            if (generation === this.refreshGeneration && this.panel === panel) {
                panel.webview.html = messagePage(panel.webview.cspSource, 'The workflow could not be computed', String(error));
            }
        }
    }

    private async handleMessage(raw: unknown): Promise<void> {
        const message = parseWorkflowMessage(raw);
        if (message === undefined) {
            this.log.warn(`Ignored a message from the workflow view: ${JSON.stringify(raw)}`);
            return;
        }
        try {
            await this.act(message);
        } catch (error) {
            this.log.error(`Workflow view action failed: ${String(error)}`);
            void window.showErrorMessage(`Paribus: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    private async act(message: WorkflowMessage): Promise<void> {
        switch (message.kind) {
            case 'refresh':
                await this.refresh();
                return;
            case 'command':
                await commands.executeCommand(message.command, ...message.args);
                return;
            case 'open':
                await this.openFile(message.path, message.line);
                return;
        }
    }

    private async openFile(target: string, line: number | undefined): Promise<void> {
        const file = path.isAbsolute(target) || this.root === undefined ? target : path.join(this.root, target);
        const position = line === undefined ? undefined : new Range(line - 1, 0, line - 1, 0);
        // Keep the workflow visible: open files in the other editor group.
        const viewColumn = this.panel?.viewColumn === ViewColumn.One ? ViewColumn.Beside : ViewColumn.One;
        await window.showTextDocument(Uri.file(file), { viewColumn, selection: position, preview: false });
    }
}
