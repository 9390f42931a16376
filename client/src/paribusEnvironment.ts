// The extension's private virtual environment for the server, in its global storage: made with
// the user's interpreter when that one has no Paribus and refuses installs (PEP 668).
// No VS Code dependency.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pythonLaunch, runPython } from './pythonProcess';
import { InterpreterFacts, Log, pipInstallLaunch, runLogged } from './serverPackage';

const venvTimeoutMs = 120_000;
const staleLockMs = 30 * 60_000;

export interface EnvironmentLayout {
    /** The virtual environment's folder. */
    root: string;
    python: string;
    /** Held while a window creates or updates the environment. */
    lock: string;
}

export function environmentLayout(storageDirectory: string, platform: NodeJS.Platform = process.platform): EnvironmentLayout {
    const root = path.join(storageDirectory, 'paribus-env');
    const python = platform === 'win32' ? path.join(root, 'Scripts', 'python.exe') : path.join(root, 'bin', 'python');
    return { root, python, lock: `${root}.lock` };
}

export type CreationStep = 'venv' | 'pip' | 'paribus';

export type CreationOutcome =
    | { ok: true }
    | { ok: false; cancelled: boolean; step: CreationStep | 'busy'; detail: string };

export interface CreationRequest {
    /** The interpreter the environment is made from (program and leading arguments). */
    base: readonly string[];
    /** What the probe learned about it, for the exact fix when something is missing. */
    baseFacts?: InterpreterFacts;
    storageDirectory: string;
    /** The server wheel (or source tree) to install. */
    server: string;
    /** A pip wheel shipped with the extension; else the interpreter's ensurepip is used. */
    pipWheel?: string;
    log: Log;
    /** Short progress messages for the user. */
    report: (message: string) => void;
    signal?: AbortSignal;
}

// ensurepip's way: run pip from its own wheel (a zip on sys.path) to install that wheel.
const bootstrapPipScript = `
import runpy, sys
wheel = sys.argv[1]
sys.path.insert(0, wheel)
sys.argv = ["pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--no-input", wheel]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
`;

export function venvLaunchArgs(root: string): string[] {
    // Without pip: Debian's Python has venv but no ensurepip unless python3-venv is installed.
    return ['-m', 'venv', '--clear', '--without-pip', root];
}

export function pipBootstrapArgs(pipWheel: string | undefined): string[] {
    return pipWheel !== undefined
        ? ['-c', bootstrapPipScript, pipWheel]
        : ['-m', 'ensurepip', '--default-pip'];
}

/** Creates (or recreates) the environment and installs the server into it. */
export async function createParibusEnvironment(request: CreationRequest): Promise<CreationOutcome> {
    const layout = environmentLayout(request.storageDirectory);
    fs.mkdirSync(request.storageDirectory, { recursive: true });
    if (!acquireLock(layout.lock)) {
        return { ok: false, cancelled: false, step: 'busy', detail: `Another window is setting up ${layout.root}; try again when it is done.` };
    }
    try {
        return await createLocked(request, layout);
    } finally {
        fs.rmSync(layout.lock, { recursive: true, force: true });
    }
}

async function createLocked(request: CreationRequest, layout: EnvironmentLayout): Promise<CreationOutcome> {
    const { log, report, storageDirectory } = request;
    report('creating a virtual environment…');
    const venv = await runPython(pythonLaunch(request.base, 'isolated', venvLaunchArgs(layout.root), storageDirectory), venvTimeoutMs);
    log.info(`venv: exit ${venv.exitCode}${venv.stderr.trim() ? `\n${venv.stderr.trim()}` : ''}`);
    if (venv.exitCode !== 0 || !fs.existsSync(layout.python)) {
        return { ok: false, cancelled: false, step: 'venv', detail: venv.stderr.trim() || venv.spawnError?.message || `exit ${venv.exitCode}` };
    }
    if (request.signal?.aborted) {
        return { ok: false, cancelled: true, step: 'venv', detail: 'cancelled' };
    }

    report('installing pip…');
    const pip = await runLogged(
        pythonLaunch([layout.python], 'isolated', pipBootstrapArgs(request.pipWheel), storageDirectory), log, request.signal);
    if (!pip.succeeded) {
        return { ok: false, cancelled: pip.cancelled, step: 'pip', detail: pip.outputTail };
    }

    report('installing Paribus and its dependencies…');
    const install = await runLogged(
        pipInstallLaunch([layout.python], 'isolated', request.server, storageDirectory), log, request.signal,
        (line) => {
            const progress = pipProgress(line);
            if (progress !== undefined) {
                report(progress);
            }
        });
    if (!install.succeeded) {
        return { ok: false, cancelled: install.cancelled, step: 'paribus', detail: install.outputTail };
    }
    return { ok: true };
}

/** Reinstalls the server into an existing environment (after the extension brought a newer wheel). */
export async function updateParibusEnvironment(request: Omit<CreationRequest, 'base' | 'pipWheel'>): Promise<CreationOutcome> {
    const layout = environmentLayout(request.storageDirectory);
    if (!acquireLock(layout.lock)) {
        return { ok: false, cancelled: false, step: 'busy', detail: `Another window is setting up ${layout.root}.` };
    }
    try {
        request.report('updating Paribus…');
        const install = await runLogged(
            pipInstallLaunch([layout.python], 'isolated', request.server, request.storageDirectory), request.log, request.signal);
        return install.succeeded ? { ok: true } : { ok: false, cancelled: install.cancelled, step: 'paribus', detail: install.outputTail };
    } finally {
        fs.rmSync(layout.lock, { recursive: true, force: true });
    }
}

/** A user-facing progress message for a line of pip's output, if it marks a step. */
export function pipProgress(line: string): string | undefined {
    const collecting = /^Collecting (\S+)/.exec(line.trim());
    if (collecting) {
        return `downloading ${collecting[1].replace(/[<>=!~;[].*$/, '')}…`;
    }
    if (line.startsWith('Installing collected packages')) {
        return 'installing the packages…';
    }
    return undefined;
}

/** mkdir is atomic: the first window gets the lock; a lock older than 30 min is a crashed window's. */
function acquireLock(lock: string): boolean {
    try {
        fs.mkdirSync(lock);
        return true;
    } catch {
        try {
            if (Date.now() - fs.statSync(lock).mtimeMs > staleLockMs) {
                fs.rmSync(lock, { recursive: true, force: true });
                fs.mkdirSync(lock);
                return true;
            }
        } catch {
            // Taken again meanwhile.
        }
        return false;
    }
}
