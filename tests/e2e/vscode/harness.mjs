// Start code-server and Chromium for one end-to-end run, and always stop both.
//
// Both run with HOME, XDG_* and TMPDIR in a scratch folder; code-server listens on loopback
// only. Every process group started here is written to `<scratch>/pids` so the pytest
// wrapper can end them even when this driver itself is killed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
const cache = path.join(repo, '.cache', 'e2e', 'node_modules');
const codeServerBin = path.join(cache, '.bin', 'code-server');

export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['scratch', 'result', 'screenshots', 'python', 'vsix', 'fixture']) {
    if (!args[required]) throw new Error(`missing --${required}`);
  }
  return args;
}

export function log(...parts) {
  const seconds = (performance.now() / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds}s]`, ...parts);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Scratch folders and the environment both programs run with. */
export function scratchEnv(scratch) {
  const dirs = {
    home: path.join(scratch, 'home'),
    tmp: path.join(scratch, 'tmp'),
    config: path.join(scratch, 'code-server', 'config.yaml'),
    userData: path.join(scratch, 'code-server', 'user-data'),
    extensions: path.join(scratch, 'code-server', 'extensions'),
    browserProfile: path.join(scratch, 'chromium-profile'),
  };
  for (const dir of [dirs.home, dirs.tmp, dirs.userData, dirs.extensions, dirs.browserProfile]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
    TMPDIR: dirs.tmp,
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.XDG_RUNTIME_DIR;
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return { dirs, env };
}

/** Copy the fixture project to the scratch folder: a fix saves files. */
export function copyFixture(fixture, scratch) {
  const project = path.join(scratch, 'project');
  fs.rmSync(project, { recursive: true, force: true });
  fs.cpSync(fixture, project, { recursive: true });
  return project;
}

export function writeUserSettings(dirs, python, extra = {}) {
  const settingsDir = path.join(dirs.userData, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  const settings = {
    'paribus.interpreter': [python],
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'update.mode': 'none',
    'editor.hover.delay': 300,
    // The server's messages land in the output channel the tests print on failure.
    'paribus.trace.server': 'messages',
    ...extra,
  };
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

function codeServerArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

export function installExtension(dirs, env, vsix) {
  if (!fs.existsSync(vsix)) throw new Error(`the extension package ${vsix} is missing: run \`make vsix\``);
  const started = performance.now();
  const result = spawnSync(codeServerBin, ['--install-extension', vsix, ...codeServerArgs(dirs)], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  log(`extension installed in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

/** Processes started here, stopped by process group on every exit path. */
class Processes {
  constructor(scratch) {
    this.pidFile = path.join(scratch, 'pids');
    this.groups = new Set();
    process.on('exit', () => this.killAll('SIGKILL'));
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => {
        this.killAll('SIGKILL');
        process.exit(130);
      });
    }
  }
  add(pid) {
    this.groups.add(pid);
    fs.appendFileSync(this.pidFile, `${pid}\n`);
  }
  killAll(signal) {
    for (const pid of this.groups) {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    }
  }
  async stop(pid, name) {
    if (!this.groups.has(pid)) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      this.groups.delete(pid);
      return;
    }
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      try {
        process.kill(-pid, 0);
      } catch {
        this.groups.delete(pid);
        log(`${name} (group ${pid}) stopped`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    this.groups.delete(pid);
    log(`${name} (group ${pid}) killed after SIGTERM timed out`);
  }
}

/** `workspaceTrust`: leave workspace trust on, so an unknown folder opens in Restricted Mode. */
export async function startCodeServer(scratch, dirs, env, { workspaceTrust = false } = {}) {
  const processes = new Processes(scratch);
  const port = await freePort();
  const logFile = path.join(scratch, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    codeServerBin,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      ...codeServerArgs(dirs),
    ],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  processes.add(child.pid);
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8')}`);
    }
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) {
      throw new Error(`code-server did not answer /healthz in 60 s:\n${fs.readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`code-server on ${base} (pid ${child.pid}) healthy after ${((performance.now() - started) / 1000).toFixed(1)}s`);
  return { base, port, pid: child.pid, logFile, processes };
}

export async function launchBrowser(dirs, env, processes) {
  const { chromium } = await import(path.join(cache, 'playwright-core', 'index.mjs'));
  const executablePath = process.env.PARIBUS_E2E_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: run scripts/setup-e2e.sh`);
  const context = await chromium.launchPersistentContext(dirs.browserProfile, {
    executablePath,
    headless: true,
    env,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Playwright starts the browser in its own process group; record it for the wrapper.
  const browserPid = findChromiumGroup(dirs.browserProfile);
  if (browserPid) processes.add(browserPid);
  else log('warning: the Chromium process group was not found; relying on context.close()');
  return { context, browserPid };
}

function processGroup(pid) {
  // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so cut after ')'.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** The process group of the browser using `profile`, if it is not this driver's own group. */
function findChromiumGroup(profile) {
  const own = processGroup(process.pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes(profile) || cmdline.includes('--type=')) continue;
      const group = processGroup(entry);
      if (group !== own) return group;
    } catch {
      // process ended meanwhile
    }
  }
  return undefined;
}

export async function closeBrowser(browser, processes) {
  if (!browser) return;
  try {
    await Promise.race([browser.context.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  } catch (error) {
    log(`closing the browser: ${error.message}`);
  }
  if (browser.browserPid) await processes.stop(browser.browserPid, 'chromium');
}

/** The remote authority the workbench addresses the server by (host:port on 4.100). */
export async function remoteAuthority(base) {
  const html = await (await fetch(`${base}/`, { redirect: 'follow' })).text();
  const match = html.match(/remoteAuthority&quot;:&quot;([^&]+)&quot;/) || html.match(/"remoteAuthority":"([^"]+)"/);
  return match ? match[1] : new URL(base).host;
}

export function writeResult(file, result) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
}
