// The processes the extension starts cannot import from the workspace: a real Python runs the
// exact command lines built for the server and the probe, from inside a booby-trapped folder.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pythonEnvironment, pythonLaunch, PythonLaunch } from '../src/pythonProcess';
import { checkServerPackage, probeLaunch, serverLaunch } from '../src/serverPackage';

// Python 3.11+ (the server's minimum, and the first with -P).
const basePython = process.env.PARIBUS_TEST_PYTHON ?? 'python3';

let scratch: string;
let workspace: string;
let storage: string;
let environmentPython: string;
let reportFile: string;

function markers(): string[] {
    const folder = path.join(workspace, 'markers');
    return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

function clearMarkers(): void {
    fs.rmSync(path.join(workspace, 'markers'), { recursive: true, force: true });
}

/** Runs a launch to completion, in `cwd` instead of its own folder when given (the worst case). */
function run(launch: PythonLaunch, cwd = launch.options.cwd): { status: number | null; stderr: string } {
    fs.mkdirSync(cwd, { recursive: true });
    const result = spawnSync(launch.command, launch.args, {
        ...launch.options, cwd, input: '', encoding: 'utf8', timeout: 30_000,
        env: { ...launch.options.env, PARIBUS_TEST_REPORT: reportFile },
    });
    return { status: result.status, stderr: result.stderr };
}

before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paribus-launch-'));
    workspace = path.join(scratch, 'workspace');
    storage = path.join(scratch, 'storage');
    reportFile = path.join(scratch, 'report.json');
    // The workspace: modules the server imports, each leaving a marker when it is imported.
    const trap = (name: string): string =>
        `import pathlib\npathlib.Path(${JSON.stringify(path.join(workspace, 'markers'))}).mkdir(exist_ok=True)\n`
        + `pathlib.Path(${JSON.stringify(path.join(workspace, 'markers'))}, ${JSON.stringify(name)}).write_text("imported")\n`;
    fs.mkdirSync(path.join(workspace, 'paribus'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'yaml.py'), trap('yaml'));
    fs.writeFileSync(path.join(workspace, 'pydantic.py'), trap('pydantic'));
    fs.writeFileSync(path.join(workspace, 'paribus', '__init__.py'), trap('paribus'));
    fs.writeFileSync(path.join(workspace, 'paribus', '__main__.py'), trap('paribus.__main__'));

    // An interpreter with a stand-in `paribus` installed: its __main__ imports what the real
    // server imports and reports where `paribus` came from and what sys.path was.
    execFileSync(basePython, ['-m', 'venv', '--without-pip', path.join(scratch, 'env')]);
    environmentPython = path.join(scratch, 'env', 'bin', 'python');
    const sitePackages = execFileSync(environmentPython, ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], { encoding: 'utf8' }).trim();
    fs.mkdirSync(path.join(sitePackages, 'paribus'));
    fs.writeFileSync(path.join(sitePackages, 'paribus', '__init__.py'), '');
    fs.writeFileSync(path.join(sitePackages, 'paribus', '__main__.py'), [
        'import json, os, sys',
        'import paribus',
        'for name in ("yaml", "pydantic"):',
        '    try:',
        '        __import__(name)',
        '    except ModuleNotFoundError:',
        '        pass',
        'with open(os.environ["PARIBUS_TEST_REPORT"], "w") as report:',
        '    json.dump({"paribus": paribus.__file__, "path": sys.path, "args": sys.argv[1:]}, report)',
    ].join('\n'));
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('a booby-trapped workspace', () => {
    test('is live: the plain `python -m paribus lsp` of before, run in it, imports its modules', () => {
        clearMarkers();
        const plain = spawnSync(environmentPython, ['-m', 'paribus', 'lsp'], { cwd: workspace, input: '', encoding: 'utf8' });
        assert.equal(plain.status, 0, plain.stderr);
        assert.deepEqual(markers(), ['paribus', 'paribus.__main__']);
    });

    for (const isolation of ['safe-path', 'isolated'] as const) {
        test(`the server command (${isolation}) runs the installed paribus and imports nothing of the workspace`, () => {
            for (const cwd of [storage, workspace]) {
                clearMarkers();
                fs.rmSync(reportFile, { force: true });
                const launch = serverLaunch([environmentPython], isolation, storage);
                const result = run(launch, cwd);
                assert.equal(result.status, 0, result.stderr);
                assert.deepEqual(markers(), [], `imported from the workspace when run in ${cwd}`);
                const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { paribus: string; path: string[]; args: string[] };
                assert.ok(!report.paribus.startsWith(workspace), report.paribus);
                assert.deepEqual(report.args, ['lsp']);
                assert.ok(!report.path.includes(''), `'' on sys.path: ${JSON.stringify(report.path)}`);
                assert.ok(!report.path.some((entry) => entry.startsWith(workspace) || entry === cwd), JSON.stringify(report.path));
            }
        });
    }

    test('the probe, run in the workspace, does not find the workspace\'s paribus', async () => {
        clearMarkers();
        // The base interpreter has no paribus: only the workspace's folder could make it importable.
        const check = await checkServerPackage([basePython], 'safe-path', workspace);
        assert.equal(check.status, 'import-failed', JSON.stringify(check));
        assert.match(check.detail, /ModuleNotFoundError: No module named 'paribus'/);
        assert.deepEqual(markers(), []);
    });

    test('the probe finds an installed paribus, and says so', async () => {
        clearMarkers();
        const check = await checkServerPackage([environmentPython], 'isolated', workspace);
        assert.equal(check.status, 'ready', JSON.stringify(check));
        assert.equal(check.status === 'ready' && check.facts.inVirtualEnvironment, true);
        assert.deepEqual(markers(), []);
    });
});

describe('what the probe makes of an interpreter', () => {
    test('a Python older than 3.11 rejects -P: it is reported as too old, with its version', async () => {
        // Stands in for Python 3.9: no -P, and only the isolated version question answered.
        const old = path.join(scratch, 'python3.9');
        fs.writeFileSync(old, [
            '#!/bin/sh',
            'if [ "$1" = "-P" ]; then echo "Unknown option: -P" >&2; echo "usage: python3.9 [option] ..." >&2; exit 2; fi',
            'if [ "$1" = "-I" ]; then echo 3.9.2; exit 0; fi',
            'exit 1',
        ].join('\n'), { mode: 0o755 });
        assert.deepEqual(await checkServerPackage([old], 'safe-path', storage),
            { status: 'python-too-old', detail: 'Paribus needs Python 3.11 or newer; this is Python 3.9.2.' });
    });

    test('a program that does not exist is reported missing', async () => {
        const check = await checkServerPackage([path.join(scratch, 'no-such-python')], 'safe-path', storage);
        assert.equal(check.status, 'interpreter-missing');
        assert.match(check.detail, /no-such-python could not be started \(ENOENT\)/);
    });

    test('the facts of an interpreter without Paribus', async () => {
        const check = await checkServerPackage([environmentPython], 'isolated', storage);
        assert.equal(check.status, 'ready'); // the stand-in package
        const base = await checkServerPackage([basePython], 'safe-path', storage);
        assert.equal(base.status, 'import-failed');
        const facts = base.status === 'import-failed' ? base.facts : undefined;
        assert.ok(facts !== undefined);
        assert.match(facts.python, /^3\.\d+\.\d+$/);
        assert.equal(facts.paribus, undefined);
        assert.equal(facts.hasVenv, true);
    });
});

describe('command lines', () => {
    test('the flag goes after a launcher\'s own arguments and before Python\'s', () => {
        const launch = serverLaunch(['conda', 'run', '-n', 'ml', 'python'], 'safe-path', '/storage');
        assert.equal(launch.command, 'conda');
        assert.deepEqual(launch.args, ['run', '-n', 'ml', 'python', '-P', '-m', 'paribus', 'lsp']);
        assert.equal(launch.options.cwd, '/storage');
        assert.deepEqual(serverLaunch(['/env/bin/python'], 'isolated', '/storage').args, ['-I', '-m', 'paribus', 'lsp']);
        assert.deepEqual(serverLaunch(['py'], 'safe-path', '/s', '5678').args, ['-P', '-m', 'debugpy', '--listen', '5678', '-m', 'paribus', 'lsp']);
        assert.deepEqual(probeLaunch(['py'], 'isolated', '/s').args.slice(0, 2), ['-I', '-c']);
    });

    test('the environment keeps pip\'s configuration and makes child Pythons safe too', () => {
        const env = pythonEnvironment({ PATH: '/bin', PIP_INDEX_URL: 'https://mirror.example/simple', PYTHONSTARTUP: 'x.py', HTTPS_PROXY: 'p' });
        assert.equal(env.PIP_INDEX_URL, 'https://mirror.example/simple');
        assert.equal(env.HTTPS_PROXY, 'p');
        assert.equal(env.PYTHONSAFEPATH, '1');
        assert.equal(env.PYTHONSTARTUP, undefined);
        assert.equal(pythonLaunch(['python3'], 'safe-path', [], '/s', { PATH: '/bin' }).options.env.PATH, '/bin');
    });

    test('an empty interpreter command is refused', () => {
        assert.throws(() => pythonLaunch([], 'safe-path', [], '/s'), /empty interpreter command/);
    });
});
