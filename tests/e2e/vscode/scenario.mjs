// Setup and safety scenarios in VS Code (code-server in Chromium), each on a fresh copy of the
// fixture project, written to a JSON file the pytest wrappers assert on:
//
//   booby-trapped  the workspace holds yaml.py, pydantic.py, pygls.py and paribus/ that leave a
//                  marker when imported; diagnostics must still come, and no marker
//   restricted     workspace trust on, the folder untrusted (Restricted Mode), its
//                  .vscode/settings.json names a script as paribus.interpreter: the user-level
//                  interpreter serves diagnostics and the script never runs
//   one-click      paribus.interpreter is the system /usr/bin/python3 (no Paribus, PEP 668):
//                  one click on "Create a Paribus environment" ends with diagnostics
//
//   node scenario.mjs --scenario NAME --scratch DIR --result FILE --screenshots DIR --python PY --vsix VSIX --fixture DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, repo } from './harness.mjs';
import {
  ACTIVE, driveWorkbench, editorText, expectSoon, notifications, openFile, runCommand, squiggleLines,
} from './workbench.mjs';

const args = parseArgs(process.argv.slice(2));
const SYSTEM_PYTHON = '/usr/bin/python3';
const TRAPS = ['yaml.py', 'pydantic.py', 'pygls.py', 'paribus/__init__.py'];
const CREATE = 'Create a Paribus environment';
const result = { scenario: args.scenario, steps: {}, timings: {} };
const timer = performance.now();
const markers = path.join(args.scratch, 'markers');

const scenarios = {
  'booby-trapped': {
    prepare: (project) => plantTraps(project),
    steps: [['open', openTrainPy], ['diagnostics', twoWarnings], ['status', serverReady], ['markers', noMarkers]],
  },
  restricted: {
    trust: true,
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    prepare: (project) => {
      plantTraps(project);
      // The workspace names its own "interpreter": a script that leaves a marker and then runs Python.
      const script = path.join(project, 'tools', 'python');
      fs.mkdirSync(path.dirname(script), { recursive: true });
      fs.writeFileSync(script, `#!/bin/sh\ntouch '${path.join(markers, 'workspace-interpreter')}'\nexec '${args.python}' "$@"\n`, { mode: 0o755 });
      fs.mkdirSync(path.join(project, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(project, '.vscode', 'settings.json'),
        JSON.stringify({ 'paribus.interpreter': ['${workspaceFolder}/tools/python'] }, null, 2));
    },
    steps: [['open', openTrainPy], ['restricted', inRestrictedMode], ['diagnostics', twoWarnings], ['status', serverReady],
      ['markers', noMarkers], ['trusted', trustRunsWorkspaceInterpreter]],
  },
  'one-click': {
    interpreter: SYSTEM_PYTHON,
    steps: [['open', openTrainPy], ['offer', offerToCreate], ['create', clickCreate], ['diagnostics', twoWarnings], ['status', serverReady],
      ['environment', environmentInStorage]],
  },
};

const scenario = scenarios[args.scenario];
if (!scenario) throw new Error(`unknown --scenario ${args.scenario}: one of ${Object.keys(scenarios).join(', ')}`);

let page;
let dirs;
process.exit(await driveWorkbench(args, result, scenario.steps, {
  interpreter: scenario.interpreter,
  settings: scenario.settings,
  workspaceTrust: scenario.trust,
  screenshotPrefix: `vscode-${args.scenario}`,
  stopAfterFailureOf: ['open', 'offer', 'create'],
  prepare: (project, scratchDirs, env) => {
    dirs = scratchDirs;
    // Packages the one-click install downloads are kept between runs (pip's own cache, nothing else).
    env.PIP_CACHE_DIR ??= path.join(repo, '.cache', 'e2e', 'pip-cache');
    fs.mkdirSync(markers, { recursive: true });
    result.markers = markers;
    scenario.prepare?.(project);
  },
  onPage: (opened) => { page = opened; },
  // After everything stopped: nothing may have run the traps, ever.
  afterStop: () => { result.markersAtEnd = fs.existsSync(markers) ? fs.readdirSync(markers).sort() : []; },
}));

// ---------------------------------------------------------------------------------------
// Setup

/** Modules a Python server would import, each leaving a marker named after itself when imported. */
function plantTraps(project) {
  for (const relative of TRAPS) {
    const file = path.join(project, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const marker = path.join(markers, relative.replace(/\//g, '.'));
    fs.writeFileSync(file, `# Left here to see whether anything imports it.\nopen(${JSON.stringify(marker)}, "w").close()\n`);
  }
}

// ---------------------------------------------------------------------------------------
// Steps

async function openTrainPy(step, { base, project }) {
  await recordStatusLabels();
  await page.goto(`${base}/?folder=${encodeURIComponent(project)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row[aria-label*="train.py"]').first().waitFor({ timeout: 30_000 });
  await openFile('train.py');
}

async function inRestrictedMode(step) {
  const indicator = page.locator('[id="status.workspaceTrust"]');
  await expectSoon('the Restricted Mode indicator in the status bar', 15_000, async () => (await indicator.count()) > 0,
    async () => `status bar: ${JSON.stringify(await page.locator('.statusbar-item').allInnerTexts())}`);
  step.indicator = (await indicator.first().innerText()).trim();
}

async function twoWarnings(step) {
  // The one-click install downloads the server's dependencies first: allow it the time.
  const timeout = args.scenario === 'one-click' ? 420_000 : 60_000;
  await expectSoon('two warning squiggles in train.py', timeout, async () => {
    const count = await page.locator(`${ACTIVE} .editor-instance .monaco-editor .squiggly-warning`).count();
    return count >= 2;
  }, async () => `${await editorText()}; notifications: ${JSON.stringify(await notifications())}; status: ${await statusLabel()}`);
  step.squiggles = await squiggleLines();
  step.secondsSinceStart = Number(((performance.now() - timer) / 1000).toFixed(1));
}

async function serverReady(step) {
  await expectSoon('the status item saying the server is ready', 15_000,
    async () => (await statusLabel()) === 'Paribus server: ready', async () => `status: ${await statusLabel()}`);
  step.label = await statusLabel();
  step.statesSeen = await statesSeen();
  // The item opens the output panel on the Paribus channel.
  await page.locator('.statusbar-item [aria-label^="Paribus server:"]').first().click();
  await expectSoon('the output panel showing the Paribus channel', 10_000,
    async () => (await outputChannelShown()) === 'Paribus',
    async () => `channel shown: ${await outputChannelShown()}`);
  step.outputOpened = true;
}

async function noMarkers(step) {
  step.markers = fs.readdirSync(markers).sort();
  if (step.markers.length) throw new Error(`imported or ran from the workspace: ${step.markers.join(', ')}`);
}

/**
 * The control: once the user trusts the folder, its paribus.interpreter counts, so the script
 * runs (leaving its marker); the modules planted beside it are still never imported.
 */
async function trustRunsWorkspaceInterpreter(step) {
  await runCommand('Workspaces: Manage Workspace Trust');
  const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first();
  await expectSoon('the Trust button of the workspace trust editor', 15_000, async () => (await trust.count()) > 0,
    async () => `buttons: ${JSON.stringify(await page.locator('.monaco-button').allInnerTexts())}`);
  await trust.click();
  await expectSoon('the workspace interpreter to run after trust', 30_000,
    async () => fs.readdirSync(markers).includes('workspace-interpreter'),
    async () => `markers: ${JSON.stringify(fs.readdirSync(markers))}; status: ${await statusLabel()}`);
  await expectSoon('the server ready again', 30_000, async () => (await statusLabel()) === 'Paribus server: ready',
    async () => `status: ${await statusLabel()}`);
  step.markers = fs.readdirSync(markers).sort();
}

async function offerToCreate(step) {
  const button = page.locator('.notifications-toasts .monaco-button', { hasText: CREATE });
  await expectSoon(`a notification offering "${CREATE}"`, 60_000, async () => (await button.count()) > 0, async () => `notifications: ${JSON.stringify(await notifications())}; status: ${await statusLabel()}`);
  step.notifications = await notifications();
  step.buttons = await page.locator('.notifications-toasts .notification-list-item-buttons-container .monaco-button').allInnerTexts();
  step.label = await statusLabel();
}

async function clickCreate(step) {
  step.clickedAt = Number(((performance.now() - timer) / 1000).toFixed(1));
  await page.locator('.notifications-toasts .monaco-button', { hasText: CREATE }).first().click();
  // Progress shows while the environment is made.
  await expectSoon('the status item saying Paribus is installing', 30_000,
    async () => (await statesSeen()).includes('Paribus server: installing'), async () => `status: ${await statusLabel()}; notifications: ${JSON.stringify(await notifications())}`);
  step.progress = await notifications();
}

async function environmentInStorage(step) {
  const storage = path.join(dirs.userData, 'User', 'globalStorage', 'paribus.paribus');
  const python = path.join(storage, 'paribus-env', 'bin', 'python');
  step.python = python;
  step.exists = fs.existsSync(python);
  const version = spawnSync(python, ['-I', '-c', 'import importlib.metadata as m; print(m.version("paribus"))'], { encoding: 'utf8' });
  step.paribusVersion = version.stdout.trim();
  const system = spawnSync(SYSTEM_PYTHON, ['-I', '-c', 'import paribus'], { encoding: 'utf8' });
  step.systemPythonImportsParibus = system.status === 0;
}

// ---------------------------------------------------------------------------------------
// The status item

async function statusLabel() {
  const item = page.locator('.statusbar-item [aria-label^="Paribus server:"]').first();
  return (await item.count()) ? item.getAttribute('aria-label') : null;
}

/** The channel selected in the output panel's picker. */
async function outputChannelShown() {
  return page.locator('.part.panel select').evaluateAll((selects) => selects
    .map((select) => select.options[select.selectedIndex]?.text).find(Boolean) ?? null).catch(() => null);
}

/** Record every label the status item takes, from the page itself, so no short state is missed. */
async function recordStatusLabels() {
  await page.addInitScript(() => {
    const states = [];
    window.paribusStatusLabels = states;
    const record = () => {
      const label = document.querySelector('.statusbar-item [aria-label^="Paribus server:"]')?.getAttribute('aria-label');
      if (label && states[states.length - 1] !== label) states.push(label);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  });
}

async function statesSeen() {
  return page.evaluate(() => window.paribusStatusLabels ?? []);
}
