// Runs inside code-server's extension host with the real `vscode` API (extensionTestsPath).
// Every check is recorded in the JSON file named by PARIBUS_E2E_API_RESULT, then run() rejects
// if any failed, so the workbench reports exit code 1.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');

const TIMEOUT_MS = 30_000;
const EXPECTED_PB101 = [
  // 0-based line/character, UTF-16 units: the value text of each changed constant.
  { name: 'LEARNING_RATE', line: 9, start: 16, end: 20, text: '3e-4' },
  { name: 'DROPOUT', line: 11, start: 10, end: 13, text: '0.3' },
];

function toJson(diagnostic) {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code?.value : diagnostic.code;
  const { start, end } = diagnostic.range;
  return {
    code: String(code),
    source: diagnostic.source,
    severity: vscode.DiagnosticSeverity[diagnostic.severity],
    message: diagnostic.message,
    range: [start.line, start.character, end.line, end.character],
  };
}

/** Resolve with the document's Paribus diagnostics once `accept` takes them. */
function diagnosticsWhen(uri, accept) {
  return new Promise((resolve, reject) => {
    const current = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'paribus');
    const settle = () => {
      const found = current();
      if (accept(found)) {
        subscription.dispose();
        clearTimeout(timer);
        resolve(found);
      }
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) settle();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${TIMEOUT_MS / 1000}s; diagnostics now: ${JSON.stringify(current().map(toJson))}`));
    }, TIMEOUT_MS);
    settle();
  });
}

function editsOf(workspaceEdit) {
  if (!workspaceEdit) return [];
  return workspaceEdit.entries().flatMap(([uri, edits]) =>
    edits.map((edit) => ({
      file: uri.path.split('/').pop(),
      newText: edit.newText,
      range: [edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character],
    })));
}

function actionJson(action) {
  return {
    title: action.title,
    kind: action.kind?.value ?? null,
    edits: editsOf(action.edit),
    command: action.command ? { command: action.command.command, arguments: action.command.arguments ?? [] } : null,
  };
}

async function run() {
  const result = { checks: {} };
  const outFile = process.env.PARIBUS_E2E_API_RESULT;
  const check = async (name, body) => {
    const started = Date.now();
    try {
      result.checks[name] = { ok: true, ...(await body()) };
    } catch (error) {
      result.checks[name] = { ok: false, error: error.message };
    }
    result.checks[name].seconds = (Date.now() - started) / 1000;
    console.log(`paribus-e2e: ${name}: ${result.checks[name].ok ? 'ok' : `FAILED ${result.checks[name].error}`}`);
  };

  const folder = vscode.workspace.workspaceFolders[0].uri;
  const script = vscode.Uri.joinPath(folder, 'train.py');
  let diagnostics = [];

  await check('activation', async () => {
    const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'paribus');
    assert.ok(extension, 'the Paribus extension is not loaded');
    await extension.activate();
    return { id: extension.id };
  });

  await check('diagnostics', async () => {
    const document = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(document);
    diagnostics = await diagnosticsWhen(script, (found) => found.filter((d) => toJson(d).code === 'PB101').length >= 2);
    const seen = diagnostics.map(toJson);
    const pb101 = seen.filter((d) => d.code === 'PB101').sort((a, b) => a.range[0] - b.range[0]);
    assert.deepEqual(
      pb101.map((d) => d.range),
      EXPECTED_PB101.map((e) => [e.line, e.start, e.line, e.end]),
      'PB101 ranges must cover exactly the changed values',
    );
    for (const [i, expected] of EXPECTED_PB101.entries()) {
      assert.equal(document.getText(diagnostics.find((d) => toJson(d).range[0] === expected.line).range), expected.text);
      assert.equal(pb101[i].severity, 'Warning');
      assert.match(pb101[i].message, new RegExp(`^${expected.name} changed`));
    }
    assert.ok(!seen.some((d) => d.code === 'PB105'), 'the fixture seeds its randomness: no PB105');
    return { diagnostics: seen };
  });

  let actions = [];
  await check('codeActions', async () => {
    const learningRate = diagnostics.find((d) => toJson(d).range[0] === EXPECTED_PB101[0].line);
    assert.ok(learningRate, 'no diagnostic on the LEARNING_RATE line');
    // The 4th argument resolves lazily computed edits of up to that many actions.
    actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', script, learningRate.range, undefined, 50);
    const seen = actions.map(actionJson);
    const revert = seen.find((a) => a.title === 'Revert LEARNING_RATE to 0.001');
    assert.ok(revert, `no "Revert LEARNING_RATE to 0.001" in ${JSON.stringify(seen.map((a) => a.title))}`);
    assert.deepEqual(revert.edits, [{ file: 'train.py', newText: '0.001', range: [9, 16, 9, 20] }]);
    const addHypothesis = seen.find((a) => a.title === 'Add hypothesis');
    assert.ok(addHypothesis, `no "Add hypothesis" in ${JSON.stringify(seen.map((a) => a.title))}`);
    assert.equal(addHypothesis.edits.length, 1, 'one edit appending the entry');
    assert.equal(addHypothesis.edits[0].file, 'experiments.yaml');
    const entry = addHypothesis.edits[0].newText;
    assert.match(entry, /LEARNING_RATE: \[0\.001, 0\.0003\]/);
    assert.match(entry, /DROPOUT: \[0\.1, 0\.3\]/);
    assert.match(entry, /^\s*hypothesis: *$/m);
    assert.match(entry, /prediction:.*val_acc|prediction:\s*\n\s*metric: val_acc/s);
    return { actions: seen };
  });

  await check('revertApplies', async () => {
    const revert = actions.find((a) => a.title === 'Revert LEARNING_RATE to 0.001');
    assert.ok(revert?.edit, 'no revert action with an edit');
    assert.ok(await vscode.workspace.applyEdit(revert.edit), 'applyEdit refused the edit');
    const document = await vscode.workspace.openTextDocument(script);
    assert.equal(document.lineAt(9).text, 'LEARNING_RATE = 0.001');
    // One change left: PB101 goes (PB102 may take its place).
    const after = await diagnosticsWhen(script, (found) => !found.some((d) => toJson(d).code === 'PB101'));
    const line = document.lineAt(9).text;
    const restore = new vscode.WorkspaceEdit();
    restore.replace(script, new vscode.Range(9, 16, 9, 21), '3e-4');
    assert.ok(await vscode.workspace.applyEdit(restore), 'could not restore the changed value');
    return { line, diagnosticsAfter: after.map(toJson) };
  });

  await check('severitySetting', async () => {
    await diagnosticsWhen(script, (found) => found.filter((d) => toJson(d).code === 'PB101').length >= 2);
    await vscode.workspace.getConfiguration('paribus', folder)
      .update('severity', { PB101: 'error' }, vscode.ConfigurationTarget.Workspace);
    const after = await diagnosticsWhen(script, (found) => {
      const pb101 = found.filter((d) => toJson(d).code === 'PB101');
      return pb101.length >= 2 && pb101.every((d) => d.severity === vscode.DiagnosticSeverity.Error);
    });
    return { diagnostics: after.map(toJson) };
  });

  if (outFile) fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
  const failed = Object.entries(result.checks).filter(([, value]) => !value.ok).map(([name]) => name);
  if (failed.length) throw new Error(`failed checks: ${failed.join(', ')}`);
}

module.exports = { run };
