// Drives a real VS Code for the end-to-end tests: code-server (see codeServer.ts) on a loopback
// port, and Debian's Chromium through playwright-core: open a workspace, Quick Open a file, run a
// command from F1, switch theme, find a webview's nested frame, read an editor, take screenshots.
// Every wait is bounded. Re-exports lifecycle.ts and codeServer.ts, so tests import from here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { OUTPUT, poll, trackBrowser } from './lifecycle';

export * from './codeServer';
export * from './lifecycle';

/** The Chromium the tests drive (Debian's package). */
export const CHROMIUM = process.env.RELU_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';

/** Launches Debian's Chromium headless (bounded to 60 s). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  trackBrowser(browser);
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
  /** The page's size (default 1280×800). */
  viewport?: { width: number; height: number };
}

/** Opens the workbench on `folder` in a new page and waits (at most 90 s) until it is restored. */
export async function openWorkbench(browser: Browser, cs: CodeServer, folder: string, o: WorkbenchOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1280, height: 800 }, serviceWorkers: 'allow' });
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

/**
 * Moves the keyboard focus to the workbench so that global keybindings reach it: Escape closes
 * what is open; when a webview holds the focus (or `hard`), a click on the empty part of the
 * Explorer moves it out, as a person would click before pressing a shortcut.
 */
async function focusWorkbench(page: Page, hard = false): Promise<void> {
  await page.keyboard.press('Escape');
  const inWebview = await page.evaluate(() => document.activeElement?.tagName === 'IFRAME');
  if (!inWebview && !hard) return;
  const list = page.locator('.explorer-folders-view .monaco-list').first();
  const box = (await list.isVisible()) ? await list.boundingBox() : null;
  if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height - 5);
}

/** Presses `key` until `target` shows, refocusing the workbench between tries (at most 3): a shortcut as a person uses it. */
export async function pressUntilVisible(page: Page, key: string, target: Locator, what: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await focusWorkbench(page, attempt > 0);
    await page.keyboard.press(key);
    try {
      await target.waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch {
      /* the key went to a focused webview or a closing widget: try again */
    }
  }
  throw new Error(`pressing ${key} did not show ${what} (3 tries)`);
}

/** Presses `key` (F1, Control+P) until the Quick Input shows. */
async function openQuickInput(page: Page, key: string): Promise<void> {
  await pressUntilVisible(page, key, page.locator('.quick-input-widget .quick-input-box input'), 'the Quick Input');
}

/**
 * Types into the open Quick Input, moves the focus to the row labelled exactly `label` (waiting,
 * bounded) and accepts it. With `title`, first waits until the Quick Input shows that title (a
 * command's own picker, not the palette that ran it).
 */
export async function pickInQuickInput(page: Page, text: string, label: string, title?: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  if (title) {
    const t = page.locator('.quick-input-widget .quick-input-title');
    await poll(async () => ((await t.isVisible()) && (await t.innerText({ timeout: 1_000 })).includes(title) ? true : undefined), 30_000, `the Quick Input titled "${title}"`);
  }
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
  await openQuickInput(page, 'F1');
  await pickInQuickInput(page, `>${title}`, title);
}

/** Opens a workspace file by name through Quick Open (Ctrl+P). */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await openQuickInput(page, 'Control+P');
  await pickInQuickInput(page, relPath, path.posix.basename(relPath));
}

/**
 * Finds the (nested) webview frame that contains `selector` (and, with `text`, whose body text
 * includes it: e.g. the report of one model among several), waiting at most `ms`.
 */
export async function waitForWebviewFrame(page: Page, selector: string, ms = 60_000, text?: string): Promise<Frame> {
  return poll(
    async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached()) continue;
        const el = await f.$(selector).catch(() => null);
        if (!el) continue;
        if (text === undefined || (await f.locator('body').innerText({ timeout: 2_000 })).includes(text)) return f;
      }
      return undefined;
    },
    ms,
    `webview frame with ${selector}${text === undefined ? '' : ` showing "${text}"`}`,
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
  // VS Code writes the theme, or drops the key when the theme is the default (in a browser that
  // prefers light colours, the default is Default Light Modern).
  const written = (text: string) => text.includes(`"workbench.colorTheme": "${theme}"`) || (theme === 'Default Light Modern' && !text.includes('"workbench.colorTheme"'));
  try {
    await poll(async () => (written(fs.readFileSync(settings, 'utf8')) ? true : undefined), 15_000, `${theme} in settings.json`);
  } catch (e) {
    const now = /"workbench\.colorTheme":\s*"[^"]*"/.exec(fs.readFileSync(settings, 'utf8'))?.[0] ?? 'no workbench.colorTheme';
    throw new Error(`${e instanceof Error ? e.message : String(e)}; settings.json has ${now}`);
  }
}
