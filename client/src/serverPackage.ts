// Asks an interpreter whether it can run the server (and, if not, what it allows: pip, venv,
// PEP 668), and installs the shipped wheel into it. No VS Code dependency.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Isolation, pythonLaunch, PythonLaunch, runPython, ensureWorkingDirectory } from './pythonProcess';

const checkTimeoutMs = 20_000;
export const minimumPython = '3.11';

/** What the probe learns about an interpreter (printed by `probeScript` as JSON). */
export interface InterpreterFacts {
    python: string;
    executable: string;
    inVirtualEnvironment: boolean;
    /** PEP 668: pip refuses to install into it. */
    externallyManaged: boolean;
    hasPip: boolean;
    hasVenv: boolean;
    hasEnsurepip: boolean;
    /** Debian, Ubuntu and their derivatives: the fix for a missing venv is an apt package. */
    debianLike: boolean;
    paribus?: string;
    paribusError?: string;
}

export type PackageCheck =
    | { status: 'ready'; version: string; facts: InterpreterFacts }
    | { status: 'interpreter-missing'; detail: string }
    | { status: 'python-too-old'; detail: string }
    | { status: 'import-failed'; detail: string; facts?: InterpreterFacts };

export interface Log {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

const probeMarker = 'PARIBUS-PROBE ';

// Runs under -P/-I: importing paribus here finds only what the interpreter has installed.
export const probeScript = `
import importlib.util, json, os, sys, sysconfig

def has(name):
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:
        return False

in_venv = sys.prefix != sys.base_prefix
try:
    import platform
    release = platform.freedesktop_os_release()
    ids = {release.get("ID", "")} | set(release.get("ID_LIKE", "").split())
except Exception:
    ids = set()
facts = {
    "python": ".".join(str(part) for part in sys.version_info[:3]),
    "executable": sys.executable,
    "inVirtualEnvironment": in_venv,
    "externallyManaged": not in_venv
        and os.path.isfile(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")),
    "hasPip": has("pip"),
    "hasVenv": has("venv"),
    "hasEnsurepip": has("ensurepip"),
    "debianLike": bool(ids & {"debian", "ubuntu"}),
}
try:
    import paribus
    try:
        from importlib.metadata import version
        facts["paribus"] = version("paribus")
    except Exception:
        facts["paribus"] = "unknown"
except BaseException as error:
    facts["paribusError"] = f"{type(error).__name__}: {error}"
print(${JSON.stringify(probeMarker)} + json.dumps(facts))
`;

export function describeCommand(command: readonly string[]): string {
    return command.map((part) => (/\s/.test(part) ? `"${part}"` : part)).join(' ');
}

/**
 * The language server's command line: `python -P -m paribus lsp` (or -I in the extension's own
 * environment), started in the extension's storage folder. `debugPort` runs it under debugpy.
 */
export function serverLaunch(command: readonly string[], isolation: Isolation, workingDirectory: string, debugPort?: string): PythonLaunch {
    const debugArgs = debugPort ? ['-m', 'debugpy', '--listen', debugPort] : [];
    return pythonLaunch(command, isolation, [...debugArgs, '-m', 'paribus', 'lsp'], workingDirectory);
}

export function probeLaunch(command: readonly string[], isolation: Isolation, workingDirectory: string): PythonLaunch {
    return pythonLaunch(command, isolation, ['-c', probeScript], workingDirectory);
}

/** Reads the probe's JSON line; undefined when the output holds none (not a Python, a crash). */
export function parseProbeOutput(stdout: string): InterpreterFacts | undefined {
    const line = stdout.split(/\r?\n/).reverse().find((candidate) => candidate.startsWith(probeMarker));
    if (line === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(line.slice(probeMarker.length)) as InterpreterFacts;
    } catch {
        return undefined;
    }
}

/**
 * Whether `command` can run the server. Pythons older than 3.11 reject -P before running
 * anything; a second, isolated run then only asks for their version.
 */
export async function checkServerPackage(command: readonly string[], isolation: Isolation, workingDirectory: string): Promise<PackageCheck> {
    const [program] = command;
    const run = await runPython(probeLaunch(command, isolation, workingDirectory), checkTimeoutMs);
    if (run.spawnError !== undefined) {
        return { status: 'interpreter-missing', detail: `${program} could not be started (${run.spawnError.code ?? run.spawnError.message}).` };
    }
    if (run.timedOut) {
        return { status: 'import-failed', detail: `The interpreter did not answer within ${checkTimeoutMs / 1000} s.` };
    }
    const facts = parseProbeOutput(run.stdout);
    if (facts === undefined) {
        if (/unknown option:? -?P/i.test(run.stderr)) {
            const version = await runPython(
                pythonLaunch(command, 'isolated', ['-c', 'import sys; print(sys.version.split()[0])'], workingDirectory), checkTimeoutMs);
            const found = version.stdout.trim() || 'an older version';
            return { status: 'python-too-old', detail: `Paribus needs Python ${minimumPython} or newer; this is Python ${found}.` };
        }
        return { status: 'import-failed', detail: run.stderr.trim() || `the interpreter exited with ${run.exitCode} and said nothing` };
    }
    if (facts.paribus !== undefined) {
        return { status: 'ready', version: facts.paribus, facts };
    }
    return { status: 'import-failed', detail: facts.paribusError ?? 'paribus could not be imported', facts };
}

/** The server wheel shipped inside the extension, or the source tree when running from a checkout. */
export function findInstallableServer(extensionPath: string): string | undefined {
    const wheel = newestBundled(extensionPath, /^paribus-.+\.whl$/);
    if (wheel !== undefined) {
        return wheel;
    }
    return fs.existsSync(path.join(extensionPath, 'pyproject.toml')) ? extensionPath : undefined;
}

/** The pip wheel shipped inside the extension, to bootstrap pip where Python has no ensurepip. */
export function findBundledPip(extensionPath: string): string | undefined {
    return newestBundled(extensionPath, /^pip-.+\.whl$/);
}

function newestBundled(extensionPath: string, pattern: RegExp): string | undefined {
    const bundled = path.join(extensionPath, 'bundled');
    const names = fs.existsSync(bundled) ? fs.readdirSync(bundled).filter((name) => pattern.test(name)) : [];
    names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return names.length > 0 ? path.join(bundled, names[names.length - 1]) : undefined;
}

/** The version in a wheel's file name (`paribus-0.1.0-py3-none-any.whl` → 0.1.0); undefined for a source tree. */
export function wheelVersion(installable: string): string | undefined {
    return /^[^-]+-([^-]+)-.+\.whl$/.exec(path.basename(installable))?.[1];
}

export interface InstallOutcome {
    succeeded: boolean;
    /** pip refused because the interpreter is an OS-managed Python (PEP 668). */
    externallyManaged: boolean;
    cancelled: boolean;
    /** The last lines pip wrote, for the error message. */
    outputTail: string;
}

export function pipInstallLaunch(command: readonly string[], isolation: Isolation, installable: string, workingDirectory: string): PythonLaunch {
    // No index options: pip's own configuration (pip.conf, PIP_* variables) says where packages come from.
    return pythonLaunch(command, isolation,
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', installable], workingDirectory);
}

/** Runs pip (or any long Python process), streaming its output to the log and each line to `onLine`. */
export function runLogged(
    launch: PythonLaunch,
    log: Log,
    signal: AbortSignal | undefined,
    onLine: (line: string) => void = () => undefined,
): Promise<InstallOutcome> {
    ensureWorkingDirectory(launch);
    log.info(`Running ${describeCommand([launch.command, ...launch.args])}`);
    return new Promise((resolve) => {
        let output = '';
        const child = spawn(launch.command, launch.args, { ...launch.options, stdio: ['ignore', 'pipe', 'pipe'] });
        let pendingLine = '';
        const collect = (chunk: Buffer): void => {
            const text = chunk.toString();
            output += text;
            const lines = (pendingLine + text).split(/\r?\n/);
            pendingLine = lines.pop() ?? '';
            for (const line of lines.filter((candidate) => candidate.trim() !== '')) {
                log.info(line);
                onLine(line);
            }
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        const abort = (): void => {
            child.kill();
        };
        signal?.addEventListener('abort', abort);
        let settled = false;
        const finish = (succeeded: boolean): void => {
            // A failed spawn may report both 'error' and 'close'.
            if (settled) {
                return;
            }
            settled = true;
            signal?.removeEventListener('abort', abort);
            if (pendingLine.trim() !== '') {
                log.info(pendingLine);
            }
            resolve({
                succeeded,
                externallyManaged: output.includes('externally-managed-environment'),
                cancelled: signal?.aborted ?? false,
                outputTail: output.trim().split(/\r?\n/).slice(-6).join('\n'),
            });
        };
        child.on('error', (error) => {
            log.error(`Could not run ${launch.command}: ${error.message}`);
            output += error.message;
            finish(false);
        });
        child.on('close', (exitCode) => finish(exitCode === 0));
    });
}
