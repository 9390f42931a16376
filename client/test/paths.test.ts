import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { expandVariables, findProjectRoot, isInside, isInsideAny, resolveProgram } from '../src/paths';

test('expands ${workspaceFolder}, ${userHome} and a leading ~', () => {
    assert.equal(expandVariables('${workspaceFolder}/.venv/bin/python', '/proj', '/home/ada'), '/proj/.venv/bin/python');
    assert.equal(expandVariables('~/envs/ml/bin/python', '/proj', '/home/ada'), '/home/ada/envs/ml/bin/python');
    assert.equal(expandVariables('${userHome}/bin/python', undefined, '/home/ada'), '/home/ada/bin/python');
    assert.equal(expandVariables('python~3', '/proj', '/home/ada'), 'python~3');
});

test('leaves ${workspaceFolder} alone when there is no folder', () => {
    assert.equal(expandVariables('${workspaceFolder}/python', undefined, '/home/ada'), '${workspaceFolder}/python');
});

const createdTrees: string[] = [];
after(() => createdTrees.forEach((tree) => fs.rmSync(tree, { recursive: true, force: true })));

function makeTree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paribus-client-'));
    createdTrees.push(root);
    for (const [relative, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
        fs.writeFileSync(path.join(root, relative), content);
    }
    return root;
}

test('finds the nearest folder with paribus.toml, experiments.yaml or [tool.paribus]', () => {
    const root = makeTree({
        'examples/ecg/paribus.toml': 'task = "x"\n',
        'examples/ecg/src/train.py': '',
        'other/pyproject.toml': '[tool.paribus]\ntask = "y"\n',
        'other/deep/x.py': '',
        'plain/pyproject.toml': '[project]\nname = "z"\n',
        'plain/x.py': '',
    });
    assert.equal(findProjectRoot(path.join(root, 'examples/ecg/src'), root), path.join(root, 'examples/ecg'));
    assert.equal(findProjectRoot(path.join(root, 'other/deep'), root), path.join(root, 'other'));
    assert.equal(findProjectRoot(path.join(root, 'plain'), root), undefined);
});

test('does not search above the stop folder', () => {
    const root = makeTree({ 'experiments.yaml': '[]\n', 'inner/x.py': '' });
    assert.equal(findProjectRoot(path.join(root, 'inner'), path.join(root, 'inner')), undefined);
    assert.equal(findProjectRoot(path.join(root, 'inner'), root), root);
});

test('isInside compares whole path segments', () => {
    assert.ok(isInside('/a/b/c.py', '/a/b'));
    assert.ok(isInside('/a/b', '/a/b'));
    assert.ok(!isInside('/a/bc/d.py', '/a/b'));
    assert.ok(!isInside('/a', '/a/b'));
});

test('a relative program path means the one in the workspace folder; bare names stay for PATH', () => {
    assert.equal(resolveProgram('.venv/bin/python', '/proj'), path.resolve('/proj', '.venv/bin/python'));
    assert.equal(resolveProgram('python3', '/proj'), 'python3');
    assert.equal(resolveProgram('/usr/bin/python3', '/proj'), '/usr/bin/python3');
    assert.equal(resolveProgram('.venv/bin/python', undefined), '.venv/bin/python');
});

test('isInsideAny: a program in a workspace folder, as written or through a symlink', () => {
    const workspace = makeTree({ '.venv/bin/python': '#!/bin/sh\n', 'tools/run.sh': '' });
    const outside = makeTree({ 'bin/python': '' });
    // A venv's python links to the system's; the venv (its .pth files) is still the workspace's.
    fs.rmSync(path.join(workspace, '.venv/bin/python'));
    fs.symlinkSync(path.join(outside, 'bin/python'), path.join(workspace, '.venv/bin/python'));
    assert.ok(isInsideAny(path.join(workspace, '.venv/bin/python'), [workspace]));
    assert.ok(isInsideAny(path.join(workspace, 'missing/python'), [workspace]));
    assert.ok(!isInsideAny(path.join(outside, 'bin/python'), [workspace]));
    assert.ok(!isInsideAny('python3', [workspace]));
    // A link outside the workspace that points into it runs the workspace's file.
    fs.symlinkSync(path.join(workspace, 'tools/run.sh'), path.join(outside, 'run'));
    assert.ok(isInsideAny(path.join(outside, 'run'), [workspace]));
    assert.ok(!isInsideAny(path.join(outside, 'run'), []));
});
