/**
 * End-to-end harness: runs the packaged extension in a real VS Code
 * (code-server 4.100.3, installed by test/e2e/setup.sh) driven by Debian's
 * Chromium through playwright-core. See docs/testing.md (section End-to-end setup).
 *
 * Every scenario gets its own port, user-data folder, extensions folder and
 * browser profile. Every wait is for a condition; a wait that times out says
 * what it waited for, what the page showed, and leaves a screenshot in
 * test/e2e/artifacts/.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface WorkbenchOptions {
  /** Path of the .vsix to install. */
  vsix: string;
  /** Folder to open. */
  workspace: string;
  /** Default true: the workspace is trusted (--disable-workspace-trust). False opens it in Restricted Mode. */
  trusted?: boolean;
  /** Extra environment variables for code-server (and so for the extension host and terminals). */
  env?: Record<string, string>;
  /** Scenario name, used for artifact file names. */
  name: string;
}

export interface Workbench {
  page: Page;
  /** Absolute path of the opened folder. */
  workspace: string;
  /** Quick Open (Ctrl+P) the file and wait until its editor tab is the active one. */
  openFile(relativePath: string): Promise<void>;
  /** Run a command from the command palette (F1) by its title, e.g. "View: Focus Problems". */
  runCommand(commandTitle: string): Promise<void>;
  /** Poll predicate until it returns true; on timeout take a screenshot and throw with what the page showed. */
  waitFor(description: string, predicate: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Texts of the visible status bar items. */
  statusBarTexts(): Promise<string[]>;
  /** Focus the Problems panel and return the text of each of its rows (files and markers). */
  problems(): Promise<string[]>;
  /** Messages of the notification toasts, or of the notification center when no toast is showing. */
  notifications(): Promise<string[]>;
  /** Save test/e2e/artifacts/<name>-<label>.png and return its path. */
  screenshot(label: string): Promise<string>;
  /**
   * Close the browser, stop code-server's process group and delete the temporary folders. Idempotent.
   * Always call it (in `finally` or an `after` hook): an open browser keeps the test process alive.
   */
  close(): Promise<void>;
}

export const CODE_SERVER_VERSION = '4.100.3';
const CHROMIUM = '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_MS = 30_000;
const POLL_MS = 250;

const E2E_DIR = typeof __dirname === 'string' ? __dirname : path.resolve('test', 'e2e');
/** Where screenshots and logs go (git-ignored). */
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

/** Same folder logic as setup.sh. */
function cacheDir(): string {
  return process.env['MLOPS_E2E_CACHE'] || path.join(os.homedir(), '.cache', 'mlops-workbench', `code-server-${CODE_SERVER_VERSION}`);
}

/** Path of the code-server launcher installed by test/e2e/setup.sh. */
export function codeServerBin(): string {
  const cache = cacheDir();
  const bin = path.join(cache, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(path.join(cache, '.mlops-complete')) || !fs.existsSync(bin)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed in ${cache}. ` +
        'Run `bash test/e2e/setup.sh` first (it installs it there; MLOPS_E2E_CACHE overrides the folder).',
    );
  }
  return bin;
}

function artifactPath(name: string, suffix: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, `${slug(name)}-${suffix}`);
}

function slug(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || 'x'
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tail(file: string, maxChars = 3000): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.length > maxChars ? '…' + text.slice(-maxChars) : text;
  } catch {
    return '(no log)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

/** Resolves true when anything answers HTTP on the port. */
function httpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function userSettings(trusted: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.editor.enablePreview': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'window.restoreWindows': 'none',
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'files.hotExit': 'off',
    'git.autofetch': false,
    'git.openRepositoryInParentFolders': 'never',
    'terminal.integrated.enablePersistentSessions': false,
    'chat.commandCenter.enabled': false,
    'editor.accessibilitySupport': 'off',
  };
}

/**
 * What a workbench that was not closed leaves behind: its code-server process group and its
 * temporary folder. Cleaned up synchronously if the test process exits without close() (including
 * on SIGINT/SIGTERM, where Playwright closes its browsers and exits).
 */
const liveGroups = new Set<number>();
const liveTempDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
    for (const dir of liveTempDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  });
}
function trackGroup(pid: number): void {
  installExitHook();
  liveGroups.add(pid);
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (groupAlive(pid) && Date.now() < deadline) await delay(100);
  if (groupAlive(pid)) {
    killGroup(pid, 'SIGKILL');
    const hardDeadline = Date.now() + 5_000;
    while (groupAlive(pid) && Date.now() < hardDeadline) await delay(100);
  }
  liveGroups.delete(pid);
}

/** Whether `run` occurs as consecutive items of `items`. */
function containsRun(items: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= items.length; i++) {
    if (run.every((item, j) => items[i + j] === item)) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Polls without failing: whether `predicate` became true within `ms`. */
async function poll(predicate: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate().catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

async function visibleText(page: Page | undefined): Promise<string> {
  if (!page || page.isClosed()) return '(no page)';
  try {
    const text = await withTimeout(
      page.evaluate(() => (document.body ? document.body.innerText : '(no body)')),
      5000,
    );
    if (text === undefined) return '(page did not answer)';
    const squeezed = text.replace(/\n{2,}/g, '\n').trim();
    return squeezed.length > 4000 ? squeezed.slice(0, 4000) + '\n…' : squeezed || '(empty page)';
  } catch (err) {
    return `(could not read the page: ${errorMessage(err)})`;
  }
}

/**
 * The environment for code-server: this process's, without VSCODE_* variables, so that running the
 * tests from a VS Code terminal (VSCODE_IPC_HOOK_CLI...) cannot hand the work to that other instance.
 */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_')) env[key] = value;
  }
  return env;
}

function installExtension(bin: string, vsix: string, tmp: string, userData: string, extensions: string, log: string): void {
  const result = spawnSync(
    bin,
    [
      '--config',
      path.join(tmp, 'config.yaml'),
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', timeout: 120_000, env: baseEnv() },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  fs.appendFileSync(log, `$ code-server --install-extension ${vsix}\n${output}\n`);
  if (result.error || result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed (exit ${result.status ?? result.signal ?? result.error?.message}):\n${output.trim()}`);
  }
}

export async function launchWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const bin = codeServerBin();
  const trusted = opts.trusted ?? true;
  const workspace = path.resolve(opts.workspace);
  const vsix = path.resolve(opts.vsix);
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix} (run \`npm run package\`)`);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`workspace folder not found: ${workspace}`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found; run \`bash test/e2e/setup.sh\``);

  const logFile = artifactPath(opts.name, 'code-server.log');
  fs.writeFileSync(logFile, '');
  const browserLog = artifactPath(opts.name, 'browser.log');
  fs.writeFileSync(browserLog, '');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mlops-e2e-${slug(opts.name)}-`));
  installExitHook();
  liveTempDirs.add(tmp);
  const userData = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(trusted), null, 2));

  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (browser) {
      const b = browser;
      await withTimeout(
        b.close().catch(() => undefined),
        15_000,
      );
    }
    if (server) await stopGroup(server);
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    liveTempDirs.delete(tmp);
  };

  const screenshot = async (label: string): Promise<string> => {
    const file = artifactPath(opts.name, `${slug(label)}.png`);
    if (!page || page.isClosed()) throw new Error('no page to take a screenshot of');
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  };

  const failure = async (what: string, detail: string): Promise<Error> => {
    let shot = '';
    try {
      shot = `\nscreenshot: ${await screenshot(`failed-${what}`)}`;
    } catch {
      // no page yet
    }
    return new Error(`${what}: ${detail}${shot}\n--- page text ---\n${await visibleText(page)}\n--- end of page text ---`);
  };

  const waitFor = async (description: string, predicate: () => Promise<boolean>, timeoutMs: number = DEFAULT_WAIT_MS): Promise<void> => {
    const started = Date.now();
    let lastError: unknown;
    for (;;) {
      if (server && (server.exitCode !== null || server.signalCode !== null)) {
        throw await failure(
          `waiting for ${description}`,
          `code-server exited (${server.exitCode ?? server.signalCode}); log ${logFile}:\n${tail(logFile)}`,
        );
      }
      try {
        if (await predicate()) return;
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() - started >= timeoutMs) break;
      await delay(POLL_MS);
    }
    throw await failure(
      `timed out after ${timeoutMs} ms waiting for ${description}`,
      lastError === undefined ? 'condition stayed false' : `last error: ${errorMessage(lastError)}`,
    );
  };

  try {
    installExtension(bin, vsix, tmp, userData, extensionsDir, logFile);

    // The port is free when picked but could be taken before code-server binds it (parallel
    // scenarios): start again on another port when that is why code-server stopped.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const args = [
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--config',
        path.join(tmp, 'config.yaml'),
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        ...(trusted ? ['--disable-workspace-trust'] : []),
        '--user-data-dir',
        userData,
        '--extensions-dir',
        extensionsDir,
        workspace,
      ];
      const logStart = fs.statSync(logFile).size;
      const out = fs.openSync(logFile, 'a');
      fs.writeSync(out, `$ code-server ${args.join(' ')}\n`);
      let child: ChildProcess;
      try {
        child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out], env: { ...baseEnv(), ...opts.env } });
      } finally {
        fs.closeSync(out);
      }
      server = child;
      if (child.pid === undefined) {
        throw await new Promise<Error>((resolve) => child.once('error', resolve));
      }
      child.on('error', (err) => fs.appendFileSync(logFile, `[harness] code-server process error: ${err.message}\n`));
      trackGroup(child.pid);
      child.unref();

      const p = port;
      const up = await poll(async () => (child.exitCode === null && child.signalCode === null ? httpAnswers(p) : true), STARTUP_TIMEOUT_MS);
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (up && !exited) break;
      const newLog = fs.readFileSync(logFile, 'utf8').slice(logStart);
      if (exited && /EADDRINUSE/.test(newLog) && attempt < 3) {
        liveGroups.delete(child.pid);
        continue;
      }
      throw new Error(
        exited
          ? `code-server exited (${child.exitCode ?? child.signalCode}) before answering on port ${port}; log ${logFile}:\n${tail(logFile)}`
          : `code-server did not answer HTTP on port ${port} within ${STARTUP_TIMEOUT_MS} ms; log ${logFile}:\n${tail(logFile)}`,
      );
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: STARTUP_TIMEOUT_MS,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    const p = page;
    p.on('console', (msg) => fs.appendFileSync(browserLog, `[${msg.type()}] ${msg.text()}\n`));
    p.on('pageerror', (err) => fs.appendFileSync(browserLog, `[pageerror] ${err.message}\n`));

    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
    await p.goto(url, { timeout: STARTUP_TIMEOUT_MS, waitUntil: 'domcontentloaded' });
    await waitFor('the workbench (.monaco-workbench)', () => p.locator('.monaco-workbench').isVisible(), STARTUP_TIMEOUT_MS);
    await waitFor(
      'the status bar',
      async () => (await p.locator('#workbench\\.parts\\.statusbar .statusbar-item').count()) > 0,
      STARTUP_TIMEOUT_MS,
    );
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }

  const page_ = page;

  const quickInput = page_.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');

  /** Open the quick input with the given keys and wait until its box has focus. */
  const openQuickInput = async (keys: string, description: string): Promise<void> => {
    await waitFor(
      `${description} to open`,
      async () => {
        if (!(await quickInputBox.isVisible())) {
          await page_.keyboard.press(keys);
          await quickInputBox.waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
        }
        return quickInputBox.evaluate((el) => el === document.activeElement).catch(() => false);
      },
      15_000,
    );
  };

  const runCommand = async (commandTitle: string): Promise<void> => {
    const title = escapeRegExp(commandTitle.trim());
    // The exact title, or else the title followed by a parenthesised qualifier
    // ("View: Focus Problems" is listed as "View: Focus Problems (Errors, Warnings, Infos)").
    // Rows are located by their label at click time, never by a position read earlier.
    const rows = quickInput.locator('.monaco-list-row');
    const exact = rows.filter({ has: page_.locator('.label-name', { hasText: new RegExp(`^\\s*${title}\\s*$`, 'i') }) });
    const qualified = rows.filter({
      has: page_.locator('.label-name', { hasText: new RegExp(`^\\s*${title} \\(.*\\)\\s*$`, 'i') }),
    });
    await page_.keyboard.press('Escape');
    await openQuickInput('F1', 'the command palette');
    await quickInputBox.fill(`>${commandTitle.trim()}`);
    let target = exact;
    await waitFor(`the command palette to list "${commandTitle}"`, async () => {
      if ((await exact.count()) > 0) target = exact;
      else if ((await qualified.count()) > 0) target = qualified;
      else return false;
      return true;
    });
    await target.first().click({ timeout: 5000 });
    await waitFor(`the command palette to close after "${commandTitle}"`, async () => !(await quickInput.isVisible()), 10_000);
  };

  const activeTabName = async (): Promise<string | null> =>
    page_
      .locator('.editor-group-container.active .tab.active .label-name')
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => null);

  const activeBreadcrumbs = async (): Promise<string[] | null> => {
    const control = page_.locator('.editor-group-container.active .breadcrumbs-control').first();
    if (!(await control.isVisible().catch(() => false))) return null;
    const text = await control.innerText({ timeout: 1000 }).catch(() => null);
    return text === null
      ? null
      : text
          .split('\n')
          .map((t) => t.trim())
          .filter((t) => t.length > 0);
  };

  const openFile = async (relativePath: string): Promise<void> => {
    const segments = relativePath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
    const query = segments.join('/');
    const fileName = segments[segments.length - 1];
    if (!fileName) throw new Error(`openFile: not a file path: "${relativePath}"`);
    const folder = segments.slice(0, -1).join('/');
    // Quick Open rows show the file name and, as description, its folder (none at the workspace
    // root). Results arrive in batches (recent editors first, then file search), so the row is
    // located by its content at click time, never by a position read earlier.
    const exactly = (text: string): RegExp => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
    let row = quickInput.locator('.monaco-list-row').filter({ has: page_.locator('.label-name', { hasText: exactly(fileName) }) });
    row = folder
      ? row.filter({ has: page_.locator('.label-description', { hasText: exactly(folder) }) })
      : row.filter({ hasNot: page_.locator('.label-description', { hasText: /\S/ }) });
    const isOpen = async (): Promise<boolean> => {
      if ((await activeTabName())?.trim() !== fileName) return false;
      const crumbs = await activeBreadcrumbs();
      return crumbs === null || containsRun(crumbs, segments);
    };
    await waitFor(
      `${query} to open in the active editor (Quick Open)`,
      async () => {
        if (await isOpen()) return true;
        await page_.keyboard.press('Escape');
        await openQuickInput('Control+P', 'Quick Open');
        await quickInputBox.fill(query);
        if (!(await poll(async () => (await row.count()) > 0, 10_000))) return false;
        await row.first().click({ timeout: 5000 });
        return poll(isOpen, 10_000);
      },
      60_000,
    );
  };

  const statusBarTexts = async (): Promise<string[]> =>
    page_.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((items) =>
      items
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim())
        .filter((t) => t.length > 0),
    );

  const problems = async (): Promise<string[]> => {
    const panel = page_.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await page_.keyboard.press('Escape');
      await page_.keyboard.press('Control+Shift+M');
      const opened = await panel.waitFor({ state: 'visible', timeout: 5000 }).then(
        () => true,
        () => false,
      );
      if (!opened) await runCommand('View: Focus Problems');
      await waitFor('the Problems panel', () => panel.isVisible(), 15_000);
    }
    // Wait until the panel shows either rows or its "No problems have been detected" message.
    await waitFor(
      'the Problems panel to show its content',
      async () => (await panel.locator('.monaco-list-row').count()) > 0 || /no problems/i.test(await panel.innerText()),
      15_000,
    );
    // File rows read like their aria-label ("1 problems in file a.txt of folder sub"); marker rows are
    // "<Severity>: <visible text>", e.g. "Warning: hello-problem hello(H001) [Ln 1, Col 1]".
    return panel.locator('.monaco-list-row').evaluateAll((rows) =>
      rows
        .map((r) => {
          const aria = (r.getAttribute('aria-label') ?? '').trim();
          const visible = (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
          const severity = /^(Error|Warning|Info)\b/.exec(aria)?.[1];
          if (severity) return `${severity}: ${visible}`;
          return aria || visible;
        })
        .filter((t) => t.length > 0),
    );
  };

  const messages = (selector: string): Promise<string[]> =>
    page_
      .locator(`${selector} .notification-list-item-message`)
      .evaluateAll((els) =>
        els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => (el as HTMLElement).innerText.trim()),
      );

  const notifications = async (): Promise<string[]> => {
    const toasts = await messages('.notifications-toasts');
    if (toasts.length > 0) return toasts;
    // Toasts hide after a few seconds; the notification center keeps them.
    const center = page_.locator('.notifications-center');
    if (await center.isVisible()) return messages('.notifications-center');
    const bell = page_.locator('#workbench\\.parts\\.statusbar [id="status.notifications"] .statusbar-item-label');
    if (!(await bell.isVisible())) return [];
    await bell.click();
    try {
      await center.waitFor({ state: 'visible', timeout: 5000 });
      return await messages('.notifications-center');
    } catch {
      return [];
    } finally {
      if (await center.isVisible()) await bell.click().catch(() => undefined);
    }
  };

  return {
    page: page_,
    workspace,
    openFile,
    runCommand,
    waitFor,
    statusBarTexts,
    problems,
    notifications,
    screenshot,
    close,
  };
}

const REPO_ROOT = path.resolve(E2E_DIR, '../..');

/** The `.vsix` that `npm run package` left at the repo root (npm run test:e2e makes it first). */
export function packagedVsix(): string {
  const vsix = fs.readdirSync(REPO_ROOT).find((f) => f.endsWith('.vsix'));
  if (!vsix) throw new Error('no .vsix at the repo root: run `npm run package` first (npm run test:e2e does)');
  return path.join(REPO_ROOT, vsix);
}

/** A scratch copy of a fixture folder (relative to the repo root), so that no scenario edits the repository. */
export function fixtureWorkspace(fixture: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(REPO_ROOT, fixture), dir, { recursive: true });
  return dir;
}
