// Tells the user why the server is not running and offers the way out, never a silent nothing:
// install into the chosen interpreter, or create the extension's own environment from it.
import { LogOutputChannel, ProgressLocation, window } from 'vscode';
import { createParibusEnvironment, updateParibusEnvironment } from './paribusEnvironment';
import { Interpreter, selectInterpreter } from './python';
import {
    describeCommand, findBundledPip, findInstallableServer, InterpreterFacts, pipInstallLaunch, runLogged,
} from './serverPackage';
import { actionTitles, adviseSetup, creationFailureMessage, SetupAction, Unavailable } from './setupAdvice';
import { ServerStatusItem } from './statusItem';

const restartAction = 'Restart server';

export interface SetupContext {
    extensionPath: string;
    /** The extension's global storage: the environment's home and every process's working directory. */
    storageDirectory: string;
    log: LogOutputChannel;
    status: ServerStatusItem;
    restart: (reason: string) => Promise<void>;
}

function describeInterpreter(interpreter: Interpreter): string {
    const command = `"${describeCommand(interpreter.command)}"`;
    switch (interpreter.source) {
        case 'setting':
            return `${command} (from the paribus.interpreter setting)`;
        case 'python-extension':
            return `${command} (the Python extension's active environment)`;
        case 'default':
            return `${command} (the default, as neither paribus.interpreter nor the Python extension names one)`;
        case 'paribus-environment':
            return `${command} (the Paribus environment)`;
    }
}

export function reportServerUnavailable(setup: SetupContext, interpreter: Interpreter, problem: Unavailable): void {
    const canInstall = findInstallableServer(setup.extensionPath) !== undefined;
    const advice = adviseSetup(problem, describeInterpreter(interpreter), canInstall);
    setup.status.set({ kind: 'error', detail: advice.message });
    const facts = problem.status === 'import-failed' ? problem.facts : undefined;
    const titles = advice.actions.map((action) => actionTitles[action]);
    const shown = advice.severity === 'warning'
        ? window.showWarningMessage(advice.message, ...titles)
        : window.showErrorMessage(advice.message, ...titles);
    void shown.then((choice) => {
        const action = advice.actions.find((candidate) => actionTitles[candidate] === choice);
        return action === undefined ? undefined : takeAction(setup, interpreter, facts, action);
    });
}

async function takeAction(setup: SetupContext, interpreter: Interpreter, facts: InterpreterFacts | undefined, action: SetupAction): Promise<void> {
    switch (action) {
        case 'create-environment':
            await createEnvironment(setup, interpreter, facts);
            return;
        case 'install-here':
            await installIntoInterpreter(setup, interpreter);
            return;
        case 'select-interpreter':
            await selectInterpreter();
            return;
        case 'show-log':
            setup.log.show();
            return;
    }
}

export function reportStartFailure(log: LogOutputChannel, restart: () => Promise<void>): void {
    const [showLog, select] = [actionTitles['show-log'], actionTitles['select-interpreter']];
    void window.showErrorMessage('The Paribus server failed to start.', showLog, select, restartAction).then(async (choice) => {
        if (choice === showLog) {
            log.show();
        } else if (choice === select) {
            await selectInterpreter();
        } else if (choice === restartAction) {
            await restart();
        }
    });
}

function reportMissingServer(setup: SetupContext): void {
    setup.log.error(`No paribus wheel in ${setup.extensionPath}/bundled.`);
    void window.showErrorMessage('This build of the Paribus extension carries no server package to install.', actionTitles['show-log'])
        .then((choice) => choice === actionTitles['show-log'] && setup.log.show());
}

/**
 * Makes a virtual environment in the extension's storage from `interpreter`, installs the shipped
 * server into it (dependencies from pip's configured index), then restarts: no terminal involved.
 */
export async function createEnvironment(setup: SetupContext, interpreter: Interpreter, facts: InterpreterFacts | undefined): Promise<void> {
    const server = findInstallableServer(setup.extensionPath);
    if (server === undefined) {
        reportMissingServer(setup);
        return;
    }
    const detail = `Creating a Paribus environment from ${describeCommand(interpreter.command)}.`;
    setup.status.set({ kind: 'installing', detail });
    setup.log.info(detail);
    const outcome = await window.withProgress(
        { location: ProgressLocation.Notification, title: 'Paribus', cancellable: true },
        (progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return createParibusEnvironment({
                base: interpreter.command,
                baseFacts: facts,
                storageDirectory: setup.storageDirectory,
                server,
                pipWheel: findBundledPip(setup.extensionPath),
                log: setup.log,
                report: (message) => {
                    progress.report({ message });
                    setup.status.set({ kind: 'installing', detail: `Paribus environment: ${message}` });
                },
                signal: abort.signal,
            });
        },
    );
    if (outcome.ok) {
        setup.log.info('The Paribus environment is ready.');
        await setup.restart('the Paribus environment is ready');
        return;
    }
    if (outcome.cancelled) {
        setup.log.warn('Creating the Paribus environment was cancelled.');
        setup.status.set({ kind: 'error', detail: 'Creating the Paribus environment was cancelled.' });
        return;
    }
    const message = creationFailureMessage(outcome, facts);
    setup.log.error(message);
    setup.status.set({ kind: 'error', detail: message });
    await offerWayOut(setup, message);
}

/** Reinstalls the shipped server into the extension's environment; true when it worked. */
export async function updateEnvironment(setup: SetupContext, server: string): Promise<boolean> {
    setup.status.set({ kind: 'installing', detail: 'Updating Paribus in its environment.' });
    const outcome = await window.withProgress(
        { location: ProgressLocation.Notification, title: 'Paribus' },
        (progress) => updateParibusEnvironment({
            storageDirectory: setup.storageDirectory,
            server,
            log: setup.log,
            report: (message) => progress.report({ message }),
        }),
    );
    if (!outcome.ok) {
        setup.log.error(`Updating the Paribus environment failed (${outcome.step}): ${outcome.detail}; the installed version keeps running.`);
    }
    return outcome.ok;
}

async function installIntoInterpreter(setup: SetupContext, interpreter: Interpreter): Promise<void> {
    const server = findInstallableServer(setup.extensionPath);
    if (server === undefined) {
        reportMissingServer(setup);
        return;
    }
    const command = describeCommand(interpreter.command);
    setup.status.set({ kind: 'installing', detail: `Installing Paribus into ${command}.` });
    const outcome = await window.withProgress(
        { location: ProgressLocation.Notification, title: `Installing Paribus into ${command}`, cancellable: true },
        (_progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return runLogged(pipInstallLaunch(interpreter.command, 'safe-path', server, setup.storageDirectory), setup.log, abort.signal);
        },
    );
    if (outcome.succeeded) {
        void window.showInformationMessage('Paribus was installed. Starting the server.');
        await setup.restart('Paribus was installed');
        return;
    }
    if (outcome.cancelled) {
        setup.log.warn('Installation cancelled.');
        setup.status.set({ kind: 'error', detail: 'Installing Paribus was cancelled.' });
        return;
    }
    const message = outcome.externallyManaged
        ? `"${command}" is managed by the operating system, so pip will not install into it. Create a Paribus environment instead.`
        : "Installing Paribus failed; the log shows pip's output.";
    setup.status.set({ kind: 'error', detail: message });
    if (outcome.externallyManaged) {
        const choice = await window.showErrorMessage(message, actionTitles['create-environment'], actionTitles['show-log']);
        if (choice === actionTitles['create-environment']) {
            await createEnvironment(setup, interpreter, undefined);
        } else if (choice === actionTitles['show-log']) {
            setup.log.show();
        }
        return;
    }
    await offerWayOut(setup, message);
}

async function offerWayOut(setup: SetupContext, message: string): Promise<void> {
    const choice = await window.showErrorMessage(message, actionTitles['select-interpreter'], actionTitles['show-log']);
    if (choice === actionTitles['select-interpreter']) {
        await selectInterpreter();
    } else if (choice === actionTitles['show-log']) {
        setup.log.show();
    }
}
