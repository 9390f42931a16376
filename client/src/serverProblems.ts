// Tells the user why the server is not running and offers the way out, never a silent nothing.
import { ExtensionContext, LogOutputChannel, ProgressLocation, window } from 'vscode';
import { Interpreter, selectInterpreter } from './python';
import { describeCommand, findInstallableServer, installServerPackage, PackageCheck } from './serverPackage';

const installAction = 'Install Paribus here';
const selectAction = 'Select interpreter';
const showLogAction = 'Show log';
const restartAction = 'Restart server';

function describeSource(interpreter: Interpreter): string {
    switch (interpreter.source) {
        case 'setting':
            return 'from the paribus.interpreter setting';
        case 'python-extension':
            return "the Python extension's active environment";
        case 'default':
            return 'the default, as neither paribus.interpreter nor the Python extension names one';
    }
}

export function reportServerUnavailable(
    context: ExtensionContext,
    log: LogOutputChannel,
    interpreter: Interpreter,
    check: Exclude<PackageCheck, { status: 'ready' }>,
    restart: () => Promise<void>,
): void {
    const command = describeCommand(interpreter.command);
    const source = describeSource(interpreter);
    let message: string;
    let actions: string[];
    switch (check.status) {
        case 'interpreter-missing':
            message = `Paribus cannot start: the Python interpreter "${command}" (${source}) was not found.`;
            actions = [selectAction, showLogAction];
            break;
        case 'python-too-old':
            message = `Paribus cannot start: ${check.detail} The interpreter is "${command}" (${source}).`;
            actions = [selectAction, showLogAction];
            break;
        case 'import-failed':
            message = `Paribus cannot start: the package is not importable in "${command}" (${source}).`;
            actions = [installAction, selectAction, showLogAction];
            break;
    }
    void window.showErrorMessage(message, ...actions).then(async (choice) => {
        if (choice === installAction) {
            await installIntoInterpreter(context, log, interpreter, restart);
        } else if (choice === selectAction) {
            await selectInterpreter();
        } else if (choice === showLogAction) {
            log.show();
        }
    });
}

export function reportStartFailure(log: LogOutputChannel, restart: () => Promise<void>): void {
    void window.showErrorMessage('The Paribus server failed to start.', showLogAction, selectAction, restartAction).then(async (choice) => {
        if (choice === showLogAction) {
            log.show();
        } else if (choice === selectAction) {
            await selectInterpreter();
        } else if (choice === restartAction) {
            await restart();
        }
    });
}

async function installIntoInterpreter(
    context: ExtensionContext,
    log: LogOutputChannel,
    interpreter: Interpreter,
    restart: () => Promise<void>,
): Promise<void> {
    const installable = findInstallableServer(context.extensionPath);
    if (installable === undefined) {
        log.error(`No paribus wheel in ${context.extensionPath}/bundled.`);
        void window.showErrorMessage('This build of the Paribus extension carries no server package to install.', showLogAction)
            .then((choice) => choice === showLogAction && log.show());
        return;
    }
    const command = describeCommand(interpreter.command);
    const outcome = await window.withProgress(
        { location: ProgressLocation.Notification, title: `Installing Paribus into ${command}`, cancellable: true },
        (_progress, token) => installServerPackage(interpreter.command, installable, log, token),
    );
    if (outcome.succeeded) {
        void window.showInformationMessage('Paribus was installed. Starting the server.');
        await restart();
        return;
    }
    if (outcome.cancelled) {
        log.warn('Installation cancelled.');
        return;
    }
    const message = outcome.externallyManaged
        ? `"${command}" is managed by the operating system, so pip will not install into it. `
            + 'Create a virtual environment (python3 -m venv .venv) and select it.'
        : 'Installing Paribus failed; the log shows pip\'s output.';
    const choice = await window.showErrorMessage(message, selectAction, showLogAction);
    if (choice === selectAction) {
        await selectInterpreter();
    } else if (choice === showLogAction) {
        log.show();
    }
}
