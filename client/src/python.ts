// Finds the Python interpreter that runs the server: the setting, else the Python extension's
// active environment (when that extension is installed), else python3 from PATH.
import { PythonExtension } from '@vscode/python-extension';
import { commands, Disposable, Event, EventEmitter, extensions, LogOutputChannel, workspace, WorkspaceFolder } from 'vscode';
import { isInsideAny } from './paths';
import { getInterpreterSetting, getPrimaryWorkspaceFolder, getWorkspaceFolderPaths } from './settings';

const pythonExtensionId = 'ms-python.python';
const fallbackInterpreter = ['python3'];

export type InterpreterSource = 'setting' | 'python-extension' | 'default' | 'paribus-environment';

export interface Interpreter {
    /** Program and leading arguments, e.g. ["/project/.venv/bin/python"] or ["conda", "run", "-n", "ml", "python"]. */
    command: string[];
    source: InterpreterSource;
}

export function isPythonExtensionInstalled(): boolean {
    return extensions.getExtension(pythonExtensionId) !== undefined;
}

async function getPythonExtensionApi(): Promise<PythonExtension | undefined> {
    // PythonExtension.api() throws when the extension is absent (e.g. code-server, VSCodium).
    if (!isPythonExtensionInstalled()) {
        return undefined;
    }
    return PythonExtension.api();
}

async function getActiveEnvironmentPython(folder: WorkspaceFolder | undefined, log: LogOutputChannel): Promise<string | undefined> {
    try {
        const api = await getPythonExtensionApi();
        if (api === undefined) {
            return undefined;
        }
        const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(folder?.uri));
        return environment?.executable.uri?.fsPath;
    } catch (error) {
        log.warn(`Could not ask the Python extension for its active environment: ${String(error)}`);
        return undefined;
    }
}

/**
 * The setting, else the Python extension's environment, else python3. In an untrusted workspace
 * a program inside the workspace (a committed `.venv/bin/python`, a script) is skipped: running
 * it would run the workspace's code (the workspace's own setting is already ignored there).
 */
export async function resolveInterpreter(folder: WorkspaceFolder | undefined, log: LogOutputChannel): Promise<Interpreter> {
    const trusted = workspace.isTrusted;
    const acceptable = (candidate: Interpreter): boolean => {
        if (trusted || !isInsideAny(candidate.command[0], getWorkspaceFolderPaths())) {
            return true;
        }
        log.warn(`Restricted Mode: not running ${candidate.command[0]} (${candidate.source}), as it lies inside the workspace.`);
        return false;
    };
    const configured = getInterpreterSetting(folder);
    if (configured.length > 0 && acceptable({ command: configured, source: 'setting' })) {
        return { command: configured, source: 'setting' };
    }
    const activeEnvironment = await getActiveEnvironmentPython(folder, log);
    if (activeEnvironment !== undefined && acceptable({ command: [activeEnvironment], source: 'python-extension' })) {
        return { command: [activeEnvironment], source: 'python-extension' };
    }
    return { command: fallbackInterpreter, source: 'default' };
}

/**
 * Fires when the Python extension's active environment changes, including when the
 * extension is installed or enabled while this one is running.
 */
export class PythonEnvironmentWatcher implements Disposable {
    private readonly changed = new EventEmitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;
    private readonly disposables: Disposable[] = [this.changed];
    private subscribed = false;

    constructor(private readonly log: LogOutputChannel) {
        this.disposables.push(extensions.onDidChange(() => {
            if (!this.subscribed && isPythonExtensionInstalled()) {
                void this.subscribe().then(() => this.changed.fire());
            }
        }));
    }

    async subscribe(): Promise<void> {
        if (this.subscribed) {
            return;
        }
        try {
            const api = await getPythonExtensionApi();
            if (api === undefined || this.subscribed) {
                return;
            }
            this.subscribed = true;
            this.disposables.push(api.environments.onDidChangeActiveEnvironmentPath(() => this.changed.fire()));
        } catch (error) {
            this.log.warn(`Could not follow the Python extension's environment: ${String(error)}`);
        }
    }

    dispose(): void {
        this.disposables.forEach((disposable) => disposable.dispose());
    }
}

/**
 * Lets the user pick an interpreter where it takes effect: the setting when it is set (it wins),
 * else the Python extension's picker, else the setting.
 */
export async function selectInterpreter(): Promise<void> {
    const settingIsSet = getInterpreterSetting(getPrimaryWorkspaceFolder()).length > 0;
    if (!settingIsSet && isPythonExtensionInstalled()) {
        await commands.executeCommand('python.setInterpreter');
    } else {
        await commands.executeCommand('workbench.action.openSettings', 'paribus.interpreter');
    }
}
