// How every Python process the extension starts is launched, so that nothing of the workspace
// is importable: `python -m x` and `python -c` put the working directory first on sys.path,
// so a repository holding `yaml.py` or a `paribus/` folder would run when imported.
// No VS Code dependency: unit-tested under plain Node.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * `safe-path` (-P, Python 3.11+): neither the working directory nor a script's folder is put on
 * sys.path; user site-packages and PYTHONPATH still count, as they are the user's choice.
 * `isolated` (-I): also ignores PYTHON* variables and user site-packages; for the extension's own
 * environment, where nothing of the user's setup belongs.
 */
export type Isolation = 'safe-path' | 'isolated';

const isolationFlag: Record<Isolation, string> = { 'safe-path': '-P', isolated: '-I' };

export interface PythonLaunch {
    command: string;
    args: string[];
    options: { cwd: string; env: NodeJS.ProcessEnv };
}

/**
 * The environment of a Python child: the extension host's (pip's index, proxies and certificates
 * come from there), with PYTHONSAFEPATH so that Pythons started by that child are safe too.
 */
export function pythonEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...base, PYTHONSAFEPATH: '1', PYTHONUNBUFFERED: '1' };
    // Interactive-only hooks have no business in a server or an installer.
    delete env.PYTHONSTARTUP;
    delete env.PYTHONINSPECT;
    return env;
}

/**
 * `interpreter` is a program with leading arguments (e.g. ["conda", "run", "-n", "ml", "python"]);
 * the isolation flag goes right before the Python arguments. `workingDirectory` must be a folder
 * of the extension's own (its global storage), never the workspace.
 */
export function pythonLaunch(
    interpreter: readonly string[],
    isolation: Isolation,
    pythonArgs: readonly string[],
    workingDirectory: string,
    env: NodeJS.ProcessEnv = process.env,
): PythonLaunch {
    const [command, ...leadingArgs] = interpreter;
    if (command === undefined) {
        throw new Error('empty interpreter command');
    }
    return {
        command,
        args: [...leadingArgs, isolationFlag[isolation], ...pythonArgs],
        options: { cwd: workingDirectory, env: pythonEnvironment(env) },
    };
}

/** Creates the working directory a launch needs (a missing cwd would make spawn fall back to the host's). */
export function ensureWorkingDirectory(launch: PythonLaunch): PythonLaunch {
    fs.mkdirSync(launch.options.cwd, { recursive: true });
    return launch;
}

export interface RunResult {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    /** The program could not be started (ENOENT, EACCES). */
    spawnError?: NodeJS.ErrnoException;
    timedOut: boolean;
}

/** Runs a short Python process to completion (probes, venv creation); never rejects. */
export function runPython(launch: PythonLaunch, timeoutMs: number): Promise<RunResult> {
    ensureWorkingDirectory(launch);
    return new Promise((resolve) => {
        execFile(launch.command, launch.args, { ...launch.options, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const failure = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
                // Node names the failed system call "spawn <program>" when the program could not start.
                const spawnError = failure?.syscall?.startsWith('spawn') ? failure : undefined;
                resolve({
                    exitCode: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
                    stdout: String(stdout),
                    stderr: String(stderr),
                    spawnError,
                    timedOut: failure?.killed === true && spawnError === undefined,
                });
            });
    });
}
