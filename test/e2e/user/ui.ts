// What the user-level test reads off the screen, and what it compares it with: the numbers of the
// report panel (summary and layer table), the Problems panel's rows, an editor hover, the CLI's
// JSON report for the same model and data, and a scan of every frame for injected markup.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { Report } from '../../../src/analysis/report';
import { poll, pressUntilVisible, REPO } from '../harness';

/** The CLI's JSON report (`relu-doctor analyze MODEL --data DATA --samples N --json -`). */
export function cliReport(model: string, data: string, samples: number): Report {
  const cli = path.join(REPO, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\``);
  const r = spawnSync(process.execPath, [cli, 'analyze', model, '--data', data, '--samples', String(samples), '--json', '-'], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`relu-doctor analyze ${path.basename(model)} exited ${r.error?.message ?? r.status}: ${r.stderr.trim().split('\n')[0]}`);
  return JSON.parse(r.stdout) as Report;
}

/** The default of a `reluDoctor.*` setting in package.json. */
export function settingDefault<T>(key: string): T {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: T }> } } };
  const p = pkg.contributes.configuration.properties[`reluDoctor.${key}`];
  if (!p) throw new Error(`package.json has no setting reluDoctor.${key}`);
  return p.default;
}

/** One row of the report's layer table, as shown. */
export interface ShownLayer {
  node: string;
  units: number;
  dead: number;
  /** undefined when the table shows "–" (no proof for this layer). */
  proven: number | undefined;
  dormant: number;
}

/** The report panel's numbers, as shown. */
export interface ShownReport {
  title: string;
  samples: number;
  dead: number;
  proven: number;
  dormant: number;
  units: number;
  layers: ShownLayer[];
}

/** "1,234" → 1234; throws on anything else. */
function int(text: string, what: string): number {
  const m = /^\s*([\d,]+)/.exec(text);
  if (!m) throw new Error(`${what}: expected a number, the panel shows ${JSON.stringify(text)}`);
  return Number(m[1].replace(/,/g, ''));
}

/** Reads the report panel's summary and layer table. */
export async function readReport(f: Frame): Promise<ShownReport> {
  const raw = await f.evaluate(() => {
    const t = (sel: string) => (document.querySelector(sel) as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? '';
    const table = document.querySelector('[data-testid="report-layers"]');
    const headers = Array.from(table?.querySelectorAll('thead th') ?? []).map((th) => (th as HTMLElement).innerText.replace(/[▲▼]/g, '').trim());
    const rows = Array.from(table?.querySelectorAll('tbody tr') ?? []).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.innerText.replace(/\u00a0/g, ' ').trim()));
    return { title: t('[data-testid="report-title"]'), data: t('[data-testid="data"]'), dead: t('[data-testid="total-dead"]'), proven: t('[data-testid="total-proven"]'), dormant: t('[data-testid="total-dormant"]'), headers, rows };
  });
  const col = (label: string) => {
    const i = raw.headers.indexOf(label);
    if (i < 0) throw new Error(`the layer table has no "${label}" column: ${JSON.stringify(raw.headers)}`);
    return i;
  };
  const [cNode, cUnits, cDead, cProven, cDormant] = ['Layer', 'Units', 'Dead', 'Proven dead', 'Dormant'].map(col);
  const totalUnits = /of ([\d,]+)/.exec(raw.dead)?.[1];
  return {
    title: raw.title,
    samples: int(raw.data, 'Data'),
    dead: int(raw.dead, 'Dead'),
    proven: int(raw.proven, 'Proven dead'),
    dormant: int(raw.dormant, 'Dormant'),
    units: int(totalUnits ?? '', 'units in the Dead total'),
    layers: raw.rows.map((r) => ({
      node: r[cNode],
      units: int(r[cUnits], `units of ${r[cNode]}`),
      dead: int(r[cDead], `dead of ${r[cNode]}`),
      proven: r[cProven] === '–' ? undefined : int(r[cProven], `proven dead of ${r[cNode]}`),
      dormant: int(r[cDormant], `dormant of ${r[cNode]}`),
    })),
  };
}

/** Throws unless what the panel shows equals the CLI's report (totals and every layer, in network order). */
export function compareWithCli(shown: ShownReport, cli: Report): void {
  const diffs: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (a !== b) diffs.push(`${what}: panel ${String(a)}, CLI ${String(b)}`);
  };
  eq('samples', shown.samples, cli.samples.count);
  eq('total dead', shown.dead, cli.totals.dead);
  eq('total proven dead', shown.proven, cli.totals.provenDead);
  eq('total dormant', shown.dormant, cli.totals.dormant);
  eq('total units', shown.units, cli.totals.units);
  eq('layers', shown.layers.length, cli.layers.length);
  cli.layers.forEach((l, i) => {
    const s = shown.layers[i];
    if (!s) return;
    eq(`layer ${i + 1} name`, s.node, l.node);
    eq(`${l.node} units`, s.units, l.units);
    eq(`${l.node} dead`, s.dead, l.dead.length);
    eq(`${l.node} proven dead`, s.proven, l.proofAvailable ? l.provenDead.length : undefined);
    eq(`${l.node} dormant`, s.dormant, l.dormant.length);
  });
  if (diffs.length) throw new Error(`the report panel differs from the CLI's JSON: ${diffs.join('; ')}`);
}

/** One row of the Problems panel: its text and its accessible label. */
export interface ProblemRow {
  text: string;
  label: string;
}

/** Opens the Problems panel (Ctrl+Shift+M, as a user would) and waits until it lists a row containing `want`. */
export async function openProblems(page: Page, want: string): Promise<ProblemRow[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await pressUntilVisible(page, 'Control+Shift+M', panel, 'the Problems panel');
  return poll(async () => {
    const rows = await problemRows(page);
    return rows.some((r) => r.text.includes(want) || r.label.includes(want)) ? rows : undefined;
  }, 30_000, `a Problems row containing "${want}"`);
}

/** The Problems panel's rows (resources and markers) as shown. */
export async function problemRows(page: Page): Promise<ProblemRow[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
    els.map((el) => ({ text: (el as HTMLElement).innerText.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim(), label: el.getAttribute('aria-label') ?? '' })),
  );
}

/** The text of the active editor's line containing `text`, hovered with the mouse until a hover containing `want` shows; resolves to the hover's text and links. */
export async function hoverLine(page: Page, text: string, want: string): Promise<{ text: string; links: string[] }> {
  const line = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first();
  await line.waitFor({ state: 'visible', timeout: 15_000 });
  // A token of the line (the line element itself is far wider than its text).
  const token = line.locator('span > span').filter({ hasText: /\S/ }).first();
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText: want }).first();
  // A hover still open (e.g. on the line below) may cover this line: move away until it closes.
  const open = page.locator('.monaco-editor .monaco-hover:not(.hidden)');
  await poll(async () => {
    await page.mouse.move(2, 2);
    await page.keyboard.press('Escape');
    return (await open.count()) === 0 || !(await open.first().isVisible()) ? true : undefined;
  }, 10_000, 'the previous hover to close');
  return poll(async () => {
    if (!(await hover.isVisible())) {
      const box = await token.boundingBox();
      if (!box) return undefined;
      // Move off and back so each try is a fresh hover.
      await page.mouse.move(box.x + box.width / 2, box.y - 200);
      await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 3 });
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
    }
    return hover.evaluate((el) => ({
      text: (el as HTMLElement).innerText.replace(/\u00a0/g, ' '),
      links: Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('data-href') || a.getAttribute('href') || '').filter((x) => x !== ''),
    }));
  }, 30_000, `a hover containing "${want}" on the line with "${text}"`);
}

/** What an injected payload would leave in one frame. */
interface Traces {
  url: string;
  elements: string[];
  flag: unknown;
  scripts: number;
  links: string[];
}

/**
 * Scans the page and every frame in it (the workbench, webviews and their inner frames) for what
 * the hostile model's payloads would leave if they were parsed as markup: elements whose id
 * starts with "pwn", the `__reluPwned` flag, script elements naming it, and links to
 * `command:workbench.action.quit` or `javascript:`. Resolves to one line per finding (none: clean).
 */
export async function injectionTraces(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const f of page.frames()) {
    if (f.isDetached()) continue;
    const t: Traces | undefined = await f.evaluate(() => ({
      url: location.href.slice(0, 80),
      elements: Array.from(document.querySelectorAll('[id^="pwn"]')).map((e) => `<${e.tagName.toLowerCase()} id=${e.id}>`),
      flag: (window as unknown as { __reluPwned?: unknown }).__reluPwned,
      scripts: Array.from(document.scripts).filter((s) => (s.textContent ?? '').includes('__reluPwned')).length,
      links: Array.from(document.querySelectorAll('a, [data-href]'))
        .map((a) => `${a.getAttribute('href') ?? ''} ${a.getAttribute('data-href') ?? ''}`)
        .filter((h) => /workbench\.action\.quit|javascript:/i.test(h)),
    })).catch(() => undefined);
    if (!t) continue;
    if (t.elements.length) found.push(`${t.url}: injected elements ${t.elements.join(', ')}`);
    if (t.flag !== undefined) found.push(`${t.url}: a payload ran (window.__reluPwned = ${String(t.flag)})`);
    if (t.scripts) found.push(`${t.url}: ${t.scripts} script element(s) from the model`);
    if (t.links.length) found.push(`${t.url}: live links ${t.links.join(', ')}`);
  }
  return found;
}

/** Throws when injectionTraces finds anything. */
export async function assertNoInjection(page: Page, where: string): Promise<void> {
  const traces = await injectionTraces(page);
  if (traces.length) throw new Error(`model strings were parsed as markup (${where}): ${traces.join('; ')}`);
}

/** Throws unless `text` contains each of `wants` literally. */
export function expectLiteral(where: string, text: string, wants: readonly string[]): void {
  const missing = wants.filter((w) => !text.includes(w));
  if (missing.length) throw new Error(`${where} does not show ${missing.map((m) => JSON.stringify(m)).join(', ')} literally; it shows ${JSON.stringify(text.slice(0, 1500))}`);
}
