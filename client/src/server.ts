// Starts, stops and restarts the one language client; restarts are serialized and debounced.
import { Disposable, ExtensionContext, FileSystemWatcher, LogOutputChannel, workspace } from 'vscode';
import { Executable, LanguageClient, LanguageClientOptions, RevealOutputChannelOn, ServerOptions } from 'vscode-languageclient/node';
import { Interpreter, resolveInterpreter } from './python';
import { reportServerUnavailable, reportStartFailure } from './serverProblems';
import { checkServerPackage, describeCommand } from './serverPackage';
import { getPrimaryWorkspaceFolder, getServerSettings, settingsSection } from './settings';

const restartDelayMs = 500;

// Files rewritten outside the editor (the log by training runs, predictions, configs, checkouts).
// JSON is left out: trackers write many JSON files per run.
const watchedOnDisk = '**/*.{py,yaml,yml,toml,json,csv,parquet,db}';

// Files the server checks: scripts, configs, the experiment log and the project card.
const documentSelector = [
    { scheme: 'file', language: 'python' },
    { scheme: 'file', language: 'yaml' },
    { scheme: 'file', language: 'toml' },
    { scheme: 'file', language: 'json' },
    // Without a TOML extension, paribus.toml and pyproject.toml open as plain text.
    { scheme: 'file', pattern: '**/*.toml' },
    // Python cells of Jupyter notebooks: the server syncs them as notebooks (notebookDocument/*);
    // this lets quick fixes, hover, inlay hints and CodeLens reach it from the cells.
    { notebook: 'jupyter-notebook', language: 'python' },
];

function serverCommand(interpreter: Interpreter): Executable {
    const [program, ...leadingArgs] = interpreter.command;
    // Set by the "Run Extension (debug server)" launch configuration.
    const debugPort = process.env.PARIBUS_DEBUG_PORT;
    const debugArgs = debugPort ? ['-m', 'debugpy', '--listen', debugPort] : [];
    return {
        command: program,
        args: [...leadingArgs, ...debugArgs, '-m', 'paribus', 'lsp'],
        options: { cwd: getPrimaryWorkspaceFolder()?.uri.fsPath, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
    };
}

export class ServerManager implements Disposable {
    private client: LanguageClient | undefined;
    private fileWatcher: FileSystemWatcher | undefined;
    /** The interpreter command of the last start attempt, to skip restarts that would change nothing. */
    private startedWith: string | undefined;
    private pending: Promise<void> = Promise.resolve();
    private restartTimer: NodeJS.Timeout | undefined;

    constructor(private readonly context: ExtensionContext, private readonly log: LogOutputChannel) {}

    /** The running client, after any start or restart in progress has finished. */
    async runningClient(): Promise<LanguageClient | undefined> {
        await this.pending;
        return this.client?.isRunning() ? this.client : undefined;
    }

    start(): Promise<void> {
        return this.enqueue(() => this.startNow());
    }

    restart(reason: string): Promise<void> {
        this.cancelScheduledRestart();
        return this.enqueue(async () => {
            this.log.info(`Restarting the server: ${reason}`);
            await this.stopNow();
            await this.startNow();
        });
    }

    /**
     * Coalesces bursts of changes (typing in settings, environment switches) into one restart.
     * With `onlyIfInterpreterChanged`, a running server whose interpreter would stay the same is kept.
     */
    scheduleRestart(reason: string, options: { onlyIfInterpreterChanged?: boolean } = {}): void {
        this.cancelScheduledRestart();
        this.restartTimer = setTimeout(() => {
            void (options.onlyIfInterpreterChanged ? this.restartIfInterpreterChanged(reason) : this.restart(reason));
        }, restartDelayMs);
    }

    private async restartIfInterpreterChanged(reason: string): Promise<void> {
        const interpreter = await resolveInterpreter(getPrimaryWorkspaceFolder(), this.log);
        const running = (await this.runningClient()) !== undefined;
        if (running && JSON.stringify(interpreter.command) === this.startedWith) {
            this.log.info(`${reason}; the interpreter is unchanged, so the server keeps running.`);
            return;
        }
        await this.restart(reason);
    }

    stop(): Promise<void> {
        this.cancelScheduledRestart();
        return this.enqueue(() => this.stopNow());
    }

    dispose(): void {
        void this.stop();
    }

    private enqueue(operation: () => Promise<void>): Promise<void> {
        const next = this.pending.then(operation).catch((error: unknown) => {
            this.log.error(`Server lifecycle error: ${String(error)}`);
        });
        this.pending = next;
        return next;
    }

    private cancelScheduledRestart(): void {
        if (this.restartTimer !== undefined) {
            clearTimeout(this.restartTimer);
            this.restartTimer = undefined;
        }
    }

    private async startNow(): Promise<void> {
        const folder = getPrimaryWorkspaceFolder();
        const interpreter = await resolveInterpreter(folder, this.log);
        this.log.info(`Interpreter (${interpreter.source}): ${describeCommand(interpreter.command)}`);
        this.startedWith = JSON.stringify(interpreter.command);

        const check = await checkServerPackage(interpreter.command);
        if (check.status !== 'ready') {
            this.log.error(`The server cannot start (${check.status}): ${check.detail}`);
            reportServerUnavailable(this.context, this.log, interpreter, check, () => this.restart('Paribus was installed'));
            return;
        }
        this.log.info(`paribus ${check.version} found; starting the server.`);

        this.fileWatcher = workspace.createFileSystemWatcher(watchedOnDisk);
        const serverOptions: ServerOptions = serverCommand(interpreter);
        const clientOptions: LanguageClientOptions = {
            documentSelector,
            outputChannel: this.log,
            traceOutputChannel: this.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: { settings: getServerSettings(folder) },
            // Sends workspace/didChangeConfiguration; the server pulls values with workspace/configuration.
            synchronize: { configurationSection: settingsSection, fileEvents: this.fileWatcher },
        };
        const client = new LanguageClient('paribus', 'Paribus', serverOptions, clientOptions);
        try {
            await client.start();
            this.client = client;
        } catch (error) {
            this.log.error(`The server failed to start: ${String(error)}`);
            reportStartFailure(this.log, () => this.restart('requested after a failed start'));
            await client.dispose().catch(() => undefined);
            this.fileWatcher?.dispose();
            this.fileWatcher = undefined;
        }
    }

    private async stopNow(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        this.fileWatcher?.dispose();
        this.fileWatcher = undefined;
        if (client === undefined) {
            return;
        }
        try {
            await client.dispose();
        } catch (error) {
            this.log.warn(`Stopping the server: ${String(error)}`);
        }
    }
}
