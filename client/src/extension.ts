// Entry point: one output channel, one server, the workflow view and the restart triggers.
import { commands, ExtensionContext, window, workspace } from 'vscode';
import { PythonEnvironmentWatcher } from './python';
import { ServerManager } from './server';
import { getInterpreterSetting, getPrimaryWorkspaceFolder } from './settings';
import { ServerStatusItem, showOutputCommand } from './statusItem';
import { WorkflowPanel } from './workflowPanel';

let servers: ServerManager | undefined;

export function activate(context: ExtensionContext): void {
    // One channel for the client's own log, the server's log messages and the protocol trace.
    const log = window.createOutputChannel('Paribus', { log: true });
    const status = new ServerStatusItem();
    const manager = new ServerManager(context, log, status);
    servers = manager;
    const workflow = new WorkflowPanel(manager, log);
    const pythonEnvironment = new PythonEnvironmentWatcher(log);
    let startedForFolder = getPrimaryWorkspaceFolder()?.uri.toString();

    context.subscriptions.push(
        log,
        status,
        manager,
        workflow,
        pythonEnvironment,
        commands.registerCommand('paribus.restart', () => manager.restart('requested by the user')),
        commands.registerCommand('paribus.openWorkflow', () => workflow.open()),
        commands.registerCommand(showOutputCommand, () => log.show()),
        commands.registerCommand('paribus.createEnvironment', () => manager.createEnvironmentFromChosen()),
        workspace.onDidChangeConfiguration((event) => {
            // Other paribus settings reach the running server through didChangeConfiguration.
            if (event.affectsConfiguration('paribus.interpreter')) {
                manager.scheduleRestart('paribus.interpreter changed', { onlyIfInterpreterChanged: true });
            }
        }),
        pythonEnvironment.onDidChange(() => {
            // The setting wins over the Python extension, so its environment is irrelevant then.
            if (getInterpreterSetting(getPrimaryWorkspaceFolder()).length === 0) {
                manager.scheduleRestart("the Python extension's active environment changed", { onlyIfInterpreterChanged: true });
            }
        }),
        // Trust unlocks the workspace's paribus.interpreter.
        workspace.onDidGrantWorkspaceTrust(() => manager.scheduleRestart('the workspace is now trusted', { onlyIfInterpreterChanged: true })),
        workspace.onDidChangeWorkspaceFolders(() => {
            // The first folder decides the interpreter setting.
            const primaryFolder = getPrimaryWorkspaceFolder()?.uri.toString();
            if (primaryFolder !== startedForFolder) {
                startedForFolder = primaryFolder;
                manager.scheduleRestart('the first workspace folder changed');
            }
        }),
    );

    // Not awaited: activation should not wait for the Python extension or the interpreter check.
    void pythonEnvironment.subscribe();
    void manager.start();
}

export async function deactivate(): Promise<void> {
    await servers?.stop();
    servers = undefined;
}
