// The user-level flow on the digits MLP (examples/digits/mlp-dying.onnx and its test.npy), driven
// as a person would in code-server + Chromium: open the model in the viewer, run "Analyze
// Activations" from F1, pick the data, read the report (dark, high-contrast and light themes), the
// viewer's verdicts, the Problems panel and the hover on the ReLU line, and check every number
// shown against the CLI's JSON report for the same model, data and sample count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { Report } from '../../../src/analysis/report';
import {
  CodeServer, openFile, pickInQuickInput, poll, REPO, runCommand, screenshot, setColorTheme, waitForEditorText, waitForWebviewFrame,
} from '../harness';
import { leakyReluQuickFix } from './quickfix';
import { step } from './steps';
import { cliReport, compareWithCli, hoverLine, openProblems, readReport, settingDefault } from './ui';

/** What the user-level flows share. */
export interface UserContext {
  page: Page;
  server: CodeServer;
  /** The workspace folder on disk. */
  ws: string;
}

/** The digits MLP and its test set. */
const DIGITS = path.join(REPO, 'examples', 'digits');

/** Copies the digits MLP (as model.onnx) and its test set into the workspace. */
export function addDigits(ws: string): void {
  fs.copyFileSync(path.join(DIGITS, 'mlp-dying.onnx'), path.join(ws, 'model.onnx'));
  fs.copyFileSync(path.join(DIGITS, 'test.npy'), path.join(ws, 'test.npy'));
}

/** The title of a contributed command as the Command Palette shows it ("Category: Title"). */
export function commandTitle(id: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes?: { commands?: { command: string; title: string; category?: string }[] } };
  const c = pkg.contributes?.commands?.find((x) => x.command === id);
  if (!c) throw new Error(`package.json contributes no command ${id}`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

/** Opens `file` from Quick Open and waits for its viewer's layer table (failing at once on its error banner). */
export async function openViewer(p: Page, file: string): Promise<Frame> {
  await openFile(p, file);
  const tab = p.locator('.editor-group-container.active .tabs-container .tab.active');
  const label = (await tab.getAttribute('aria-label', { timeout: 10_000 })) ?? '';
  if (!label.includes(file)) throw new Error(`active tab is "${label}", not ${file}`);
  const frame = await waitForWebviewFrame(p, '[data-testid="layer-table"], [data-testid="error"]', 90_000, file);
  const error = frame.locator('[data-testid="error"]');
  if ((await error.count()) > 0) throw new Error(`the viewer shows an error: ${await error.innerText()}`);
  return frame;
}

/** Runs "Analyze Activations" from F1 on the focused model, picks `data` in its quick pick, and waits for `file`'s report panel. */
export async function analyzeFromF1(p: Page, file: string, data: string): Promise<Frame> {
  await runCommand(p, commandTitle('reluDoctor.analyzeActivations'));
  await pickInQuickInput(p, data, data, `data for ${file}`);
  // The report of this model (another model's report may be open too), once its table is drawn.
  return waitForWebviewFrame(p, '[data-testid="report-layers"]', 120_000, `ReLU Doctor report: ${file}`);
}

/** Waits until a webview frame's body wears the theme kind class (vscode-dark, vscode-light, vscode-high-contrast). */
async function frameTheme(f: Frame, kind: string): Promise<void> {
  await poll(async () => ((await f.locator('body').getAttribute('class', { timeout: 2_000 }))?.split(/\s+/).includes(kind) ? true : undefined), 30_000, `webview body class ${kind}`);
}

/** Runs `fn` with the active editor group maximized (View: Toggle Maximize Editor Group), restoring the layout after. */
export async function maximized(p: Page, fn: () => Promise<void>): Promise<void> {
  const group = p.locator('.editor-group-container.active').first();
  const width = async () => (await group.boundingBox())?.width ?? 0;
  const before = await width();
  await runCommand(p, 'View: Toggle Maximize Editor Group');
  await poll(async () => ((await width()) > before + 50 || before > 1000 ? true : undefined), 10_000, 'the editor group maximized');
  try {
    await fn();
  } finally {
    await runCommand(p, 'View: Toggle Maximize Editor Group');
  }
}

/** The whole flow on the digits MLP; `model.onnx` and `test.npy` are in the workspace. */
export async function digitsFlow(ctx: UserContext): Promise<void> {
  const p = ctx.page;
  const samples = settingDefault<number>('samples');
  let viewer: Frame | undefined;
  let report: Frame | undefined;
  let cli: Report | undefined;

  await step('opens model.onnx from Quick Open in the ReLU Doctor viewer', async () => {
    viewer = await openViewer(p, 'model.onnx');
  }, true);
  const v = viewer as Frame;
  const textOf = async (testid: string) => (await v.locator(`[data-testid="${testid}"]`).first().innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');

  await step('the viewer shows the model name, its input and output, and the Relu layers', async () => {
    const expect = (where: string, text: string, wants: string[]) => {
      for (const w of wants) if (!text.includes(w)) throw new Error(`${where} lacks "${w}": ${JSON.stringify(text.slice(0, 800))}`);
    };
    expect('model-name', await textOf('model-name'), ['model.onnx']);
    expect('inputs-table', await textOf('inputs-table'), ['input']);
    expect('outputs-table', await textOf('outputs-table'), ['logits']);
    // Layers may arrive in chunks after the first paint: wait (bounded) for the last one.
    const layers = await poll(async () => {
      const t = await textOf('layer-table');
      return t.includes('/4/Gemm') ? t : undefined;
    }, 30_000, 'layer /4/Gemm in the layer table');
    expect('layer-table', layers, ['/0/Gemm', '/1/Relu', '/2/Gemm', '/3/Relu', '/4/Gemm']);
    const badges = await v.locator('[data-testid="layer-table"] [data-testid="relu-badge"]').count();
    if (badges !== 2) throw new Error(`expected 2 ReLU badges in the layer table (/1/Relu, /3/Relu), found ${badges}`);
    await screenshot(p, 'viewer-dark');
  });

  await step(`the CLI analyses model.onnx with test.npy (${samples} samples, the setting's default)`, async () => {
    cli = cliReport(path.join(ctx.ws, 'model.onnx'), path.join(ctx.ws, 'test.npy'), samples);
    if (cli.totals.dead === 0) throw new Error('the CLI finds no dead units in the digits MLP: nothing for the flow to show');
  });

  const analysed = await step('runs "ReLU Doctor: Analyze Activations" from F1, picks test.npy, and the report panel opens', async () => {
    report = await analyzeFromF1(p, 'model.onnx', 'test.npy');
  });
  if (!analysed || !cli) return;
  const r = report as Frame;
  const c = cli;

  await step('the report shows the CLI\'s numbers: samples, total dead / proven dead / dormant, and per layer units, dead, proven dead, dormant', async () => {
    compareWithCli(await readReport(r), c);
  });

  await step('the notification after the analysis states the CLI\'s totals; Notifications: Clear All Notifications dismisses it', async () => {
    const toast = p.locator('.notifications-toasts .notification-toast', { hasText: 'ReLU Doctor: model.onnx:' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    const t = c.totals;
    const want = `${t.dead} of ${t.units} ReLU units dead${t.provenDead ? ` (${t.provenDead} proven)` : ''}, ${t.dormant} dormant, on ${c.samples.count} samples`;
    if (!text.includes(want)) throw new Error(`the notification does not read "${want}": ${text}`);
    await runCommand(p, 'Notifications: Clear All Notifications');
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  await step('the viewer\'s layer list shows the same verdicts', async () => {
    const titles = await poll(async () => {
      const t = await v.locator('[data-testid="verdict"]').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
      return t.length >= c.layers.length ? t : undefined;
    }, 30_000, `${c.layers.length} verdict badges in the viewer`);
    for (const l of c.layers) {
      const want = `${l.dead.length} of ${l.units} units dead, ${l.provenDead.length} proven dead, ${l.dormant.length} dormant`;
      if (!titles.some((t) => t.includes(want))) throw new Error(`no verdict for ${l.node} reads "${want}": ${JSON.stringify(titles)}`);
    }
    await v.locator('[data-testid="layer-table"]').scrollIntoViewIfNeeded({ timeout: 10_000 });
    await screenshot(p, 'viewer-verdicts');
  });

  await step('switches to Default High Contrast: the viewer and the report follow and keep their numbers', async () => {
    await setColorTheme(p, ctx.server, 'Default High Contrast', 'hc-black');
    await frameTheme(r, 'vscode-high-contrast');
    await frameTheme(v, 'vscode-high-contrast');
    compareWithCli(await readReport(r), c);
    await screenshot(p, 'viewer-report-hc');
  });

  // The report alone (its group maximized) in each theme: the top (summary, bars, table) and the selected layer's detail.
  const shots = async (name: string) => {
    await r.evaluate(() => window.scrollTo(0, 0));
    await screenshot(p, `report-${name}`);
    await r.locator('[data-testid="layer-detail"]').scrollIntoViewIfNeeded({ timeout: 10_000 });
    await screenshot(p, `report-detail-${name}`);
    await r.evaluate(() => window.scrollTo(0, 0));
  };
  await step('the report, maximized, in high-contrast, light and dark themes (screenshots)', async () => {
    await r.locator('[data-testid="report-title"]').click();
    await maximized(p, async () => {
      await shots('hc');
      await setColorTheme(p, ctx.server, 'Default Light Modern', 'vs');
      await frameTheme(r, 'vscode-light');
      await shots('light');
      await setColorTheme(p, ctx.server, 'Default Dark Modern', 'vs-dark');
      await frameTheme(r, 'vscode-dark');
      await shots('dark');
      compareWithCli(await readReport(r), c);
    });
  });

  await step('the Problems panel lists one diagnostic per layer with dead units, with the CLI\'s counts', async () => {
    const dying = c.layers.filter((l) => l.dead.length > 0 || l.provenDead.length > 0);
    const rows = await openProblems(p, `'${dying[0].node}'`);
    await screenshot(p, 'problems');
    const texts = rows.map((x) => x.text);
    for (const l of dying) {
      const want = `${l.op} '${l.node}': ${l.dead.length} of ${l.units}`;
      const row = texts.find((t) => t.includes(want));
      if (!row) throw new Error(`no Problems row reads "${want}": ${JSON.stringify(texts)}`);
      if (!row.includes(`units dead on ${c.samples.count} samples`)) throw new Error(`the row for ${l.node} does not say "on ${c.samples.count} samples": ${row}`);
      if (l.provenDead.length > 0 && !row.includes(`${l.provenDead.length} proven dead`)) throw new Error(`the row for ${l.node} lacks "${l.provenDead.length} proven dead": ${row}`);
      if (!row.includes('ReLU Doctor')) throw new Error(`the row for ${l.node} does not name its source: ${row}`);
    }
    // One diagnostic per dying layer on the model file and one on its text view, nothing else.
    const ours = texts.filter((t) => t.includes('ReLU Doctor') && /\[Ln \d+, Col \d+\]$/.test(t)).length;
    if (ours !== 2 * dying.length) throw new Error(`expected ${2 * dying.length} ReLU Doctor diagnostics (model.onnx and its text view), the Problems panel lists ${ours}: ${JSON.stringify(texts)}`);
    for (const l of c.layers.filter((x) => !dying.includes(x))) {
      const bad = texts.find((t) => t.includes(`'${l.node}':`));
      if (bad) throw new Error(`${l.node} has no dead units, yet the Problems panel lists it: ${bad}`);
    }
    await runCommand(p, 'View: Hide Panel');
  });

  const worst = c.layers.reduce((a, b) => (b.dead.length > a.dead.length ? b : a));
  const inText = await step(`"Show in text view" in the report opens the model's text at ${worst.node}`, async () => {
    await r.locator('[data-testid="layer-detail"]').waitFor({ state: 'visible', timeout: 15_000 });
    const detail = await r.locator('[data-testid="layer-detail"]').innerText();
    if (!detail.includes(worst.node)) throw new Error(`the report's selected layer is not ${worst.node}: ${detail.slice(0, 300)}`);
    await r.locator('[data-testid="reveal-node"]').click();
    await waitForEditorText(p, `["${worst.node}"]`, 60_000);
  });

  if (inText) {
    await step(`hovering the ${worst.node} line shows the CLI's units, dead, proven dead and dormant, and links to the report and the fixes`, async () => {
      let hover = { text: '', links: [] as string[] };
      await maximized(p, async () => {
        hover = await hoverLine(p, `["${worst.node}"]`, 'Proven dead:');
        await screenshot(p, 'hover');
        await p.mouse.move(2, 2);
      });
      const num = (re: RegExp, what: string) => {
        const m = re.exec(hover.text);
        if (!m) throw new Error(`the hover lacks ${what}: ${JSON.stringify(hover.text)}`);
        return Number(m[1].replace(/,/g, ''));
      };
      const got = {
        units: num(/Units: ([\d,]+)/, 'Units'),
        dead: num(/Dead: ([\d,]+) of/, 'Dead'),
        proven: /Proven dead: not decided/.test(hover.text) ? undefined : num(/Proven dead: ([\d,]+) of/, 'Proven dead'),
        dormant: num(/Dormant: ([\d,]+) of/, 'Dormant'),
      };
      const want = { units: worst.units, dead: worst.dead.length, proven: worst.proofAvailable ? worst.provenDead.length : undefined, dormant: worst.dormant.length };
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`the hover shows ${JSON.stringify(got)}, the CLI ${JSON.stringify(want)}`);
      if (!hover.text.includes(`never fired on ${c.samples.count} samples`)) throw new Error(`the hover does not name the ${c.samples.count} samples: ${hover.text}`);
      const links = hover.links;
      if (!links.some((l) => l.startsWith('command:reluDoctor.showReport'))) throw new Error(`the hover has no link to the report: ${JSON.stringify(hover.links)}`);
      if (!links.some((l) => l.startsWith('command:reluDoctor.applyFix?'))) throw new Error(`the hover offers no fix link (the read-only text view has no Ctrl+.): ${JSON.stringify(hover.links)}`);
      await p.mouse.move(5, 5);
    });
    await leakyReluQuickFix(ctx, worst.node, c);
  }
}
