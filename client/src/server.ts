// Starts, stops and restarts the one language client; restarts are serialized and debounced.
// Every Python process runs with -P/-I in the extension's storage folder (never the workspace),
// so nothing of the workspace is importable by the server, the probe or the installer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Disposable, ExtensionContext, FileSystemWatcher, LogOutputChannel, workspace } from 'vscode';
import { Executable, LanguageClient, LanguageClientOptions, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import { environmentLayout } from './paribusEnvironment';
import { Interpreter, resolveInterpreter } from './python';
import { ensureWorkingDirectory, Isolation } from './pythonProcess';
import { createEnvironment, reportServerUnavailable, reportStartFailure, SetupContext, updateEnvironment } from './serverProblems';
import { checkServerPackage, describeCommand, findInstallableServer, PackageCheck, serverLaunch, wheelVersion } from './serverPackage';
import { getPrimaryWorkspaceFolder, getServerSettings, settingsSection } from './settings';
import { planStart } from './setupAdvice';
import { ServerStatusItem } from './statusItem';

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

/** The extension's own folder: the working directory of every Python process and the home of its environment. */
export function storageDirectory(context: ExtensionContext): string {
    const storage = context.globalStorageUri;
    return storage.scheme === 'file' ? storage.fsPath : os.tmpdir();
}

interface ServerRun {
    interpreter: Interpreter;
    isolation: Isolation;
    version: string;
}

export class ServerManager implements Disposable {
    private client: LanguageClient | undefined;
    private fileWatcher: FileSystemWatcher | undefined;
    /** The interpreter command of the last start attempt, to skip restarts that would change nothing. */
    private startedWith: string | undefined;
    private pending: Promise<void> = Promise.resolve();
    private restartTimer: NodeJS.Timeout | undefined;

    private readonly storage: string;

    constructor(
        private readonly context: ExtensionContext,
        private readonly log: LogOutputChannel,
        private readonly status: ServerStatusItem,
    ) {
        this.storage = storageDirectory(context);
    }

    /** What the setup flows (install, create an environment) need from the manager. */
    setupContext(): SetupContext {
        return {
            extensionPath: this.context.extensionPath,
            storageDirectory: this.storage,
            log: this.log,
            status: this.status,
            restart: (reason) => this.restart(reason),
        };
    }

    /** "Paribus: Create a Paribus environment": from the interpreter the server would use. */
    async createEnvironmentFromChosen(): Promise<void> {
        const interpreter = await resolveInterpreter(getPrimaryWorkspaceFolder(), this.log);
        const check = await checkServerPackage(interpreter.command, 'safe-path', this.storage);
        if (check.status === 'interpreter-missing' || check.status === 'python-too-old') {
            reportServerUnavailable(this.setupContext(), interpreter, check);
            return;
        }
        await createEnvironment(this.setupContext(), interpreter, check.facts);
    }

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
        this.status.set({ kind: 'starting', detail: 'Looking for a Python interpreter with Paribus.' });
        const interpreter = await resolveInterpreter(folder, this.log);
        this.log.info(`Interpreter (${interpreter.source}): ${describeCommand(interpreter.command)}`);
        this.startedWith = JSON.stringify(interpreter.command);
        fs.mkdirSync(this.storage, { recursive: true });

        const run = await this.chooseRun(interpreter);
        if (run === undefined) {
            return;
        }
        this.log.info(`paribus ${run.version} found in ${describeCommand(run.interpreter.command)}; starting the server.`);
        this.status.set({ kind: 'starting', detail: `Starting paribus ${run.version} with ${describeCommand(run.interpreter.command)}.` });

        this.fileWatcher = workspace.createFileSystemWatcher(watchedOnDisk);
        const launch = ensureWorkingDirectory(
            serverLaunch(run.interpreter.command, run.isolation, this.storage, process.env.PARIBUS_DEBUG_PORT));
        const serverOptions: Executable = { command: launch.command, args: launch.args, options: launch.options };
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
        client.onDidChangeState((event) => {
            // A server that dies after its start (and is not being stopped by us) is an error to show.
            if (event.newState === State.Stopped && this.client === client) {
                this.status.set({ kind: 'error', detail: 'The server stopped; the output shows why.' });
            } else if (event.newState === State.Running && this.client === client) {
                this.status.set({ kind: 'ready', detail: `paribus ${run.version} running on ${describeCommand(run.interpreter.command)}.` });
            }
        });
        try {
            await client.start();
            this.client = client;
            this.status.set({ kind: 'ready', detail: `paribus ${run.version} running on ${describeCommand(run.interpreter.command)}.` });
        } catch (error) {
            this.log.error(`The server failed to start: ${String(error)}`);
            this.status.set({ kind: 'error', detail: 'The server failed to start; the output shows why.' });
            reportStartFailure(this.log, () => this.restart('requested after a failed start'));
            await client.dispose().catch(() => undefined);
            this.fileWatcher?.dispose();
            this.fileWatcher = undefined;
        }
    }

    /**
     * The chosen interpreter when it has Paribus, else the extension's own environment (made
     * earlier by "Create a Paribus environment"); undefined after telling the user why neither can run.
     */
    private async chooseRun(interpreter: Interpreter): Promise<ServerRun | undefined> {
        const chosen = await checkServerPackage(interpreter.command, 'safe-path', this.storage);
        if (chosen.status === 'ready') {
            return { interpreter, isolation: 'safe-path', version: chosen.version };
        }
        this.log.warn(`${describeCommand(interpreter.command)} cannot run the server (${chosen.status}): ${chosen.detail}`);
        const environment = environmentLayout(this.storage);
        let environmentCheck: PackageCheck | undefined;
        if (fs.existsSync(environment.python)) {
            environmentCheck = await checkServerPackage([environment.python], 'isolated', this.storage);
        }
        const installable = findInstallableServer(this.context.extensionPath);
        const plan = planStart(chosen, environmentCheck, installable === undefined ? undefined : wheelVersion(installable));
        const ownEnvironment: Interpreter = { command: [environment.python], source: 'paribus-environment' };
        switch (plan.kind) {
            case 'chosen':
                return undefined; // unreachable: the chosen interpreter was not ready
            case 'environment':
                return { interpreter: ownEnvironment, isolation: 'isolated', version: plan.version };
            case 'update-environment': {
                // planStart only updates to the version of a shipped wheel, so there is one.
                this.log.info(`The Paribus environment has paribus ${plan.from}; this extension ships ${plan.to}: updating it.`);
                const updated = installable !== undefined && await updateEnvironment(this.setupContext(), installable);
                return { interpreter: ownEnvironment, isolation: 'isolated', version: updated ? plan.to : plan.from };
            }
            case 'unavailable':
                reportServerUnavailable(this.setupContext(), interpreter, plan.problem);
                return undefined;
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
