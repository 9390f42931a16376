// Workbench helpers shared by the code-server drivers: selectors that hold for VS Code 1.100,
// waiting with a description of what the page showed, and running a driver's steps.
import fs from 'node:fs';
import path from 'node:path';
import {
  closeBrowser, copyFixture, installExtension, launchBrowser, log, scratchEnv, startCodeServer, writeResult,
  writeUserSettings,
} from './harness.mjs';

// The workflow opens beside the editor: every editor query is scoped to the active group.
export const ACTIVE = '.editor-group-container.active';

let page;
let screenshots;

/** The page the helpers act on, and where screenshots go. */
export function attach(currentPage, screenshotDir) {
  page = currentPage;
  screenshots = screenshotDir;
}

/**
 * One driver run: a fresh copy of the fixture project, user settings, the extension installed,
 * code-server and Chromium started, `steps` run, everything stopped, `result` written.
 * Options: `interpreter` (default --python), `settings` (more user settings), `workspaceTrust`,
 * `prepare(project, dirs, env)` before code-server starts, `onPage(page)`, `afterStop()`,
 * `screenshotPrefix`, `stopAfterFailureOf`. Returns the exit code: 0 when every step passed.
 */
export async function driveWorkbench(args, result, steps, options = {}) {
  const timer = performance.now();
  let server;
  let browser;
  try {
    const { dirs, env } = scratchEnv(args.scratch);
    const project = copyFixture(args.fixture, args.scratch);
    result.project = project;
    options.prepare?.(project, dirs, env);
    writeUserSettings(dirs, options.interpreter ?? args.python, options.settings);
    installExtension(dirs, env, args.vsix);
    server = await startCodeServer(args.scratch, dirs, env, { workspaceTrust: options.workspaceTrust ?? false });
    result.codeServerLog = server.logFile;
    browser = await launchBrowser(dirs, env, server.processes);
    const currentPage = browser.context.pages()[0] ?? (await browser.context.newPage());
    currentPage.on('pageerror', (error) => log(`page error: ${error.message.split('\n')[0]}`));
    fs.mkdirSync(args.screenshots, { recursive: true });
    attach(currentPage, args.screenshots);
    options.onPage?.(currentPage);
    await runSteps(steps, result, { base: server.base, project, screenshotPrefix: options.screenshotPrefix },
      options.stopAfterFailureOf);
  } catch (error) {
    result.error = error.stack || String(error);
    log(`driver failed: ${result.error}`);
  } finally {
    result.timings = { ...result.timings, total: Number(((performance.now() - timer) / 1000).toFixed(1)) };
    if (server) await closeBrowser(browser, server.processes);
    if (server) await server.processes.stop(server.pid, 'code-server');
    options.afterStop?.();
    writeResult(args.result, result);
    log(`result written to ${args.result}`);
  }
  return !result.error && Object.values(result.steps).every((step) => step.ok) ? 0 : 1;
}

/**
 * Run `steps` ([name, fn(step, context)]) in order, recording in `result.steps` what each saw,
 * its error with the text of the page, and a screenshot; `stopAfterFailureOf` names steps the
 * rest cannot do without.
 */
export async function runSteps(steps, result, context, stopAfterFailureOf = ['open']) {
  for (const [name, run] of steps) {
    const started = performance.now();
    const step = { ok: false };
    result.steps[name] = step;
    log(`step ${name}`);
    try {
      await run(step, context);
      step.ok = true;
    } catch (error) {
      step.error = error.message;
      step.notifications = await notifications();
      step.page = await pageSummary();
      log(`the page showed: ${JSON.stringify(step.page)}`);
      log(`step ${name} FAILED: ${error.message}`);
      if (step.notifications.length) log(`notifications: ${JSON.stringify(step.notifications)}`);
    }
    step.screenshot = await screenshot(`${context.screenshotPrefix ?? 'vscode'}-${Object.keys(result.steps).length}-${name}`);
    step.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    if (stopAfterFailureOf.includes(name) && !step.ok) break;
  }
}


export async function openFile(name) {
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

export async function goToLine(line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await expectSoon(`cursor at line ${line}`, 5000, async () => (await cursorLine()) === line, async () => `cursor: ${await cursorStatus()}`);
}

export async function quickFix(title) {
  const rows = page.locator('.action-widget .monaco-list-row');
  const offered = async () => (await rows.allInnerTexts()).some((text) => text.includes(title));
  const shown = async () => `menu rows: ${JSON.stringify(await rows.allInnerTexts())}`;
  // A press that lands while the focus is still moving opens nothing: press again, as a user would.
  for (let attempt = 1; ; attempt += 1) {
    if ((await rows.count()) > 0) await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    try {
      await expectSoon(`the quick-fix menu offering "${title}"`, attempt < 3 ? 5_000 : 15_000, offered, shown);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
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

export async function runCommand(title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(title);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^.*?: /, '') });
  await expectSoon(`the command "${title}" in the palette`, 10_000, async () => (await row.count()) > 0,
    async () => `palette rows: ${JSON.stringify(await page.locator('.quick-input-list .monaco-list-row').allInnerTexts())}`);
  await page.keyboard.press('Enter');
}

export async function openProblems() {
  if ((await page.locator('.markers-panel').count()) && (await page.locator('.markers-panel').first().isVisible())) return;
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
}

export async function problemRows() {
  const rows = page.locator('.markers-panel .monaco-list-row');
  const out = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    const row = rows.nth(i);
    // The row's text holds the code and position ("msg paribus(PB101) [Ln 10, Col 17]").
    out.push((await row.innerText()).replace(/\s+/g, ' ').trim());
  }
  return out;
}

export async function problemsText() {
  return `Problems panel: ${JSON.stringify(await problemRows())}`;
}

export async function activeTabTitle() {
  const tab = page.locator(`${ACTIVE} .tabs-container .tab.active`).first();
  if (!(await tab.count())) return null;
  return (await tab.getAttribute('aria-label')) || (await tab.innerText());
}

export async function cursorStatus() {
  const item = page.locator('[id="status.editor.selection"]').first();
  return (await item.count()) ? (await item.innerText()).trim() : null;
}

export async function cursorLine() {
  const match = (await cursorStatus())?.match(/Ln (\d+)/);
  return match ? Number(match[1]) : null;
}

/** The active editor's rendered lines as {lineNumber: text}. */
export async function visibleLines() {
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
export async function squiggleLines() {
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
export async function textPoint(lineNumber, text) {
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

export async function editorText() {
  return `active tab: ${await activeTabTitle()}; lines: ${JSON.stringify(await visibleLines())}`;
}

export async function hoverText() {
  const hovers = page.locator('.monaco-hover:not(.hidden)');
  const texts = [];
  for (let i = 0; i < (await hovers.count()); i += 1) {
    if (await hovers.nth(i).isVisible()) texts.push(await hovers.nth(i).innerText());
  }
  return texts.join('\n');
}

export async function codeLenses() {
  return page.locator(`${ACTIVE} .editor-instance .monaco-editor .codelens-decoration`).allInnerTexts()
    .then((texts) => texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean));
}

/** Text of the visible webview: iframe.webview → iframe#active-frame → body. */
export async function webviewText() {
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
export async function pageSummary() {
  const texts = async (selector) => page.locator(selector).allInnerTexts().catch(() => []);
  return {
    activeTab: await activeTabTitle().catch(() => null),
    tabs: await texts('.tabs-container .tab'),
    quickInput: await texts('.quick-input-widget:visible .quick-input-list .monaco-list-row'),
    cursor: await cursorStatus().catch(() => null),
    statusProblems: await page.locator('#status\\.problems').first().getAttribute('aria-label').catch(() => null),
    problems: await problemRows().catch(() => []),
    lines: await visibleLines().catch(() => ({})),
    statusBar: await page.locator('.statusbar-item').evaluateAll((items) => items.map((item) => ({
      id: item.id, label: item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? null, text: item.innerText,
    }))).catch(() => []),
  };
}

export async function notifications() {
  return page
    ? page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => [])
    : [];
}

export async function screenshot(name) {
  if (!page) return null;
  const file = path.join(screenshots, `${name}.png`);
  try {
    await page.screenshot({ path: file });
    return file;
  } catch (error) {
    log(`screenshot ${name}: ${error.message}`);
    return null;
  }
}

/** Poll `check` until true; on timeout throw with what the page showed (`describe()`). */
export async function expectSoon(what, timeout, check, describe) {
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
