// What the extension runs, and what it offers when nothing can run yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreationOutcome } from '../src/paribusEnvironment';
import { InterpreterFacts, PackageCheck } from '../src/serverPackage';
import { statusPresentation } from '../src/serverState';
import { adviseSetup, creationFailureMessage, planStart, Unavailable, venvPackageFix } from '../src/setupAdvice';

const debianSystemPython: InterpreterFacts = {
    python: '3.11.2',
    executable: '/usr/bin/python3',
    inVirtualEnvironment: false,
    externallyManaged: true,
    hasPip: true,
    hasVenv: true,
    hasEnsurepip: false,
    debianLike: true,
    paribusError: "ModuleNotFoundError: No module named 'paribus'",
};

const projectVenv: InterpreterFacts = {
    ...debianSystemPython,
    executable: '/home/ada/proj/.venv/bin/python',
    inVirtualEnvironment: true,
    externallyManaged: false,
    hasEnsurepip: true,
};

const missing = (facts: InterpreterFacts): Unavailable => ({ status: 'import-failed', detail: facts.paribusError ?? '', facts });
const ready = (version: string): PackageCheck => ({ status: 'ready', version, facts: { ...projectVenv, paribus: version } });
const label = '"/usr/bin/python3" (from the paribus.interpreter setting)';

test('an OS-managed Python without Paribus: create an environment comes first, install-here is not offered', () => {
    const advice = adviseSetup(missing(debianSystemPython), label, true);
    assert.deepEqual(advice.actions, ['create-environment', 'select-interpreter', 'show-log']);
    assert.equal(advice.severity, 'warning');
    assert.match(advice.message, /^Paribus is not installed in "\/usr\/bin\/python3" \(from the paribus.interpreter setting\)/);
    assert.match(advice.message, /managed by the operating system \(PEP 668\)/);
});

test('a Python without pip cannot take an install either', () => {
    const advice = adviseSetup(missing({ ...debianSystemPython, externallyManaged: false, hasPip: false }), label, true);
    assert.deepEqual(advice.actions, ['create-environment', 'select-interpreter', 'show-log']);
    assert.match(advice.message, /which has no pip/);
});

test('a writable environment: install there first, a private environment second', () => {
    const advice = adviseSetup(missing(projectVenv), label, true);
    assert.deepEqual(advice.actions, ['install-here', 'create-environment', 'select-interpreter']);
});

test('Paribus present but broken is said so', () => {
    const broken = { ...projectVenv, paribusError: "ImportError: cannot import name 'x' from 'pygls'" };
    assert.match(adviseSetup(missing(broken), label, true).message, /^Paribus is installed but fails to import in/);
});

test('without a shipped server nothing is offered to install', () => {
    const advice = adviseSetup(missing(debianSystemPython), label, false);
    assert.deepEqual(advice.actions, ['select-interpreter', 'show-log']);
    assert.equal(advice.severity, 'error');
    assert.match(advice.message, /pip install paribus/);
});

test('a missing or too old interpreter: choose another', () => {
    assert.deepEqual(adviseSetup({ status: 'interpreter-missing', detail: 'x' }, label, true).actions, ['select-interpreter', 'show-log']);
    const old = adviseSetup({ status: 'python-too-old', detail: 'Paribus needs Python 3.11 or newer; this is Python 3.9.2.' }, label, true);
    assert.deepEqual(old.actions, ['select-interpreter', 'show-log']);
    assert.match(old.message, /this is Python 3\.9\.2\. The interpreter is "\/usr\/bin\/python3"/);
});

test('an interpreter whose probe crashed is not offered an environment made from it', () => {
    assert.deepEqual(adviseSetup({ status: 'import-failed', detail: 'Segmentation fault' }, label, true).actions,
        ['select-interpreter', 'show-log']);
});

test('the chosen interpreter wins when it has Paribus; else the environment; else the problem', () => {
    const absent = missing(debianSystemPython);
    assert.deepEqual(planStart(ready('0.1.0'), ready('0.1.0'), '0.1.0'), { kind: 'chosen' });
    assert.deepEqual(planStart(ready('0.0.9'), undefined, '0.1.0'), { kind: 'chosen' });
    assert.deepEqual(planStart(absent, ready('0.1.0'), '0.1.0'), { kind: 'environment', version: '0.1.0' });
    assert.deepEqual(planStart(absent, ready('0.1.0'), undefined), { kind: 'environment', version: '0.1.0' });
    assert.deepEqual(planStart(absent, undefined, '0.1.0'), { kind: 'unavailable', problem: absent });
    assert.deepEqual(planStart(absent, missing(projectVenv), '0.1.0'), { kind: 'unavailable', problem: absent });
    // A missing interpreter does not stop an environment made earlier from working.
    const gone: PackageCheck = { status: 'interpreter-missing', detail: 'python3.12 was not found.' };
    assert.deepEqual(planStart(gone, ready('0.1.0'), '0.1.0'), { kind: 'environment', version: '0.1.0' });
});

test('an environment with another server version than the shipped one is updated', () => {
    assert.deepEqual(planStart(missing(debianSystemPython), ready('0.1.0'), '0.2.0'), { kind: 'update-environment', from: '0.1.0', to: '0.2.0' });
});

test('the fix for a Debian Python without venv support names the exact package', () => {
    assert.equal(venvPackageFix(debianSystemPython), "Install Python's venv support: sudo apt install python3.11-venv — then try again.");
    assert.match(venvPackageFix({ ...debianSystemPython, debianLike: false }), /python\.org/);
    const failed: Exclude<CreationOutcome, { ok: true }> = {
        ok: false, cancelled: false, step: 'pip',
        detail: 'No module named ensurepip\n',
    };
    assert.equal(creationFailureMessage(failed, debianSystemPython),
        "Could not install pip into the new environment: No module named ensurepip. Install Python's venv support: "
        + 'sudo apt install python3.11-venv — then try again.');
});

test('a failed package install points at pip\'s configuration, not at a hard-coded index', () => {
    const message = creationFailureMessage({ ok: false, cancelled: false, step: 'paribus', detail: 'ERROR: No matching distribution found for pygls>=2.1' }, debianSystemPython);
    assert.match(message, /No matching distribution found for pygls>=2\.1\. pip's configuration \(pip\.conf, PIP_INDEX_URL\)/);
});

test('the status item reads starting, installing, ready and error, and only error is highlighted', () => {
    assert.deepEqual(
        (['starting', 'installing', 'ready', 'error'] as const).map((kind) => statusPresentation({ kind, detail: 'd.' })),
        [
            { text: '$(loading~spin) Paribus', label: 'Paribus server: starting', tooltip: 'Paribus server: starting. d.\nClick to show the Paribus output.', isError: false },
            { text: '$(loading~spin) Paribus: installing', label: 'Paribus server: installing', tooltip: 'Paribus server: installing. d.\nClick to show the Paribus output.', isError: false },
            { text: '$(check) Paribus', label: 'Paribus server: ready', tooltip: 'Paribus server: ready. d.\nClick to show the Paribus output.', isError: false },
            { text: '$(error) Paribus', label: 'Paribus server: error', tooltip: 'Paribus server: error. d.\nClick to show the Paribus output.', isError: true },
        ]);
});
