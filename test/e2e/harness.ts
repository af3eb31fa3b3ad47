// Drives a real VS Code for the end-to-end tests: code-server (npm's VS Code server + web
// workbench, installed by scripts/e2e/setup-code-server.sh) on a loopback port, and Debian's
// Chromium through playwright-core. Every wait is bounded, and every child process is killed on
// exit, failure or signal, so nothing can hang CI.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

/** The repository root (this file is test/e2e/harness.ts, bundled to out/e2e/*.js). */
export const REPO = path.resolve(__dirname, '..', '..');
/** Where screenshots and logs go. */
export const OUTPUT = path.join(REPO, 'test-output', 'e2e');
/** The Chromium the tests drive (Debian's package). */
export const CHROMIUM = process.env.RELU_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';

const children = new Set<ChildProcess>();
const browsers = new Set<Browser>();
const temps = new Set<string>();
/** Set RELU_DOCTOR_E2E_KEEP=1 to keep the temporary workspaces and profiles for debugging. */
const KEEP = process.env.RELU_DOCTOR_E2E_KEEP === '1';

/** Kills every child process group this harness started and removes its temporary folders (synchronous: safe in 'exit'). */
export function killChildren(): void {
  for (const c of children) {
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
  if (!KEEP) for (const t of temps) fs.rmSync(t, { recursive: true, force: true, maxRetries: 2 });
  temps.clear();
}

/** Closes the browsers and kills the children; bounded by `ms`. */
export async function cleanup(ms = 10_000): Promise<void> {
  const closing = [...browsers].map((b) => b.close().catch(() => undefined));
  browsers.clear();
  await Promise.race([Promise.all(closing), sleep(ms)]);
  killChildren();
}

process.on('exit', killChildren);

/**
 * Bounds the whole run: after `ms` it prints `what` timed out, cleans up and exits 1.
 * Also turns SIGINT/SIGTERM into a cleanup. Returns a function that cancels the deadline.
 */
export function installDeadline(ms: number, what: string): () => void {
  const timer = setTimeout(() => {
    console.error(`e2e: ${what} did not finish within ${Math.round(ms / 1000)} s; killing it`);
    void cleanup(5_000).finally(() => process.exit(1));
  }, ms);
  timer.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`e2e: ${sig}; cleaning up`);
      void cleanup(5_000).finally(() => process.exit(130));
    });
  }
  return () => clearTimeout(timer);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects with "`what` timed out after N s" unless `p` settles within `ms`. */
export async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every 250 ms until it returns a value other than undefined, for at most `ms`. */
export async function poll<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const why = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      throw new Error(`${what} timed out after ${Math.round(ms / 1000)} s${why}`);
    }
    await sleep(250);
  }
}

/**
 * Runs scripts/e2e/setup-code-server.sh (a no-op when its cache is warm) and returns the install
 * folder it prints. Bounded to 6 minutes (a cold install takes about 40 s).
 */
export function setupCodeServer(): string {
  const script = path.join(REPO, 'scripts', 'e2e', 'setup-code-server.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 6 * 60_000, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`e2e: ${script} failed (${r.error?.message ?? `exit ${r.status}`})`);
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error(`e2e: setup-code-server.sh printed "${dir}", which holds no code-server`);
  }
  return dir;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Creates a fresh temporary folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `relu-doctor-e2e-${prefix}-`));
  temps.add(dir);
  return dir;
}

/** User settings that keep the workbench quiet, offline and deterministic. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

/** A URI as the workbench's configuration takes it (UriComponents). */
export interface RemoteUri {
  scheme: 'vscode-remote';
  authority: string;
  path: string;
}

/** One running code-server. */
export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly installDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything code-server printed so far. */
  output(): string;
  /** The `vscode-remote://127.0.0.1:PORT/abs/path` URI of a path on this machine, as UriComponents. */
  remoteUri(absPath: string): RemoteUri;
  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

function entry(installDir: string): string {
  return path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The environment code-server runs in: no extension gallery, so it never tries the network. */
function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, EXTENSIONS_GALLERY: '{}' };
}

/** Installs a .vsix into `extensionsDir` with code-server's CLI (bounded to 2 minutes). */
export function installExtension(installDir: string, userDataDir: string, extensionsDir: string, vsix: string): void {
  const args = [entry(installDir), '--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: serverEnv(), timeout: 120_000, killSignal: 'SIGKILL' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`e2e: installing ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  }
}

/** Packages the extension in `extensionDir` with vsce (no dependencies: bundles only) into `outDir`. */
export function packageVsix(extensionDir: string, outDir: string, extraArgs: string[] = []): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const out = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', ...extraArgs, '--out', out], {
    cwd: extensionDir, encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`vsce package failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return out;
}

/** Prepares a user-data dir with QUIET_SETTINGS plus `settings`, and an empty extensions dir. */
export function makeProfile(root: string, settings: Record<string, unknown> = {}): { userDataDir: string; extensionsDir: string } {
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return { userDataDir, extensionsDir };
}

/** Starts code-server on a free loopback port and waits (at most 60 s) until it answers. */
export async function startCodeServer(
  installDir: string,
  profile: { userDataDir: string; extensionsDir: string },
  name = 'code-server',
  env: NodeJS.ProcessEnv = {},
): Promise<CodeServer> {
  const port = await freePort();
  const configFile = path.join(profile.userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, '');
  const args = [
    entry(installDir),
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
  ];
  let out = '';
  const child = spawn(process.execPath, args, { env: serverEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const logFile = path.join(OUTPUT, `${name}.log`);
  fs.mkdirSync(OUTPUT, { recursive: true });
  const log = fs.createWriteStream(logFile);
  const collect = (b: Buffer) => {
    out += b.toString();
    log.write(b);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, sig) => reject(new Error(`code-server exited early (${sig ?? code}):\n${out}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    poll(async () => ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok ? true : undefined), 60_000, 'code-server start'),
  ]);
  return {
    url,
    port,
    installDir,
    ...profile,
    output: () => out,
    remoteUri: (p) => ({ scheme: 'vscode-remote', authority: `127.0.0.1:${port}`, path: path.resolve(p) }),
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(path.resolve(folder))}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5_000)]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      children.delete(child);
      log.end();
    },
  };
}

/** Launches Debian's Chromium headless (bounded to 60 s). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  browsers.add(browser);
  return browser;
}

/** Options for openWorkbench. */
export interface WorkbenchOptions {
  /** Runs in the page before the workbench starts (e.g. to rewrite its configuration). */
  initScript?: string;
  /** Receives the workbench's console lines. */
  onConsole?: (line: string) => void;
  /** Functions to expose on `window` before the workbench starts. */
  expose?: Record<string, (...args: never[]) => unknown>;
}

/** Opens the workbench on `folder` in a new page and waits (at most 90 s) until it is restored. */
export async function openWorkbench(browser: Browser, cs: CodeServer, folder: string, o: WorkbenchOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'allow' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(60_000);
  for (const [name, fn] of Object.entries(o.expose ?? {})) await page.exposeFunction(name, fn);
  if (o.initScript) await page.addInitScript(o.initScript);
  if (o.onConsole) {
    const sink = o.onConsole;
    page.on('console', (m) => sink(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => sink(`[pageerror] ${e.message}`));
  }
  await page.goto(cs.folderUrl(folder), { waitUntil: 'domcontentloaded' });
  // The explorer shows the folder once the workbench is up and connected to the server.
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'visible', timeout: 90_000 });
  return page;
}

/** Focuses the workbench body (not an input) so that global keybindings reach it. */
async function focusWorkbench(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
}

/** Types into the open Quick Input, moves the focus to the row labelled exactly `label` (waiting, bounded) and accepts it. */
async function pickInQuickInput(page: Page, text: string, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  // A row's names: its label, and the parts of its aria-label ("label, description, ...": a theme's
  // row reads "Dark High Contrast, Default High Contrast", the second being its settings value).
  const labelsOf = async (row: ReturnType<Page['locator']>) => [
    ...(await row.locator('.label-name').allTextContents()).map((t) => t.trim()),
    ...((await row.getAttribute('aria-label', { timeout: 1_000 })) ?? '').split(', ').map((t) => t.trim()),
  ];
  try {
    await poll(async () => {
      const focused = page.locator('.quick-input-widget .monaco-list-row.focused').first();
      if ((await focused.count()) > 0 && (await labelsOf(focused)).includes(label)) return true;
      // The wanted row is listed but not focused (e.g. a longer match ranks first): step down to it.
      for (const row of await rows.all()) {
        if ((await labelsOf(row)).includes(label)) {
          await page.keyboard.press('ArrowDown');
          break;
        }
      }
      return undefined;
    }, 20_000, `Quick Input row "${label}"`);
  } catch (e) {
    const shown = await rows.evaluateAll((els) => els.map((el) => `${el.classList.contains('focused') ? '*' : ''}${Array.from(el.querySelectorAll('.label-name')).map((l) => l.textContent).join('|') || el.textContent}`)).catch(() => []);
    throw new Error(`${e instanceof Error ? e.message : String(e)}; input "${await input.inputValue().catch(() => '?')}", rows: ${JSON.stringify(shown.slice(0, 8))}`);
  }
  await page.keyboard.press('Enter');
  // Accepted: the widget closes, or (a command that opens another picker) shows a new input.
  const widget = page.locator('.quick-input-widget');
  await poll(async () => (!(await widget.isVisible()) || (await input.inputValue({ timeout: 1_000 })) !== text ? true : undefined), 10_000, `accepting "${label}"`);
}

/** Runs a command by its title from the Command Palette (F1), e.g. "ReLU Doctor: Open Model as Text". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await pickInQuickInput(page, `>${title}`, title);
}

/** Opens a workspace file by name through Quick Open (Ctrl+P). */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await pickInQuickInput(page, relPath, path.posix.basename(relPath));
}

/** Finds the (nested) webview frame that contains `selector`, waiting at most `ms`. */
export async function waitForWebviewFrame(page: Page, selector: string, ms = 60_000): Promise<Frame> {
  return poll(
    async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached()) continue;
        const el = await f.$(selector).catch(() => null);
        if (el) return f;
      }
      return undefined;
    },
    ms,
    `webview frame with ${selector}`,
  );
}

/** The visible text of the active text editor (spaces normalized), waiting until it contains `want`. */
export async function waitForEditorText(page: Page, want: string, ms = 30_000): Promise<string> {
  const lines = page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
  return poll(async () => {
    const text = (await lines.innerText({ timeout: 2_000 })).replace(/\u00a0/g, ' ');
    return text.includes(want) ? text : undefined;
  }, ms, `the active editor showing "${want}"`);
}

/** Saves a PNG of the page as test-output/e2e/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file, timeout: 30_000 });
  return file;
}

/**
 * Switches the color theme the way a person does (F1 > Preferences: Color Theme > pick), then waits
 * until the workbench wears it and VS Code has written it to the user's settings.json. (code-server
 * does not notice a settings.json written behind its back, so the file cannot be edited directly.)
 */
export async function setColorTheme(page: Page, cs: CodeServer, theme: string, workbenchClass: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await pickInQuickInput(page, theme, theme);
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ state: 'attached', timeout: 30_000 });
  const settings = path.join(cs.userDataDir, 'User', 'settings.json');
  await poll(async () => (fs.readFileSync(settings, 'utf8').includes(`"workbench.colorTheme": "${theme}"`) ? true : undefined), 15_000, `${theme} in settings.json`);
}
