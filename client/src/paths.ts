// Path helpers with no VS Code dependency, so they can be unit-tested under plain Node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Expands `${workspaceFolder}`, `${userHome}` and a leading `~`, as the Python tool extensions do. */
export function expandVariables(value: string, workspaceFolder: string | undefined, home: string = os.homedir()): string {
    let expanded = value.replace(/\$\{userHome\}/g, home);
    if (workspaceFolder !== undefined) {
        expanded = expanded.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
    }
    if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
        expanded = home + expanded.slice(1);
    }
    return expanded;
}

const projectMarkers = ['paribus.toml', 'experiments.yaml'];

function isProjectRoot(directory: string): boolean {
    if (projectMarkers.some((marker) => fs.existsSync(path.join(directory, marker)))) {
        return true;
    }
    try {
        return fs.readFileSync(path.join(directory, 'pyproject.toml'), 'utf8').includes('[tool.paribus]');
    } catch {
        return false;
    }
}

/**
 * The nearest folder at or above `startDirectory` that holds a Paribus project card or log,
 * searching no higher than `stopDirectory` (when given).
 */
export function findProjectRoot(startDirectory: string, stopDirectory?: string): string | undefined {
    const stop = stopDirectory === undefined ? undefined : path.resolve(stopDirectory);
    let directory = path.resolve(startDirectory);
    for (;;) {
        if (isProjectRoot(directory)) {
            return directory;
        }
        const parent = path.dirname(directory);
        if (directory === stop || parent === directory) {
            return undefined;
        }
        directory = parent;
    }
}

/** True when `child` is `parent` or lies inside it. */
export function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A program named by a relative path (`.venv/bin/python`) means the one in the workspace folder:
 * the server's working directory is not the workspace, so make it absolute. Bare names (`python3`)
 * are looked up on PATH and stay as they are.
 */
export function resolveProgram(program: string, workspaceFolder: string | undefined): string {
    const hasSeparator = program.includes('/') || program.includes('\\');
    if (!hasSeparator || path.isAbsolute(program) || workspaceFolder === undefined) {
        return program;
    }
    return path.resolve(workspaceFolder, program);
}

/**
 * True when `program` is a path inside one of `folders`, as written or once symlinks are
 * resolved: in an untrusted workspace such a program (a committed `.venv/bin/python`, a script)
 * is the workspace's code. Bare names found on PATH are not.
 */
export function isInsideAny(program: string, folders: readonly string[]): boolean {
    if (!path.isAbsolute(program)) {
        return false;
    }
    const candidates = [path.resolve(program)];
    try {
        candidates.push(fs.realpathSync(program));
    } catch {
        // A missing program cannot run; the check reports it.
    }
    const roots = folders.flatMap((folder) => {
        try {
            return [path.resolve(folder), fs.realpathSync(folder)];
        } catch {
            return [path.resolve(folder)];
        }
    });
    return candidates.some((candidate) => roots.some((root) => isInside(candidate, root)));
}
