// Drive VS Code (code-server) in Chromium through the scenario and write what was
// seen to a JSON file; the pytest wrapper asserts on it. Each step records what it observed,
// an error with the text of the area it waited on, and a screenshot, then the next step runs.
//
//   node ui.mjs --scratch DIR --result FILE --screenshots DIR --python PY --vsix VSIX --fixture DIR
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from './harness.mjs';
import {
  ACTIVE, activeTabTitle, codeLenses, cursorLine, driveWorkbench, editorText, expectSoon, goToLine, hoverText,
  openFile, openProblems, problemRows, problemsText, quickFix, runCommand, screenshot,
  squiggleLines, textPoint, visibleLines, webviewText,
} from './workbench.mjs';

const args = parseArgs(process.argv.slice(2));
const HYPOTHESIS = 'A lower learning rate with more dropout closes the train/val gap.';
const result = { steps: {}, timings: {}, codeServerLog: null };

const steps = [
  ['open', openWorkspace],
  ['diagnostics', diagnosticsOnChangedLines],
  ['codeLens', codeLensBeforeEntry],
  ['addHypothesis', addHypothesis],
  ['workflow', openWorkflow],
  ['hover', hoverAndCodeLens],
];

let page;
process.exit(await driveWorkbench(args, result, steps, { onPage: (opened) => { page = opened; } }));

// ---------------------------------------------------------------------------------------
// Steps

async function openWorkspace(step, { base, project }) {
  await page.goto(`${base}/?folder=${encodeURIComponent(project)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page
    .locator('.explorer-folders-view .monaco-list-row[aria-label*="train.py"]')
    .first()
    .waitFor({ timeout: 30_000 });
  await openFile('train.py');
  step.activeTab = await activeTabTitle();
}

async function diagnosticsOnChangedLines(step) {
  await expectSoon('two warning squiggles in train.py', 30_000, async () => {
    const count = await page.locator(`${ACTIVE} .editor-instance .monaco-editor .squiggly-warning`).count();
    return count >= 2;
  }, editorText);
  step.squiggles = await squiggleLines();
  step.statusProblems = await page.locator('#status\\.problems').first().getAttribute('aria-label').catch(() => null);
  await openProblems();
  await expectSoon('two PB101 rows in the Problems panel', 20_000, async () => {
    const rows = await problemRows();
    return rows.filter((row) => row.includes('PB101')).length >= 2;
  }, problemsText);
  step.problems = await problemRows();
}

/** The CodeLens before any entry records the change (the hover step reads it again after). */
async function codeLensBeforeEntry(step) {
  await expectSoon('CodeLens over train.py', 15_000, async () => (await codeLenses()).length > 0, editorText);
  step.codeLenses = await codeLenses();
}

async function addHypothesis(step) {
  await openFile('train.py');
  await goToLine(10, 17);
  await quickFix('Add hypothesis');
  await expectSoon('experiments.yaml active with a hypothesis line under the cursor', 20_000, async () => {
    const title = await activeTabTitle();
    if (!title?.startsWith('experiments.yaml')) return false;
    const line = await cursorLine();
    const lines = await visibleLines();
    return line !== null && /hypothesis:/.test(lines[line] ?? '');
  }, editorText);
  step.activeTab = await activeTabTitle();
  step.cursorLine = await cursorLine();
  step.linesAfterFix = await visibleLines();
  await screenshot('vscode-3a-hypothesis-entry');
  await expectSoon('PB201 on the new entry\'s empty hypothesis', 15_000,
    async () => (await problemRows()).some((row) => row.includes('PB201')), problemsText);
  step.problemsBeforeTyping = await problemRows();
  // showDocument may select the whole line: collapse the selection to its end before typing.
  await page.keyboard.press('End');
  await page.keyboard.type(HYPOTHESIS, { delay: 5 });
  await page.keyboard.press('Control+S');
  step.typed = HYPOTHESIS;
  await expectSoon('PB201 gone from the Problems panel after typing the hypothesis', 20_000, async () => {
    const rows = await problemRows();
    return rows.length > 0 && !rows.some((row) => row.includes('PB201'));
  }, problemsText);
  step.linesAfterTyping = await visibleLines();
  step.problemsAfterTyping = await problemRows();
  const logFile = path.join(result.project, 'experiments.yaml');
  await expectSoon('experiments.yaml saved with the hypothesis', 10_000,
    async () => fs.readFileSync(logFile, 'utf8').includes(HYPOTHESIS),
    async () => `on disk: ${JSON.stringify(fs.readFileSync(logFile, 'utf8'))}; active tab: ${await activeTabTitle()}`);
  step.savedLog = fs.readFileSync(logFile, 'utf8');
}

async function openWorkflow(step) {
  await runCommand('Paribus: Open diagnostic workflow');
  const tab = page.locator('.tabs-container .tab.active', { hasText: 'Paribus workflow' });
  await expectSoon('a "Paribus workflow" editor tab', 20_000, async () => (await tab.count()) > 0,
    async () => `tabs: ${JSON.stringify(await page.locator('.tabs-container .tab').allInnerTexts())}`);
  step.tab = (await tab.first().innerText()).trim();
  let text = '';
  await expectSoon('the workflow text inside the webview', 20_000, async () => {
    text = await webviewText();
    return text.includes('Describe');
  }, async () => `webview text: ${JSON.stringify(text.slice(0, 2000))}`);
  step.webviewText = text;
}

async function hoverAndCodeLens(step) {
  await openFile('train.py');
  // The mouse rests on the value's text, as a user's would.
  const point = await textPoint(10, '3e-4');
  await page.mouse.move(point.x, point.y);
  let hover = '';
  // The diagnostic's part of the hover shows first; the history is a table.
  await expectSoon('a hover with the history table of LEARNING_RATE', 15_000, async () => {
    hover = await hoverText();
    return (await page.locator('.monaco-hover:visible table').count()) > 0;
  }, async () => `hover text: ${JSON.stringify(hover)}`);
  hover = await hoverText();
  step.hover = hover;
  step.hoverScreenshot = await screenshot('vscode-5a-hover');
  await page.keyboard.press('Escape');
  await expectSoon('CodeLens over train.py', 15_000, async () => (await codeLenses()).length > 0, editorText);
  step.codeLenses = await codeLenses();
}
