// End-to-end harness: runs an extension inside a real VS Code (code-server 4.100.3,
// VS Code 1.100.3, installed by scripts/install-code-server.sh) and drives its web
// workbench with Debian's Chromium through playwright-core.
//
// Two ways to use it (both can be mixed in one session):
//   - in-host tests: pass `extensionTestsPath`, a `run(): Promise<void>` module (the
//     same one @vscode/test-electron runs); the extension host runs it and the
//     workbench reports its exit code through `codeAutomationExit`. While it runs,
//     the module can stop at `checkpoint(name)` (test/e2e/hostCheckpoint.js) so the
//     browser side can read the screen (`withCheckpoint`).
//   - as a person: open files, run commands from the palette, hover, read
//     decorations, the Debug Console and the status bar (the helpers below).
//
// RENACER_E2E_CHROME_TRACE=FILE records a Chromium performance trace of the
// workbench page (and its webviews) for the whole session, for chrome://tracing
// or Perfetto: what the browser side spends its time on.
//
// Everything a session leaves goes to test/e2e/artifacts/<name>/ (git-ignored):
// screenshots (at the end, and on every failure), the code-server log, the browser
// console, and VS Code's own logs. code-server and Chromium are always killed, by
// `close()`, and by exit/signal handlers if the test process goes away first.
// See ../../../shared/notes/vscode-e2e.md for how the mechanism was worked out.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const DEFAULT_ARTIFACTS_DIR = path.join(REPO, 'test', 'e2e', 'artifacts');
const INSTALL_HINT = 'run `bash scripts/install-code-server.sh` (or set RENACER_SKIP_E2E=1 to skip the end-to-end tests on purpose)';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Settings written to the session's user settings (merged under `settings`). */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'npm.autoDetect': 'off',
  'editor.wordWrap': 'off',
  'editor.minimap.enabled': false,
  'editor.lineNumbers': 'on',
  'editor.hover.delay': 150,
  'editor.cursorBlinking': 'solid',
  'chat.commandCenter.enabled': false,
};

// ---------------------------------------------------------------------------------
// Where things are

/** Whether the e2e tests were explicitly asked to be skipped (RENACER_SKIP_E2E=1). */
export function e2eSkipped(): string | false {
  const v = process.env.RENACER_SKIP_E2E;
  return v && v !== '0' ? 'RENACER_SKIP_E2E is set' : false;
}

export interface CodeServerInstall {
  /** Directory scripts/install-code-server.sh installed into. */
  dir: string;
  /** code-server's entry script (run with this Node). */
  entry: string;
  chromium: string;
}

/**
 * Finds the project-local code-server and Chromium; throws, saying to run
 * scripts/install-code-server.sh, when either is missing.
 */
export function findCodeServer(): CodeServerInstall {
  const dir = process.env.RENACER_CODE_SERVER_DIR || path.join(REPO, '.vscode-test', 'code-server');
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const stamp = path.join(dir, '.installed');
  if (!fs.existsSync(stamp) || !fs.existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${dir}: ${INSTALL_HINT}`);
  }
  const browser = process.env.RENACER_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(browser)) throw new Error(`Chromium is not installed (${browser}): ${INSTALL_HINT}`);
  return { dir, entry, chromium: browser };
}

// ---------------------------------------------------------------------------------
// Launching

export interface LaunchOptions {
  /** Folder the workbench opens (absolute). */
  workspace: string;
  /** The extension under test (absolute folder with its package.json). */
  extensionDevelopmentPath?: string;
  /** A `run(): Promise<void>` module (absolute .js file) run in the extension host. */
  extensionTestsPath?: string;
  /** .vsix files installed (`code-server --install-extension`) before the workbench opens, as a user would. */
  installExtensions?: string[];
  /** Names the artifacts folder test/e2e/artifacts/<name>/ (default session-N). */
  name?: string;
  /** Extra user settings (merged over DEFAULT_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** Where artifacts go (default test/e2e/artifacts, or $RENACER_E2E_ARTIFACTS). */
  artifactsDir?: string;
  /** Time allowed for code-server to listen and the workbench to appear (default 90 s). */
  startTimeoutMs?: number;
  viewport?: { width: number; height: number };
  /** Called with each log line (code-server, browser console, automation log). */
  onLog?: (line: string) => void;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
  settled: boolean;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const d = { settled: false } as Deferred<T>;
  d.promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  d.resolve = (v) => {
    if (!d.settled) (d.settled = true), resolve(v);
  };
  d.reject = (e) => {
    if (!d.settled) (d.settled = true), reject(e);
  };
  d.promise.catch(() => {});
  return d;
}

const RECORDED = Symbol('renacer.e2e.recorded');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A timer that does not keep the process alive (for races that may lose). */
const grace = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

// Every live code-server process group, killed if the test process goes away,
// and the sessions' temp dirs, removed then.
const liveGroups = new Set<number>();
const liveTmps = new Set<string>();
function removeTmps() {
  if (process.env.RENACER_E2E_KEEP_TMP) return;
  for (const dir of liveTmps) fs.rmSync(dir, { recursive: true, force: true });
  liveTmps.clear();
}
let handlersInstalled = false;
function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    removeTmps();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
      liveGroups.clear();
      removeTmps();
      process.kill(process.pid, sig);
    });
  }
}

let sessionCount = 0;

/** Parses a computed `content` value (`"text"`, `none`, `normal`, …) into its text. */
export function cssContentText(content: string): string | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"$/s.exec(content.trim());
  if (!m) return undefined;
  return m[1]
    .replace(/\\([0-9a-fA-F]{1,6}) ?/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/\\(.)/gs, '$1');
}

/** Starts code-server and Chromium and opens the workbench. Always `close()` it. */
export async function launchVSCode(options: LaunchOptions): Promise<VSCodeSession> {
  const install = findCodeServer();
  const session = new VSCodeSession(options, install);
  try {
    await session.start();
  } catch (e) {
    await session.fail('launch', e).catch(() => {});
    await session.close();
    throw e;
  }
  return session;
}

export interface RunResult {
  /** The extension host's exit code: 0 when `run()` resolved. */
  exitCode: number;
  durationMs: number;
  /** Log lines (browser console, automation log, code-server); for assertion messages. */
  output: string;
  artifacts: string;
}

/**
 * Runs an extension's `run()` tests module inside VS Code and returns its exit code
 * (throws on timeout or when VS Code cannot start). `during` runs on the browser
 * side while the tests run (e.g. `s => s.withCheckpoint('x', …)`).
 */
export async function runExtensionTests(
  options: LaunchOptions & { extensionTestsPath: string; timeoutMs?: number; during?: (s: VSCodeSession) => Promise<void> },
): Promise<RunResult> {
  const t0 = Date.now();
  const session = await launchVSCode(options);
  try {
    const exit = session.waitForExit(options.timeoutMs);
    // A browser-side failure ends the run at once (the host may be held at a checkpoint).
    const exitCode = options.during
      ? await Promise.race([exit, session.guard('during', () => options.during!(session)).then(() => exit)])
      : await exit;
    return { exitCode, durationMs: Date.now() - t0, output: session.output(), artifacts: session.artifacts };
  } finally {
    await session.close();
  }
}

export class VSCodeSession {
  readonly name: string;
  /** This session's artifacts folder. */
  readonly artifacts: string;
  readonly workspace: string;
  page!: Page;
  browser!: Browser;
  port = 0;
  url = '';
  /** The extension host's exit code once the tests module finished. */
  exitCode: number | undefined;

  private readonly tmp: string;
  private readonly syncDir: string;
  private server?: ChildProcess;
  private readonly lines: string[] = [];
  private readonly exit = deferred<number>();
  private readonly died = deferred<never>();
  /** Rejects when the session closes, so nothing keeps waiting on a closed session. */
  private readonly closing = deferred<never>();
  private closed = false;
  private shots = 0;

  constructor(
    private readonly options: LaunchOptions,
    private readonly install: CodeServerInstall,
  ) {
    sessionCount++;
    this.name = (options.name ?? `session-${sessionCount}`).replace(/[^A-Za-z0-9_.-]+/g, '-');
    this.artifacts = path.join(options.artifactsDir ?? process.env.RENACER_E2E_ARTIFACTS ?? DEFAULT_ARTIFACTS_DIR, this.name);
    fs.rmSync(this.artifacts, { recursive: true, force: true });
    fs.mkdirSync(this.artifacts, { recursive: true });
    this.workspace = path.resolve(options.workspace);
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `renacer-e2e-${this.name}-`));
    liveTmps.add(this.tmp);
    this.syncDir = path.join(this.tmp, 'sync');
    fs.mkdirSync(this.syncDir);
  }

  private log(source: string, text: string) {
    for (const l of text.split('\n')) {
      if (l.trim() === '') continue;
      const line = `[${source}] ${l}`;
      this.lines.push(line);
      this.options.onLog?.(line);
    }
  }

  /** Everything logged so far (code-server, browser console, automation log). */
  output(): string {
    return this.lines.join('\n');
  }

  /** The last `n` log lines, for error messages. */
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  /** @internal */
  async start(): Promise<void> {
    const startTimeout = this.options.startTimeoutMs ?? 90_000;
    const userData = path.join(this.tmp, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...this.options.settings }, null, 2),
    );
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // Nothing of a VS Code this may run inside, nor of node's test runner.
      if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_TEST_CONTEXT' || k === 'NODE_OPTIONS') continue;
      env[k] = v;
    }
    Object.assign(env, {
      XDG_DATA_HOME: path.join(this.tmp, 'xdg-data'), // code-server's own state, not ~/.local/share
      RENACER_E2E_SYNC_DIR: this.syncDir,
      ...this.options.env,
    });

    for (const vsix of this.options.installExtensions ?? []) {
      // The same code-server, the same extensions dir the session then uses.
      const r = spawnSync(
        process.execPath,
        [this.install.entry, '--user-data-dir', userData, '--extensions-dir', path.join(this.tmp, 'extensions'), '--install-extension', path.resolve(vsix)],
        { env, encoding: 'utf8', timeout: 120_000 },
      );
      this.log('install-extension', (r.stdout + r.stderr).trim());
      if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
    }

    installExitHandlers();
    const server = spawn(
      process.execPath,
      [
        this.install.entry,
        '--auth', 'none',
        '--bind-addr', '127.0.0.1:0',
        '--config', path.join(this.tmp, 'config.yaml'),
        '--user-data-dir', userData,
        '--extensions-dir', path.join(this.tmp, 'extensions'),
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        this.workspace,
      ],
      { cwd: this.workspace, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server = server;
    liveGroups.add(server.pid!);
    const listening = deferred<number>();
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      this.log('code-server', text);
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) listening.resolve(Number(m[1]));
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code, signal) => {
      liveGroups.delete(server.pid!);
      const err = new Error(`code-server exited (${signal ?? code}) unexpectedly:\n${this.tail()}`);
      listening.reject(err);
      if (!this.closed) this.died.reject(err);
    });
    this.port = await this.within(listening.promise, startTimeout, 'code-server to listen');

    this.browser = await chromium.launch({ executablePath: this.install.chromium, args: CHROMIUM_ARGS, timeout: startTimeout });
    const context = await this.browser.newContext({ viewport: this.options.viewport ?? { width: 1400, height: 900 } });
    this.page = await context.newPage();
    const page = this.page;
    if (process.env.RENACER_E2E_CHROME_TRACE) await this.browser.startTracing(page, { path: process.env.RENACER_E2E_CHROME_TRACE, categories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing'] });
    page.on('console', (m) => this.log(`browser ${m.type()}`, m.text()));
    page.on('pageerror', (e) => this.log('browser pageerror', String(e?.stack ?? e)));
    page.on('crash', () => this.died.reject(new Error(`the workbench page crashed:\n${this.tail()}`)));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      this.log(`automation ${type}`, (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    await page.exposeFunction('codeAutomationExit', async (code: number, logs?: { relativePath: string; contents: string }[]) => {
      this.log('automation', `codeAutomationExit(${code})`);
      if (process.env.RENACER_E2E_CHROME_TRACE) await this.browser!.stopTracing();
      this.exitCode = code;
      this.saveVSCodeLogs(logs);
      this.exit.resolve(code);
    });

    const remote = (p: string) => `vscode-remote://127.0.0.1:${this.port}${p}`;
    const payload: [string, string][] = [['skipWelcome', 'true']];
    if (this.options.extensionDevelopmentPath) {
      payload.push(['extensionDevelopmentPath', remote(path.resolve(this.options.extensionDevelopmentPath))]);
    }
    if (this.options.extensionTestsPath) {
      payload.push(['extensionTestsPath', remote(path.resolve(this.options.extensionTestsPath))]);
    }
    this.url =
      `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(this.url, { timeout: startTimeout });
    await this.within(
      page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: startTimeout }),
      startTimeout,
      'the workbench to appear',
    );
  }

  private saveVSCodeLogs(logs?: { relativePath: string; contents: string }[]) {
    if (!Array.isArray(logs)) return;
    const base = path.join(this.artifacts, 'vscode-logs');
    for (const l of logs) {
      try {
        const file = path.join(base, path.normalize(l.relativePath).replace(/^(\.\.[/\\])+/, ''));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, l.contents);
      } catch {
        /* best effort */
      }
    }
  }

  /** Races `p` against a timeout and against code-server or the page dying. */
  private async within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}\n--- last log lines ---\n${this.tail()}`)), ms);
    });
    try {
      return await Promise.race([p, timeout, this.died.promise, this.closing.promise]);
    } finally {
      clearTimeout(timer);
    }
  }

  // -------------------------------------------------------------------------------
  // Artifacts and failures

  /** Saves a PNG of the whole window to the artifacts folder; returns its path. */
  async screenshot(label: string): Promise<string> {
    const file = path.join(this.artifacts, `${String(++this.shots).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }

  /** @internal Records a failure: a screenshot, and the error amended with where to look. */
  async fail(what: string, error: unknown): Promise<never> {
    if (error instanceof Error && (error as { [RECORDED]?: boolean })[RECORDED]) throw error; // an inner helper did
    let shot = '';
    if (this.page && !this.page.isClosed()) shot = await this.screenshot(`failure-${what}`).catch(() => '');
    const e = error instanceof Error ? error : new Error(String(error));
    e.message += `\n(${this.name}: ${shot ? `screenshot ${shot}; ` : ''}logs in ${this.artifacts})`;
    (e as { [RECORDED]?: boolean })[RECORDED] = true;
    throw e;
  }

  /** @internal Runs a helper; on failure takes a screenshot and says where it is. */
  async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      return this.fail(what, e);
    }
  }

  // -------------------------------------------------------------------------------
  // In-host tests

  /**
   * Waits for the tests module to finish; returns the extension host's exit code
   * (0 = `run()` resolved). A non-zero code or a timeout leaves a screenshot.
   */
  async waitForExit(timeoutMs = 120_000): Promise<number> {
    const code = await this.guard('exit-timeout', () => this.within(this.exit.promise, timeoutMs, 'the tests module to finish (codeAutomationExit)'));
    if (code !== 0) await this.screenshot(`failure-exit-${code}`).catch(() => {});
    return code;
  }

  /** Waits until the in-host tests reach `checkpoint(name)` (test/e2e/hostCheckpoint.js). */
  async waitForCheckpoint(name: string, timeoutMs = 60_000): Promise<void> {
    const file = path.join(this.syncDir, `${name}.reached`);
    let waiting = true;
    const reached = (async () => {
      while (waiting && !this.closed && !fs.existsSync(file)) {
        if (this.exit.settled) {
          throw new Error(`the tests module exited (code ${this.exitCode}) before checkpoint ${name}`);
        }
        // The host held at another checkpoint that nobody released can never get here.
        const held = fs
          .readdirSync(this.syncDir)
          .filter((f) => f.endsWith('.reached'))
          .map((f) => f.slice(0, -'.reached'.length))
          .filter((n) => !fs.existsSync(path.join(this.syncDir, `${n}.released`)));
        if (held.length > 0 && !fs.existsSync(file)) {
          throw new Error(`waiting for checkpoint ${name}, but the tests module waits at checkpoint ${held.join(', ')}, which was not released`);
        }
        await sleep(50);
      }
    })();
    try {
      await this.guard(`checkpoint-${name}`, () => this.within(reached, timeoutMs, `checkpoint ${name}`));
    } finally {
      waiting = false;
    }
  }

  /** Lets the in-host tests go on past `checkpoint(name)`; a `verdict` other than 'ok' makes it throw there. */
  releaseCheckpoint(name: string, verdict = 'ok'): void {
    const file = path.join(this.syncDir, `${name}.released`);
    fs.writeFileSync(`${file}.tmp`, verdict);
    fs.renameSync(`${file}.tmp`, file);
  }

  /**
   * Waits for checkpoint `name`, runs `fn` (browser-side assertions), then releases
   * it: with 'ok', or with fn's error so the in-host run fails too (and fn's error
   * is rethrown here).
   */
  async withCheckpoint<T>(name: string, fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
    await this.waitForCheckpoint(name, timeoutMs);
    try {
      const v = await fn();
      this.releaseCheckpoint(name);
      return v;
    } catch (e) {
      this.releaseCheckpoint(name, `browser-side check failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
      throw e;
    }
  }

  // -------------------------------------------------------------------------------
  // What a person sees and does

  /** Polls `probe` until it returns a value other than undefined. */
  private async poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, describe?: () => Promise<string>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) throw new Error(`the session was closed while waiting for ${what}`);
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) {
        const seen = describe ? `; saw: ${await describe().catch((e) => String(e))}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
      }
      await sleep(100);
    }
  }

  /** Opens the command palette/quick open (F1) with `text` typed in it. */
  private async quickInput(text: string) {
    const page = this.page;
    const widget = page.locator('.quick-input-widget');
    if (!(await widget.isVisible())) await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
  }

  private async quickInputRows(): Promise<QuickRow[]> {
    return this.page
      .$$eval('.quick-input-widget .monaco-list-row', (rows) =>
        rows
          .map((r) => ({
            index: Number(r.getAttribute('data-index') ?? 0),
            focused: r.classList.contains('focused'),
            label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
            description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
          }))
          .sort((a, b) => a.index - b.index),
      )
      .catch(() => []);
  }

  /**
   * Accepts the quick-input row that `predicate` picks: moves the list's focus
   * there with the arrow keys, checks that the focused row is that one (the list
   * can re-sort while results come in: then it looks again), and presses Enter.
   */
  private async pickRow(predicate: (row: QuickRow) => boolean, what: string, timeoutMs: number): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    let last: QuickRow[] = [];
    await this.poll(
      what,
      timeoutMs,
      async () => {
        last = await this.quickInputRows();
        const target = last.find(predicate);
        if (!target) return undefined;
        const focused = last.find((r) => r.focused);
        const delta = target.index - (focused?.index ?? 0);
        for (let i = 0; i < Math.abs(delta); i++) await input.press(delta > 0 ? 'ArrowDown' : 'ArrowUp');
        last = await this.quickInputRows();
        const now = last.find((r) => r.focused);
        return now && predicate(now) ? true : undefined;
      },
      async () => JSON.stringify(last.map((r) => (r.focused ? `*${r.label}` : r.label))),
    );
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Runs a command from the command palette by its full title, e.g. "Renacer: Trace Program". */
  async runCommand(title: string, timeoutMs = 15_000): Promise<void> {
    await this.guard(`command-${title}`, async () => {
      await this.quickInput(`>${title}`);
      await this.pickRow((r) => r.label === title, `the command "${title}" in the palette`, timeoutMs);
    });
  }

  /** Opens a workspace file (path relative to the workspace) through Quick Open. */
  async openFile(relativePath: string, timeoutMs = 20_000): Promise<void> {
    await this.guard(`open-${path.basename(relativePath)}`, async () => {
      const base = path.basename(relativePath);
      const dir = path.dirname(relativePath) === '.' ? '' : path.dirname(relativePath);
      await this.quickInput(relativePath);
      await this.pickRow(
        (r) => r.label === base && (dir === '' ? true : r.description.replace(/\\/g, '/').endsWith(dir)),
        `${relativePath} in Quick Open`,
        timeoutMs,
      );
      await this.poll(`${base} to be the active editor`, timeoutMs, () =>
        this.page
          .locator('.part.editor .editor-group-container.active .tab.active .label-name')
          .first()
          .textContent({ timeout: 1_000 })
          .then((t) => (t?.trim() === base ? true : undefined))
          .catch(() => undefined),
      );
      await this.page.locator(`${ACTIVE_EDITOR} .view-lines`).waitFor({ state: 'visible', timeout: timeoutMs });
    });
  }

  /** Moves the cursor of the active editor to `line`:`column` (1-based) with Go to Line. */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.guard(`goto-${line}`, async () => {
      await this.quickInput(`:${line}:${column}`);
      await this.page.keyboard.press('Enter');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    });
  }

  /**
   * The text of the decorations rendered before and after the text of `line`
   * (1-based) in the active editor: what `renderOptions.before/after.contentText`
   * shows, read from the `::before`/`::after` content of `.view-line span`.
   * Waits (up to timeoutMs) for the line to be rendered; [] when it has none.
   */
  async decorationTexts(line: number, timeoutMs = 10_000): Promise<string[]> {
    return this.guard(`decorations-line-${line}`, async () => {
      const raw = await this.poll(
        `line ${line} to be rendered in the active editor`,
        timeoutMs,
        () => this.page.evaluate(readLineDecorations, { selector: ACTIVE_EDITOR, line }),
      );
      return raw.map((c) => cssContentText(c)).filter((t): t is string => t !== undefined && t !== '');
    });
  }

  /**
   * Polls until `line` shows a decoration text matching `match` (substring or
   * RegExp); returns all of that line's decoration texts.
   */
  async waitForDecoration(line: number, match: string | RegExp, timeoutMs = 15_000): Promise<string[]> {
    const ok = (t: string) => (typeof match === 'string' ? t.includes(match) : match.test(t));
    let last: string[] = [];
    return this.guard(`decoration-line-${line}`, () =>
      this.poll(
        `a decoration matching ${match} on line ${line}`,
        timeoutMs,
        async () => {
          const raw = await this.page.evaluate(readLineDecorations, { selector: ACTIVE_EDITOR, line });
          last = (raw ?? []).map((c) => cssContentText(c) ?? '').filter((t) => t !== '');
          return last.some(ok) ? last : undefined;
        },
        async () => JSON.stringify(last),
      ),
    );
  }

  /**
   * Puts the mouse over `line`:`column` (1-based) of the active editor, as a person
   * hovering, and returns the hover widget's text once it shows (and contains
   * `expect`, when given).
   */
  async hoverText(line: number, column: number, options: { expect?: string | RegExp; timeoutMs?: number } = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    return this.guard(`hover-${line}-${column}`, async () => {
      await this.goToLine(line, column);
      const page = this.page;
      // Where the cursor is now: the left edge of the character at `column`.
      const at = await this.poll('the cursor in the active editor', 5_000, () =>
        page.evaluate((sel) => {
          const c = document.querySelector(`${sel} .cursors-layer .cursor`) as HTMLElement | null;
          if (!c) return undefined;
          const r = c.getBoundingClientRect();
          const lineHeight = r.height || 18;
          return r.width === 0 && r.height === 0 ? undefined : { x: r.left, y: r.top + lineHeight / 2 };
        }, ACTIVE_EDITOR),
      );
      const charWidth = await page.evaluate((sel) => {
        const el = document.querySelector(`${sel} .view-lines`) as HTMLElement | null;
        const probe = document.createElement('span');
        probe.textContent = 'mmmmmmmmmm';
        probe.style.visibility = 'hidden';
        el?.appendChild(probe);
        const w = probe.getBoundingClientRect().width / 10;
        probe.remove();
        return w || 7;
      }, ACTIVE_EDITOR);
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
      const wanted = (t: string) =>
        t.trim() !== '' &&
        (options.expect === undefined || (typeof options.expect === 'string' ? t.includes(options.expect) : options.expect.test(t)));
      let text = '';
      const deadline = Date.now() + timeoutMs;
      // A hover shows after the mouse rests; wiggle inside the character until it does.
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        await page.mouse.move(5, 5);
        await page.mouse.move(at.x + charWidth * (0.3 + 0.2 * (attempt % 3)), at.y, { steps: 3 });
        const until = Math.min(deadline, Date.now() + 3_000);
        while (Date.now() < until) {
          const texts = await hover.allInnerTexts().catch(() => [] as string[]);
          text = texts.join('\n').trim();
          if (wanted(text)) return text;
          await sleep(100);
        }
      }
      throw new Error(`no hover${options.expect ? ` matching ${options.expect}` : ''} at ${line}:${column} within ${timeoutMs} ms (last hover text: ${JSON.stringify(text)})`);
    });
  }

  /** Moves the mouse away and presses Escape, so no hover or widget stays open. */
  async dismiss(): Promise<void> {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
  }

  /**
   * The Debug Console's text, one entry per line in order (opens the view with
   * "Debug Console: Focus on Debug Console View" when it is not visible). Only rendered
   * rows are read: the console scrolls to its end, so that is the latest output.
   */
  async debugConsoleText(): Promise<string> {
    return this.guard('debug-console', async () => {
      const repl = this.page.locator('.repl').first();
      if (!(await repl.isVisible())) {
        await this.runCommand('Debug Console: Focus on Debug Console View');
        await repl.waitFor({ state: 'visible', timeout: 10_000 });
      }
      return this.page.$$eval('.repl .monaco-list-row', (rows) =>
        rows
          .map((r) => ({ i: Number(r.getAttribute('data-index') ?? 0), t: (r as HTMLElement).innerText.replace(/\n+$/, '') }))
          .sort((a, b) => a.i - b.i)
          .map((r) => r.t)
          .join('\n'),
      );
    });
  }

  /** Polls the Debug Console until its text matches; returns the whole text. */
  async waitForDebugConsole(match: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const ok = (t: string) => (typeof match === 'string' ? t.includes(match) : match.test(t));
    let last = '';
    return this.guard('debug-console-wait', () =>
      this.poll(
        `the Debug Console to show ${match}`,
        timeoutMs,
        async () => {
          last = await this.debugConsoleText();
          return ok(last) ? last : undefined;
        },
        async () => JSON.stringify(last),
      ),
    );
  }

  /** The texts of the status-bar items, left to right (codicons omitted). */
  async statusBarTexts(): Promise<string[]> {
    return this.page.$$eval('.part.statusbar .statusbar-item', (items) =>
      items.map((i) => (i as HTMLElement).innerText.replace(/\s+/g, ' ').trim()).filter((t) => t !== ''),
    );
  }

  /** Waits for a status-bar item whose text contains `match` (or matches the RegExp); returns it. */
  async waitForStatusBarText(match: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const ok = (t: string) => (typeof match === 'string' ? t.includes(match) : match.test(t));
    return this.guard('status-bar', () =>
      this.poll(
        `a status-bar item showing ${match}`,
        timeoutMs,
        async () => (await this.statusBarTexts()).find(ok),
        async () => JSON.stringify(await this.statusBarTexts()),
      ),
    );
  }

  /** Notification toasts' messages currently shown. */
  async notificationTexts(): Promise<string[]> {
    return this.page.$$eval('.notifications-toasts .notification-list-item-message', (els) =>
      els.map((e) => (e as HTMLElement).innerText.trim()),
    );
  }

  /** The frame (a webview's inner document) that has `selector` in it, once one has. */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const f of this.page.frames()) if (await f.$(selector).catch(() => null)) return f;
      if (Date.now() > deadline) throw new Error(`no webview frame has ${selector}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // -------------------------------------------------------------------------------

  /**
   * Takes the closing screenshot, saves the logs, and kills Chromium and
   * code-server (its whole process group). Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.reject(new Error(`session ${this.name} closed`));
    if (this.page && !this.page.isClosed()) await this.screenshot('end').catch(() => {});
    try {
      fs.writeFileSync(path.join(this.artifacts, 'log.txt'), this.output() + '\n');
    } catch {
      /* best effort */
    }
    if (this.browser) await Promise.race([this.browser.close().catch(() => {}), grace(10_000)]);
    const server = this.server;
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const gone = new Promise((r) => server.once('exit', r));
      killGroup(server.pid, 'SIGTERM');
      if ((await Promise.race([gone.then(() => true), grace(5_000).then(() => false)])) === false) {
        killGroup(server.pid, 'SIGKILL');
        await Promise.race([gone, grace(5_000)]);
      }
    }
    // Children that left code-server's group die with it too: anything still in it.
    if (server?.pid) killGroup(server.pid, 'SIGKILL');
    if (server?.pid) liveGroups.delete(server.pid);
    if (!process.env.RENACER_E2E_KEEP_TMP) fs.rmSync(this.tmp, { recursive: true, force: true });
    liveTmps.delete(this.tmp);
  }
}

interface QuickRow {
  index: number;
  focused: boolean;
  label: string;
  description: string;
}

/** The active editor group's text editor. */
const ACTIVE_EDITOR = '.part.editor .editor-group-container.active .editor-container .monaco-editor:not(.original-in-monaco-diff-editor)';

/**
 * Runs in the page: the raw `::before`/`::after` `content` values of the spans of
 * view line `line` (found through its line number in the gutter), or undefined
 * when that line is not rendered.
 */
function readLineDecorations({ selector, line }: { selector: string; line: number }): string[] | undefined {
  const editor = document.querySelector(selector);
  if (!editor) return undefined;
  const number = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers')).find(
    (e) => (e.textContent ?? '').trim() === String(line),
  );
  const top = (number?.parentElement as HTMLElement | null | undefined)?.style.top;
  if (!top) return undefined;
  const viewLine = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((e) => (e as HTMLElement).style.top === top);
  if (!viewLine) return undefined;
  const out: string[] = [];
  for (const span of Array.from(viewLine.querySelectorAll('span'))) {
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(span, pseudo).content;
      if (c && c !== 'none' && c !== 'normal') out.push(c);
    }
  }
  return out;
}
