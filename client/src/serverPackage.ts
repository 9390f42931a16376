// Checks that the chosen interpreter can import paribus, and installs the bundled wheel into it.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancellationToken, LogOutputChannel } from 'vscode';

const checkTimeoutMs = 20_000;
const minimumPython = '3.11';

export type PackageCheck =
    | { status: 'ready'; version: string }
    | { status: 'interpreter-missing'; detail: string }
    | { status: 'python-too-old'; detail: string }
    | { status: 'import-failed'; detail: string };

// Exit code 3 marks a Python too old for the server, whatever else might be wrong.
const checkScript = [
    'import sys',
    `if sys.version_info < (${minimumPython.replace('.', ', ')}):`,
    '    print(sys.version.split()[0]); sys.exit(3)',
    'import paribus',
    'try:',
    '    from importlib.metadata import version; print(version("paribus"))',
    'except Exception:',
    '    print("unknown")',
].join('\n');

export function describeCommand(command: string[]): string {
    return command.map((part) => (/\s/.test(part) ? `"${part}"` : part)).join(' ');
}

export function checkServerPackage(command: string[]): Promise<PackageCheck> {
    const [program, ...leadingArgs] = command;
    return new Promise((resolve) => {
        execFile(program, [...leadingArgs, '-c', checkScript], { timeout: checkTimeoutMs }, (error, stdout, stderr) => {
            const lastLine = stdout.trim().split(/\r?\n/).pop() ?? '';
            if (error === null) {
                resolve({ status: 'ready', version: lastLine });
            } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                resolve({ status: 'interpreter-missing', detail: `${program} was not found.` });
            } else if (error.code === 3) {
                resolve({ status: 'python-too-old', detail: `Paribus needs Python ${minimumPython} or newer; this is Python ${lastLine}.` });
            } else if (error.killed) {
                resolve({ status: 'import-failed', detail: `Importing paribus took longer than ${checkTimeoutMs / 1000} s.` });
            } else {
                resolve({ status: 'import-failed', detail: stderr.trim() || error.message });
            }
        });
    });
}

/** The server wheel shipped inside the extension, or the source tree when running from a checkout. */
export function findInstallableServer(extensionPath: string): string | undefined {
    const bundled = path.join(extensionPath, 'bundled');
    const wheels = fs.existsSync(bundled)
        ? fs.readdirSync(bundled).filter((name) => /^paribus-.+\.whl$/.test(name)).sort()
        : [];
    if (wheels.length > 0) {
        return path.join(bundled, wheels[wheels.length - 1]);
    }
    return fs.existsSync(path.join(extensionPath, 'pyproject.toml')) ? extensionPath : undefined;
}

export interface InstallOutcome {
    succeeded: boolean;
    /** pip refused because the interpreter is an OS-managed Python (PEP 668). */
    externallyManaged: boolean;
    cancelled: boolean;
}

export function installServerPackage(
    command: string[],
    installable: string,
    log: LogOutputChannel,
    token: CancellationToken,
): Promise<InstallOutcome> {
    const [program, ...leadingArgs] = command;
    const args = [...leadingArgs, '-m', 'pip', 'install', '--disable-pip-version-check', installable];
    log.info(`Running ${describeCommand([program, ...args])}`);
    return new Promise((resolve) => {
        let output = '';
        const pip = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const collect = (chunk: Buffer): void => {
            const text = chunk.toString();
            output += text;
            log.info(text.trimEnd());
        };
        pip.stdout.on('data', collect);
        pip.stderr.on('data', collect);
        const cancellation = token.onCancellationRequested(() => pip.kill());
        let settled = false;
        const finish = (succeeded: boolean): void => {
            // A failed spawn may report both 'error' and 'close'.
            if (settled) {
                return;
            }
            settled = true;
            cancellation.dispose();
            resolve({
                succeeded,
                externallyManaged: output.includes('externally-managed-environment'),
                cancelled: token.isCancellationRequested,
            });
        };
        pip.on('error', (error) => {
            log.error(`Could not run pip: ${error.message}`);
            finish(false);
        });
        pip.on('close', (exitCode) => finish(exitCode === 0));
    });
}
