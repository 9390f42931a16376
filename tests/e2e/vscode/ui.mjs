// Drive VS Code (code-server) in Chromium through the issue's scenario and write what was
// seen to a JSON file; the pytest wrapper asserts on it. Each step records what it observed,
// an error with the text of the area it waited on, and a screenshot, then the next step runs.
//
//   node ui.mjs --scratch DIR --result FILE --screenshots DIR --python PY --vsix VSIX --fixture DIR
import fs from 'node:fs';
import path from 'node:path';
import {
  closeBrowser, copyFixture, installExtension, launchBrowser, log, parseArgs, scratchEnv,
  startCodeServer, writeResult, writeUserSettings,
} from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
// The workflow opens beside the editor: every editor query is scoped to the active group.
const ACTIVE = '.editor-group-container.active';
const HYPOTHESIS = 'A lower learning rate with more dropout closes the train/val gap.';
const result = { steps: {}, timings: {}, codeServerLog: null };
const timer = performance.now();

const steps = [
  ['open', openWorkspace],
  ['diagnostics', diagnosticsOnChangedLines],
  ['codeLens', codeLensBeforeEntry],
  ['addHypothesis', addHypothesis],
  ['workflow', openWorkflow],
  ['hover', hoverAndCodeLens],
];

let server;
let browser;
let page;
try {
  const { dirs, env } = scratchEnv(args.scratch);
  const project = copyFixture(args.fixture, args.scratch);
  result.project = project;
  writeUserSettings(dirs, args.python);
  installExtension(dirs, env, args.vsix);
  server = await startCodeServer(args.scratch, dirs, env);
  result.codeServerLog = server.logFile;
  browser = await launchBrowser(dirs, env, server.processes);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => log(`page error: ${error.message.split('\n')[0]}`));
  fs.mkdirSync(args.screenshots, { recursive: true });
  for (const [name, run] of steps) {
    const started = performance.now();
    const step = { ok: false };
    result.steps[name] = step;
    log(`step ${name}`);
    try {
      await run(step, { base: server.base, project });
      step.ok = true;
    } catch (error) {
      step.error = error.message;
      step.notifications = await notifications();
      step.page = await pageSummary();
      log(`the page showed: ${JSON.stringify(step.page)}`);
      log(`step ${name} FAILED: ${error.message}`);
      if (step.notifications.length) log(`notifications: ${JSON.stringify(step.notifications)}`);
    }
    step.screenshot = await screenshot(`vscode-${Object.keys(result.steps).length}-${name}`);
    step.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    if (name === 'open' && !step.ok) break;
  }
} catch (error) {
  result.error = error.stack || String(error);
  log(`driver failed: ${result.error}`);
} finally {
  result.timings.total = Number(((performance.now() - timer) / 1000).toFixed(1));
  if (server) await closeBrowser(browser, server.processes);
  if (server) await server.processes.stop(server.pid, 'code-server');
  writeResult(args.result, result);
  log(`result written to ${args.result}`);
}
process.exit(!result.error && Object.values(result.steps).every((step) => step.ok) ? 0 : 1);

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

// ---------------------------------------------------------------------------------------
// Workbench helpers (selectors that hold for VS Code 1.100)

async function openFile(name) {
  // Take the focus from a webview, which would swallow the keys: click the side bar's title.
  await page.locator('.part.sidebar .composite.title').first().click({ timeout: 5000 }).catch(() => {});
  // A click on the explorer row needs no file search (quick open's first search can be slow).
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${name}"]`).first();
  if (await row.isVisible().catch(() => false)) {
    await row.click();
  } else {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await page.keyboard.type(name);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
  }
  await expectSoon(`${name} active in the editor`, 15_000, async () => {
    const title = await activeTabTitle();
    return title?.startsWith(name) ?? false;
  }, async () => `active tab: ${await activeTabTitle()}`);
  await page.locator(`${ACTIVE} .editor-instance .monaco-editor .view-lines`).first().waitFor({ timeout: 10_000 });
  await page.locator(`${ACTIVE} .editor-instance .monaco-editor textarea`).first().focus();
}

async function goToLine(line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await expectSoon(`cursor at line ${line}`, 5000, async () => (await cursorLine()) === line, async () => `cursor: ${await cursorStatus()}`);
}

async function quickFix(title) {
  await page.keyboard.press('Control+.');
  const rows = page.locator('.action-widget .monaco-list-row');
  await expectSoon(`the quick-fix menu offering "${title}"`, 15_000, async () => {
    const texts = await rows.allInnerTexts();
    return texts.some((text) => text.includes(title));
  }, async () => `menu rows: ${JSON.stringify(await rows.allInnerTexts())}`);
  // Enter applies the focused row (a click on the row is unreliable): move the focus there.
  for (let i = 0; i < 20; i += 1) {
    const focused = await page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '');
    if (focused.includes(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus "${title}" in ${JSON.stringify(await rows.allInnerTexts())}`);
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(title);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^.*?: /, '') });
  await expectSoon(`the command "${title}" in the palette`, 10_000, async () => (await row.count()) > 0,
    async () => `palette rows: ${JSON.stringify(await page.locator('.quick-input-list .monaco-list-row').allInnerTexts())}`);
  await page.keyboard.press('Enter');
}

async function openProblems() {
  if ((await page.locator('.markers-panel').count()) && (await page.locator('.markers-panel').first().isVisible())) return;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
}

async function problemRows() {
  const rows = page.locator('.markers-panel .monaco-list-row');
  const out = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    const row = rows.nth(i);
    // The row's text holds the code and position ("msg paribus(PB101) [Ln 10, Col 17]").
    out.push((await row.innerText()).replace(/\s+/g, ' ').trim());
  }
  return out;
}

async function problemsText() {
  return `Problems panel: ${JSON.stringify(await problemRows())}`;
}

async function activeTabTitle() {
  const tab = page.locator(`${ACTIVE} .tabs-container .tab.active`).first();
  if (!(await tab.count())) return null;
  return (await tab.getAttribute('aria-label')) || (await tab.innerText());
}

async function cursorStatus() {
  const item = page.locator('[id="status.editor.selection"]').first();
  return (await item.count()) ? (await item.innerText()).trim() : null;
}

async function cursorLine() {
  const match = (await cursorStatus())?.match(/Ln (\d+)/);
  return match ? Number(match[1]) : null;
}

/** The active editor's rendered lines as {lineNumber: text}. */
async function visibleLines() {
  return page.evaluate((active) => {
    const editor = document.querySelector(`${active} .editor-instance .monaco-editor`);
    if (!editor) return {};
    const numbers = {};
    for (const el of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      numbers[el.parentElement.style.top] = Number(el.textContent);
    }
    const lines = {};
    for (const el of editor.querySelectorAll('.view-lines .view-line')) {
      const number = numbers[el.style.top];
      if (number) lines[number] = el.textContent.replace(/\u00a0/g, ' ');
    }
    return lines;
  }, ACTIVE);
}

/** Line numbers carrying a warning squiggle in the active editor. */
async function squiggleLines() {
  return page.evaluate((active) => {
    const editor = document.querySelector(`${active} .editor-instance .monaco-editor`);
    const numbers = {};
    for (const el of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      numbers[el.parentElement.style.top] = Number(el.textContent);
    }
    const found = new Set();
    for (const el of editor.querySelectorAll('.view-overlays .squiggly-warning')) {
      const number = numbers[el.parentElement.style.top];
      if (number) found.add(number);
    }
    return [...found].sort((a, b) => a - b);
  }, ACTIVE);
}

/** Screen point at the middle of `text` on rendered line `lineNumber` of the active editor. */
async function textPoint(lineNumber, text) {
  const point = await page.evaluate(({ active, lineNumber, text }) => {
    const editor = document.querySelector(`${active} .editor-instance .monaco-editor`);
    let top = null;
    for (const el of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
      if (Number(el.textContent) === lineNumber) top = el.parentElement.style.top;
    }
    const line = [...editor.querySelectorAll('.view-lines .view-line')].find((el) => el.style.top === top);
    if (!line) return null;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return null;
  }, { active: ACTIVE, lineNumber, text });
  if (!point) throw new Error(`"${text}" is not rendered on line ${lineNumber}: ${JSON.stringify(await visibleLines())}`);
  return point;
}

async function editorText() {
  return `active tab: ${await activeTabTitle()}; lines: ${JSON.stringify(await visibleLines())}`;
}

async function hoverText() {
  const hovers = page.locator('.monaco-hover:not(.hidden)');
  const texts = [];
  for (let i = 0; i < (await hovers.count()); i += 1) {
    if (await hovers.nth(i).isVisible()) texts.push(await hovers.nth(i).innerText());
  }
  return texts.join('\n');
}

async function codeLenses() {
  return page.locator(`${ACTIVE} .editor-instance .monaco-editor .codelens-decoration`).allInnerTexts()
    .then((texts) => texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean));
}

/** Text of the visible webview: iframe.webview → iframe#active-frame → body. */
async function webviewText() {
  const texts = [];
  const outer = page.locator('iframe.webview');
  for (let i = 0; i < (await outer.count()); i += 1) {
    if (!(await outer.nth(i).isVisible())) continue;
    const body = page.frameLocator('iframe.webview').nth(i).frameLocator('iframe#active-frame').locator('body');
    texts.push(await body.innerText({ timeout: 2000 }).catch(() => ''));
  }
  return texts.join('\n');
}

/** What a failing step leaves on the screen, in words. */
async function pageSummary() {
  const texts = async (selector) => page.locator(selector).allInnerTexts().catch(() => []);
  return {
    activeTab: await activeTabTitle().catch(() => null),
    tabs: await texts('.tabs-container .tab'),
    quickInput: await texts('.quick-input-widget:visible .quick-input-list .monaco-list-row'),
    cursor: await cursorStatus().catch(() => null),
    statusProblems: await page.locator('#status\\.problems').first().getAttribute('aria-label').catch(() => null),
    problems: await problemRows().catch(() => []),
    lines: await visibleLines().catch(() => ({})),
  };
}

async function notifications() {
  return page
    ? page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => [])
    : [];
}

async function screenshot(name) {
  if (!page) return null;
  const file = path.join(args.screenshots, `${name}.png`);
  try {
    await page.screenshot({ path: file });
    return file;
  } catch (error) {
    log(`screenshot ${name}: ${error.message}`);
    return null;
  }
}

/** Poll `check` until true; on timeout throw with what the page showed (`describe()`). */
async function expectSoon(what, timeout, check, describe) {
  const deadline = performance.now() + timeout;
  let lastError = null;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const seen = await describe().catch((error) => `(could not read the page: ${error.message})`);
      throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}. ${seen}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
