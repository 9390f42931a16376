// Open a Jupyter notebook in VS Code's notebook editor (code-server in Chromium, the built-in
// `.ipynb` support, no Jupyter extension and no kernel) and record what Paribus shows on its
// cells: the warning squiggles and inlay hints, the Problems rows, and the cell after *Revert*.
//
//   node notebook.mjs --scratch DIR --result FILE --screenshots DIR --python PY --vsix VSIX --fixture DIR
import { parseArgs } from './harness.mjs';
import { driveWorkbench, expectSoon, openProblems, problemRows, problemsText, quickFix } from './workbench.mjs';

const args = parseArgs(process.argv.slice(2));
const CELL_EDITORS = '.notebook-editor .cell-editor-container .monaco-editor';
const result = { steps: {}, timings: {}, codeServerLog: null };

const steps = [
  ['open', openNotebook],
  ['diagnostics', squigglesOnTheCell],
  ['revert', revertInTheCell],
];

let page;
process.exit(await driveWorkbench(args, result, steps, {
  // Line numbers in cells, so the driver can say which line of a cell a squiggle is on.
  settings: { 'notebook.lineNumbers': 'on' },
  screenshotPrefix: 'vscode-notebook',
  stopAfterFailureOf: steps.map(([name]) => name),
  onPage: (opened) => { page = opened; },
}));

// ---------------------------------------------------------------------------------------
// Steps

async function openNotebook(step, { base, project }) {
  await page.goto(`${base}/?folder=${encodeURIComponent(project)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label*="train.ipynb"]').first();
  await row.waitFor({ timeout: 30_000 });
  // Until the extension host has registered the built-in notebook support, an `.ipynb` opens
  // as JSON text: close that editor and open the file again.
  const cells = page.locator(CELL_EDITORS).first();
  const text = page.locator('.part.editor .editor-instance .monaco-editor').first();
  for (step.attempts = 1; ; step.attempts += 1) {
    await row.click();
    const opened = await Promise.race([
      cells.waitFor({ timeout: 30_000 }).then(() => 'notebook', () => 'nothing'),
      text.waitFor({ timeout: 30_000 }).then(() => 'text', () => 'nothing'),
    ]);
    if (opened === 'notebook') break;
    if (opened === 'nothing' || step.attempts === 10) throw new Error(`train.ipynb did not open in the notebook editor (${opened}): ${await describeCells()}`);
    await page.keyboard.press('Control+W');
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  await expectSoon('the three code cells of train.ipynb', 15_000, async () => (await page.locator(CELL_EDITORS).count()) >= 3, describeCells);
  step.activeTab = await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label');
  step.cells = await cellSummaries();
}

async function squigglesOnTheCell(step) {
  await expectSoon('two warning squiggles in the notebook', 40_000,
    async () => (await page.locator(`${CELL_EDITORS} .squiggly-warning`).count()) >= 2, describeCells);
  await expectSoon('the parent values beside the changed ones (inlay hints)', 15_000,
    async () => (await cellSummaries()).some((cell) => cell.lines.some((line) => line.includes('b1: 0.001'))), describeCells);
  step.cells = await cellSummaries();
  await openProblems();
  await expectSoon('two PB101 rows in the Problems panel', 20_000,
    async () => (await problemRows()).filter((row) => row.includes('PB101')).length >= 2, problemsText);
  step.problems = await problemRows();
}

async function revertInTheCell(step) {
  // The cursor on the learning rate's value, as a user would click it.
  const point = await textPoint('LEARNING_RATE = 3e-4', '3e-4');
  await page.mouse.click(point.x, point.y);
  await quickFix('Revert LEARNING_RATE to 0.001');
  await expectSoon('the cell showing LEARNING_RATE = 0.001 and no warning squiggle left', 20_000, async () => {
    const cells = await cellSummaries();
    return cells.some((cell) => cell.lines.includes('LEARNING_RATE = 0.001'))
      && (await page.locator(`${CELL_EDITORS} .squiggly-warning`).count()) === 0;
  }, describeCells);
  step.cells = await cellSummaries();
  // The lens over the first code cell follows (the server asks the editor to refresh it).
  await expectSoon('the CodeLens naming only `hidden` as the pending change', 15_000,
    async () => (await lenses()).some((text) => text.includes('Pending change: hidden —')),
    async () => `lenses: ${JSON.stringify(await lenses())}`);
  step.codeLenses = await lenses();
}

// ---------------------------------------------------------------------------------------
// Notebook editor helpers (selectors that hold for VS Code 1.100)

/** Each rendered code cell's lines as shown (inlay hints included), and the line numbers
 *  (1-based, in the cell) that carry squiggles. Cells scrolled out of view are not rendered. */
async function cellSummaries() {
  return page.evaluate((selector) => {
    const summaries = [];
    for (const editor of document.querySelectorAll(selector)) {
      const numbers = {};
      for (const el of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        numbers[el.parentElement.style.top] = Number(el.textContent);
      }
      const lines = [...editor.querySelectorAll('.view-lines .view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((el) => el.textContent.replace(/\u00a0/g, ' '));
      const squiggles = (kind) => [...new Set([...editor.querySelectorAll(`.view-overlays .squiggly-${kind}`)]
        .map((el) => numbers[el.parentElement.style.top]).filter(Boolean))].sort((a, b) => a - b);
      summaries.push({ lines, warnings: squiggles('warning'), infos: squiggles('info') });
    }
    return summaries;
  }, CELL_EDITORS);
}

async function describeCells() {
  return `cells: ${JSON.stringify(await cellSummaries())}`;
}

async function lenses() {
  const texts = await page.locator(`${CELL_EDITORS} .codelens-decoration`).allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Screen point at the middle of `text` on the rendered cell line that begins with `lineText`. */
async function textPoint(lineText, text) {
  const point = await page.evaluate(({ selector, lineText, text }) => {
    for (const line of document.querySelectorAll(`${selector} .view-lines .view-line`)) {
      if (!line.textContent.replace(/\u00a0/g, ' ').startsWith(lineText)) continue;  // inlay hints follow
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
    }
    return null;
  }, { selector: CELL_EDITORS, lineText, text });
  if (!point) throw new Error(`"${lineText}" is not rendered in a cell: ${await describeCells()}`);
  return point;
}
