import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
    contentSecurityPolicy, escapeHtml, parseWorkflowMessage, prepareWorkflowHtml, withContentSecurityPolicy, withScript,
} from '../src/workflowWebview';

const serverPage = '<!DOCTYPE html><html><head><meta charset="utf-8">'
    + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\';">'
    + '<title>w</title></head><body><h1>Workflow</h1></body></html>';

test('the policy allows only nonce scripts, inline styles and data images', () => {
    assert.equal(
        contentSecurityPolicy('vscode-resource:', 'abc'),
        "default-src 'none'; style-src 'unsafe-inline' vscode-resource:; img-src data: vscode-resource:; script-src 'nonce-abc';",
    );
});

test("the server's policy is replaced by exactly one, first in <head>", () => {
    const html = withContentSecurityPolicy(serverPage, 'POLICY');
    assert.equal(html.match(/Content-Security-Policy/g)?.length, 1);
    assert.ok(html.includes('<head><meta http-equiv="Content-Security-Policy" content="POLICY"><meta charset="utf-8">'));
});

test('a page without a policy or <head> still gets one', () => {
    assert.ok(withContentSecurityPolicy('<p>x</p>', 'P').startsWith('<meta http-equiv="Content-Security-Policy" content="P">'));
    const uppercase = withContentSecurityPolicy('<HTML><HEAD lang="en"><META HTTP-EQUIV=Content-Security-Policy CONTENT="x"></HEAD></HTML>', 'P');
    assert.equal(uppercase, '<HTML><HEAD lang="en"><meta http-equiv="Content-Security-Policy" content="P"></HEAD></HTML>');
});

test('the script goes just before </body>, with the nonce', () => {
    const html = withScript(serverPage, 'run()', 'n1');
    assert.ok(html.endsWith('<h1>Workflow</h1><script nonce="n1">run()</script></body></html>'));
    assert.equal(withScript('<p>x</p>', 'run()', 'n1'), '<p>x</p><script nonce="n1">run()</script>');
});

test('the prepared page carries one nonce shared by policy and script', () => {
    const html = prepareWorkflowHtml(serverPage, 'src:', 'n2');
    assert.ok(html.includes("script-src 'nonce-n2'"));
    assert.equal(html.match(/<script nonce="n2">/g)?.length, 1);
    assert.ok(html.includes('acquireVsCodeApi()'));
});

test('open messages resolve an optional 1-based line', () => {
    assert.deepEqual(parseWorkflowMessage({ type: 'open', path: 'train.py', line: '12' }), { kind: 'open', path: 'train.py', line: 12 });
    assert.deepEqual(parseWorkflowMessage({ type: 'open', path: 'train.py', line: null }), { kind: 'open', path: 'train.py', line: undefined });
    assert.deepEqual(parseWorkflowMessage({ type: 'open', path: 'train.py', line: '0' }), { kind: 'open', path: 'train.py', line: undefined });
    assert.equal(parseWorkflowMessage({ type: 'open', path: '' }), undefined);
});

test('only paribus.* commands with a JSON array of arguments pass', () => {
    assert.deepEqual(
        parseWorkflowMessage({ type: 'command', command: 'paribus.recordResult', args: '[{"id":"e1"}]' }),
        { kind: 'command', command: 'paribus.recordResult', args: [{ id: 'e1' }] },
    );
    assert.deepEqual(parseWorkflowMessage({ type: 'command', command: 'paribus.reveal', args: null }), { kind: 'command', command: 'paribus.reveal', args: [] });
    assert.equal(parseWorkflowMessage({ type: 'command', command: 'workbench.action.terminal.sendSequence', args: '[]' }), undefined);
    assert.equal(parseWorkflowMessage({ type: 'command', command: 'paribus.reveal', args: '{"a":1}' }), undefined);
    assert.equal(parseWorkflowMessage({ type: 'command', command: 'paribus.reveal', args: 'not json' }), undefined);
});

test('refresh passes; anything else is refused', () => {
    assert.deepEqual(parseWorkflowMessage({ type: 'refresh' }), { kind: 'refresh' });
    assert.equal(parseWorkflowMessage('refresh'), undefined);
    assert.equal(parseWorkflowMessage(null), undefined);
    assert.equal(parseWorkflowMessage({ type: 'eval', code: '1' }), undefined);
});

test('escapeHtml neutralises markup', () => {
    assert.equal(escapeHtml('<b a="1">&\'</b>'), '&#60;b a=&#34;1&#34;&#62;&#38;&#39;&#60;/b&#62;');
});
