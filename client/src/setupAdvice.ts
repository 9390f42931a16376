// What to run, and what to tell the user when nothing can run yet: pure decisions, unit-tested.
import { CreationOutcome } from './paribusEnvironment';
import { InterpreterFacts, PackageCheck } from './serverPackage';

export type SetupAction = 'create-environment' | 'install-here' | 'select-interpreter' | 'show-log';

export const actionTitles: Record<SetupAction, string> = {
    'create-environment': 'Create a Paribus environment',
    'install-here': 'Install Paribus here',
    'select-interpreter': 'Select interpreter',
    'show-log': 'Show log',
};

export interface SetupAdvice {
    /** A warning when there is a way forward in one click, an error when the user must act elsewhere. */
    severity: 'error' | 'warning';
    message: string;
    /** In the order the notification shows them; the first is the one to take. */
    actions: SetupAction[];
}

export type Unavailable = Exclude<PackageCheck, { status: 'ready' }>;

export type StartPlan =
    | { kind: 'chosen' }
    | { kind: 'environment'; version: string }
    | { kind: 'update-environment'; from: string; to: string }
    | { kind: 'unavailable'; problem: Unavailable };

/**
 * The chosen interpreter runs the server when it has Paribus; otherwise the extension's own
 * environment, if one was made (updated first when the extension ships a different server).
 */
export function planStart(chosen: PackageCheck, environment: PackageCheck | undefined, bundledVersion: string | undefined): StartPlan {
    if (chosen.status === 'ready') {
        return { kind: 'chosen' };
    }
    if (environment?.status === 'ready') {
        if (bundledVersion !== undefined && environment.version !== bundledVersion) {
            return { kind: 'update-environment', from: environment.version, to: bundledVersion };
        }
        return { kind: 'environment', version: environment.version };
    }
    return { kind: 'unavailable', problem: chosen };
}

/** pip will not install into this interpreter: OS-managed (PEP 668) or no pip at all. */
export function refusesInstalls(facts: InterpreterFacts): boolean {
    return facts.externallyManaged || !facts.hasPip;
}

/**
 * The notification when the chosen interpreter cannot run the server. `interpreter` names it
 * for the user (command and where it came from); `canInstall`: the extension carries a server.
 */
export function adviseSetup(problem: Unavailable, interpreter: string, canInstall: boolean): SetupAdvice {
    switch (problem.status) {
        case 'interpreter-missing':
            return {
                severity: 'error',
                message: `Paribus cannot start: the Python interpreter ${interpreter} was not found.`,
                actions: ['select-interpreter', 'show-log'],
            };
        case 'python-too-old':
            return {
                severity: 'error',
                message: `Paribus cannot start: ${problem.detail} The interpreter is ${interpreter}.`,
                actions: ['select-interpreter', 'show-log'],
            };
        case 'import-failed':
            break;
    }
    const facts = problem.facts;
    if (!canInstall) {
        return {
            severity: 'error',
            message: `Paribus is not installed in ${interpreter}, and this build of the extension carries no server to install: `
                + 'run `pip install paribus` in an environment and select it.',
            actions: ['select-interpreter', 'show-log'],
        };
    }
    if (facts === undefined) {
        // The probe did not run to the end: the interpreter itself is broken; a fresh environment won't help.
        return {
            severity: 'error',
            message: `Paribus cannot start: ${interpreter} failed while checking for Paribus (see the log).`,
            actions: ['select-interpreter', 'show-log'],
        };
    }
    const missing = facts.paribusError?.startsWith('ModuleNotFoundError') ?? true;
    const what = missing ? 'Paribus is not installed in' : 'Paribus is installed but fails to import in';
    if (refusesInstalls(facts)) {
        const why = facts.externallyManaged
            ? 'which is managed by the operating system (PEP 668), so pip will not install into it'
            : 'which has no pip';
        return {
            severity: 'warning',
            message: `${what} ${interpreter}, ${why}. Create a private environment for Paribus from it?`,
            actions: ['create-environment', 'select-interpreter', 'show-log'],
        };
    }
    return {
        severity: 'warning',
        message: `${what} ${interpreter}. Install it there, or into a private environment of its own?`,
        actions: ['install-here', 'create-environment', 'select-interpreter'],
    };
}

/** `apt install python3.11-venv` for a Debian 3.11.2, as the Debian error message suggests. */
export function venvPackageFix(facts: InterpreterFacts | undefined): string {
    const [major, minor] = (facts?.python ?? '').split('.');
    const packageName = major && minor ? `python${major}.${minor}-venv` : 'python3-venv';
    if (facts?.debianLike) {
        return `Install Python's venv support: sudo apt install ${packageName} — then try again.`;
    }
    return "Install Python's venv module (it comes with the installers from python.org) or select another interpreter.";
}

/** The message after a failed "Create a Paribus environment". */
export function creationFailureMessage(outcome: Exclude<CreationOutcome, { ok: true }>, baseFacts: InterpreterFacts | undefined): string {
    switch (outcome.step) {
        case 'busy':
            return outcome.detail;
        case 'venv':
            return `Could not create a virtual environment: ${lastLine(outcome.detail)} ${venvPackageFix(baseFacts)}`;
        case 'pip':
            return `Could not install pip into the new environment: ${lastLine(outcome.detail)} ${venvPackageFix(baseFacts)}`;
        case 'paribus':
            return `Installing Paribus into the new environment failed: ${lastLine(outcome.detail)} `
                + "pip's configuration (pip.conf, PIP_INDEX_URL) decides where packages come from; the log has pip's output.";
    }
}

function lastLine(text: string): string {
    const line = text.trim().split(/\r?\n/).filter((candidate) => candidate.trim() !== '').pop()?.trim() ?? '';
    return line === '' ? '(no output)' : /[.!?]$/.test(line) ? line : `${line}.`;
}
