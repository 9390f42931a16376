// The extension's own environment, made for real from a Python: venv without pip, pip from a
// wheel or from ensurepip, then the server package; its probe finds the server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createParibusEnvironment, environmentLayout, pipBootstrapArgs, pipProgress, venvLaunchArgs } from '../src/paribusEnvironment';
import { checkServerPackage, findBundledPip, Log, wheelVersion } from '../src/serverPackage';

const basePython = process.env.PARIBUS_TEST_PYTHON ?? 'python3';
let scratch: string;
let serverWheel: string;
const logged: string[] = [];
const log: Log = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };

/** A wheel is a zip: a stand-in server package with no dependencies, so pip needs no index. */
function buildStubWheel(folder: string): string {
    const wheel = path.join(folder, 'paribus-9.9.9-py3-none-any.whl');
    const script = `
import sys, zipfile
files = {
    "paribus/__init__.py": "",
    "paribus/__main__.py": "print('stub server')\\n",
    "paribus-9.9.9.dist-info/METADATA": "Metadata-Version: 2.1\\nName: paribus\\nVersion: 9.9.9\\n",
    "paribus-9.9.9.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
files["paribus-9.9.9.dist-info/RECORD"] = "".join(f"{name},,\\n" for name in files) + "paribus-9.9.9.dist-info/RECORD,,\\n"
with zipfile.ZipFile(sys.argv[1], "w") as archive:
    for name, text in files.items():
        archive.writestr(name, text)
`;
    execFileSync(basePython, ['-c', script, wheel]);
    return wheel;
}

/**
 * A pip wheel to bootstrap from: PARIBUS_TEST_PIP_WHEEL, else the one `make vsix` puts in
 * bundled/, else the one ensurepip carries (in the stdlib, or Debian's /usr/share/python-wheels).
 */
function findPipWheel(): string {
    if (process.env.PARIBUS_TEST_PIP_WHEEL) {
        return process.env.PARIBUS_TEST_PIP_WHEEL;
    }
    const repoBundled = findBundledPip(path.resolve(__dirname, '..', '..'));
    if (repoBundled !== undefined) {
        return repoBundled;
    }
    const found = execFileSync(basePython, ['-c', [
        'import glob, os, sysconfig',
        'stdlib = sysconfig.get_path("stdlib")',
        'print("\\n".join(glob.glob(os.path.join(stdlib, "ensurepip", "_bundled", "pip-*.whl")) + glob.glob("/usr/share/python-wheels/pip-*.whl")))',
    ].join('\n')], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    assert.ok(found.length > 0, 'no pip wheel found: run `make vsix` or set PARIBUS_TEST_PIP_WHEEL to one');
    return found[0];
}

before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paribus-env-'));
    serverWheel = buildStubWheel(scratch);
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

for (const pipSource of ['a shipped wheel', 'ensurepip'] as const) {
    test(`creates the environment with pip from ${pipSource} and the server from its wheel`, async () => {
        const storage = path.join(scratch, pipSource.replace(/ /g, '-'));
        // The storage folder is every process's working directory: a trap there must stay unimported.
        fs.mkdirSync(path.join(storage, 'pip'), { recursive: true });
        const marker = path.join(scratch, `marker-${pipSource}`);
        fs.writeFileSync(path.join(storage, 'pip', '__init__.py'), `open(${JSON.stringify(marker)}, "w").close()\n`);
        fs.writeFileSync(path.join(storage, 'venv.py'), `open(${JSON.stringify(marker)}, "w").close()\n`);
        const reports: string[] = [];
        const outcome = await createParibusEnvironment({
            base: [basePython],
            storageDirectory: storage,
            server: serverWheel,
            pipWheel: pipSource === 'a shipped wheel' ? findPipWheel() : undefined,
            log,
            report: (message) => reports.push(message),
        });
        assert.deepEqual(outcome, { ok: true }, logged.slice(-20).join('\n'));
        assert.deepEqual(reports.slice(0, 3), ['creating a virtual environment…', 'installing pip…', 'installing Paribus and its dependencies…']);
        const layout = environmentLayout(storage);
        const check = await checkServerPackage([layout.python], 'isolated', storage);
        assert.equal(check.status === 'ready' && check.version, '9.9.9', JSON.stringify(check));
        assert.equal(check.status === 'ready' && check.facts.inVirtualEnvironment, true);
        assert.equal(fs.existsSync(marker), false, 'a module in the working directory was imported');
        assert.equal(fs.existsSync(layout.lock), false, 'the lock is released');
    });
}

test('a second window finds the environment busy and leaves it alone', async () => {
    const storage = path.join(scratch, 'busy');
    fs.mkdirSync(environmentLayout(storage).lock, { recursive: true });
    const outcome = await createParibusEnvironment({ base: [basePython], storageDirectory: storage, server: serverWheel, log, report: () => undefined });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.step, 'busy');
    assert.equal(fs.existsSync(environmentLayout(storage).root), false);
});

test('an interpreter that cannot make a venv fails at the venv step with its message', async () => {
    const storage = path.join(scratch, 'no-venv');
    const outcome = await createParibusEnvironment({
        base: [basePython, '-c', 'import sys; sys.exit("No module named venv")'],
        storageDirectory: storage, server: serverWheel, log, report: () => undefined,
    });
    assert.equal(!outcome.ok && outcome.step, 'venv');
    assert.match(!outcome.ok ? outcome.detail : '', /No module named venv/);
});

test('layout, command lines and progress messages', () => {
    assert.equal(environmentLayout('/s', 'linux').python, path.join('/s', 'paribus-env', 'bin', 'python'));
    assert.equal(environmentLayout('/s', 'win32').python, path.join('/s', 'paribus-env', 'Scripts', 'python.exe'));
    assert.deepEqual(venvLaunchArgs('/s/paribus-env'), ['-m', 'venv', '--clear', '--without-pip', '/s/paribus-env']);
    assert.deepEqual(pipBootstrapArgs(undefined), ['-m', 'ensurepip', '--default-pip']);
    assert.equal(pipBootstrapArgs('/x/pip-25.0-py3-none-any.whl').at(-1), '/x/pip-25.0-py3-none-any.whl');
    assert.equal(pipProgress('Collecting pygls<3,>=2.1 (from paribus==0.1.0)'), 'downloading pygls…');
    assert.equal(pipProgress('Collecting ruamel.yaml>=0.18'), 'downloading ruamel.yaml…');
    assert.equal(pipProgress('Installing collected packages: six, pandas'), 'installing the packages…');
    assert.equal(pipProgress('  Downloading pandas-2.2.3.whl (13 MB)'), undefined);
    assert.equal(wheelVersion('/b/paribus-0.1.0-py3-none-any.whl'), '0.1.0');
    assert.equal(wheelVersion('/src/paribus'), undefined);
});
