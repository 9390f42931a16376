// Run suite/index.js inside code-server's extension host (the real `vscode` API) with the
// packaged extension as the development extension, and write the suite's checks to a JSON file.
//
//   node api.mjs --scratch DIR --result FILE --screenshots DIR --python PY --vsix VSIX --fixture DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  closeBrowser, copyFixture, here, launchBrowser, log, parseArgs, remoteAuthority, scratchEnv,
  startCodeServer, writeResult, writeUserSettings,
} from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const suiteResult = path.join(args.scratch, 'suite-result.json');
const result = { exitCode: null, logs: [], suite: null };
const timer = performance.now();

let server;
let browser;
let page;
try {
  const { dirs, env } = scratchEnv(args.scratch);
  const project = copyFixture(args.fixture, args.scratch);
  const extension = unpackVsix(args.vsix, path.join(args.scratch, 'extension'));
  writeUserSettings(dirs, args.python);
  env.PARIBUS_E2E_API_RESULT = suiteResult;
  server = await startCodeServer(args.scratch, dirs, env);
  result.codeServerLog = server.logFile;
  const authority = await remoteAuthority(server.base);
  const remote = (file) => `vscode-remote://${authority}${file}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extension)],
    ['extensionTestsPath', remote(path.join(here, 'suite', 'index.js'))],
  ]);
  browser = await launchBrowser(dirs, env, server.processes);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, parts) => {
    const line = Array.isArray(parts) ? parts.map(String).join(' ') : String(parts);
    result.logs.push(line);
    if (line.includes('paribus-e2e') || type === 'error') log(`ext host ${type}: ${line.split('\n')[0]}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  await page.goto(`${server.base}/?folder=${encodeURIComponent(project)}&payload=${encodeURIComponent(payload)}`);
  const timeoutSeconds = Number(process.env.PARIBUS_E2E_API_TIMEOUT || 150);
  let timer;
  result.exitCode = await Promise.race([
    exited,
    new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000); }),
  ]);
  clearTimeout(timer);
  log(`suite finished: exit code ${result.exitCode}`);
  if (result.exitCode === 'timeout') {
    fs.mkdirSync(args.screenshots, { recursive: true });
    result.screenshot = path.join(args.screenshots, 'vscode-api-timeout.png');
    await page.screenshot({ path: result.screenshot }).catch(() => {});
    result.pageText = await page.locator('body').innerText().catch(() => '');
  }
} catch (error) {
  result.error = error.stack || String(error);
  log(`driver failed: ${result.error}`);
} finally {
  if (server) await closeBrowser(browser, server.processes);
  if (server) await server.processes.stop(server.pid, 'code-server');
  if (fs.existsSync(suiteResult)) result.suite = JSON.parse(fs.readFileSync(suiteResult, 'utf8'));
  result.seconds = Number(((performance.now() - timer) / 1000).toFixed(1));
  writeResult(args.result, result);
  log(`result written to ${args.result}`);
}
process.exit(result.exitCode === 0 ? 0 : 1);

/** A .vsix is a zip whose `extension/` folder is the extension. */
function unpackVsix(vsix, target) {
  if (!fs.existsSync(vsix)) throw new Error(`the extension package ${vsix} is missing: run \`make vsix\``);
  fs.rmSync(target, { recursive: true, force: true });
  const unzip = spawnSync(args.python, ['-m', 'zipfile', '-e', vsix, target], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`could not unpack ${vsix}: ${unzip.stderr}`);
  return path.join(target, 'extension');
}
