// The report webview on its own in Chromium (test/webview/harness.ts), with the recorded digits CNN
// report: it renders the numbers of the JSON, sorts, selects layers by keyboard, shows the unit
// grid and histogram, posts the right messages, restores from its saved state, shows before →
// after, and renders a hostile report's HTML-laden names as plain text. Screenshots of the dark,
// light and high-contrast themes go to test-output/webview/.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, fixtureReport, hostPost, recorded, ReportHarness, SHOTS, startHarness, Theme } from '../webview/harness';

const cnn = fixtureReport('cnn-dying.json');
const fixed = fixtureReport('cnn-dying.fixed.json');
const hostile = fixtureReport('hostile.json');
const MODEL = 'file:///work/examples/digits/cnn-dying.onnx';

const FIXES = [
  [{ id: 'leaky-relu', title: 'Replace with Leaky ReLU (alpha 0.01)', preferred: true }, { id: 'pytorch-snippet', title: 'Copy the PyTorch fix to the clipboard' }],
  [{ id: 'leaky-relu', title: 'Replace with Leaky ReLU (alpha 0.01)', preferred: true }, { id: 'revive', title: 'Revive 20 dead unit(s)' }, { id: 'pytorch-snippet', title: 'Copy the PyTorch fix to the clipboard' }],
];

const init = (report: unknown, extra: Record<string, unknown> = {}, fileName = 'cnn-dying.onnx') => ({ type: 'init', view: { model: MODEL, fileName, report, fixes: FIXES, ...extra } });

const text = (page: Page, sel: string) => page.locator(sel).first().innerText();
const rowOrder = (page: Page) => page.$$eval('[data-testid="report-layers"] tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.layer));

describe('report webview in Chromium', function () {
  let harness: ReportHarness;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`    (skipped: ${CHROMIUM} is not installed; apt-get install chromium to run the webview tests)`);
      this.skip();
    }
    harness = await startHarness();
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await harness?.close();
  });

  async function rendered(theme: Theme = 'vscode-dark', message: unknown = init(cnn)): Promise<Page> {
    const page = await harness.open(theme);
    await hostPost(page, message);
    await page.locator('[data-testid="report-layers"]').waitFor();
    return page;
  }

  it('says ready, then renders the summary, bars and table with the numbers of the JSON', async () => {
    const page = await harness.open();
    await page.locator('text=Loading the report').waitFor();
    assert.deepEqual((await recorded(page)).posted, [{ type: 'ready' }]);
    await hostPost(page, init(cnn));
    await page.locator('[data-testid="report-layers"]').waitFor();
    assert.match(await text(page, '[data-testid="report-title"]'), /cnn-dying\.onnx/);
    assert.equal(await text(page, '[data-testid="data"]'), '360 samples from examples/digits/test-images.npy');
    assert.equal(await text(page, '[data-testid="total-dead"]'), '23 of 48 (48%)');
    assert.equal(await text(page, '[data-testid="total-proven"]'), '7 of 48 (15%)');
    assert.equal(await text(page, '[data-testid="total-dormant"]'), '2 of 48 (4.2%)');
    assert.equal(await page.locator('[data-testid="random-banner"]').count(), 0);
    assert.equal(await page.locator('.bars .bar-row').count(), 2);
    const cells = await page.$$eval('[data-testid="report-layers"] tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => (td as HTMLElement).innerText.trim())));
    assert.deepEqual(cells.map((c) => c.slice(0, 8)), [
      ['1', '/2/Relu', 'Relu', '16', '3', '3', '0', '19%'],
      ['2', '/5/Relu', 'Relu', '32', '20', '4', '2', '63%'],
    ]);
    // The bar of /5/Relu: 4 proven dead, 16 dead only, 2 dormant, 10 alive (of 32).
    const label = await page.locator('.bars .bar-row[data-layer="1"] .stack').getAttribute('aria-label');
    assert.equal(label, '4 proven dead, 16 dead, 2 dormant, 10 alive of 32 units');
    // Nothing selected was asked for: the worst layer is shown.
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '1');
    assert.deepEqual((await recorded(page)).cspViolations, []);
    await page.close();
  });

  it('sorts by a column with the mouse and the keyboard (aria-sort follows)', async () => {
    const page = await rendered();
    assert.deepEqual(await rowOrder(page), ['0', '1']);
    await page.click('[data-testid="sort-dead"]');
    assert.equal(await page.locator('th[data-key="dead"]').getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await rowOrder(page), ['1', '0']);
    await page.focus('[data-testid="sort-dead"]');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('th[data-key="dead"]').getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await rowOrder(page), ['0', '1']);
    await page.focus('[data-testid="sort-node"]');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('th[data-key="node"]').getAttribute('aria-sort'), 'ascending');
    assert.equal(await page.locator('th[data-key="dead"]').getAttribute('aria-sort'), null);
    assert.deepEqual(((await recorded(page)).state as { ui: unknown }).ui, { sort: { key: 'node', dir: 'asc' }, selected: 1 });
    await page.close();
  });

  it('selects layers with the keyboard and shows their unit grid, histogram and causes', async () => {
    const page = await rendered();
    await page.locator('[data-testid="report-layers"] tbody tr[tabindex="0"]').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '0');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.layer), '0');
    assert.equal(await page.locator('tbody tr[aria-current="true"]').getAttribute('data-layer'), '0');
    assert.equal(await page.locator('[data-testid="unit-grid"] .unit').count(), 16);
    assert.equal(await page.locator('[data-testid="unit-grid"] .u-proven').count(), 3);
    assert.ok((await page.locator('[data-testid="histogram"] svg rect.hist-bar').count()) > 3);
    assert.match(await text(page, '[data-testid="causes"]'), /Bias below reach \(3 units/);
    assert.match(await text(page, '[data-testid="causes"]'), /Remedies: Leaky ReLU, revive/);
    await page.keyboard.press('End');
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '1');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '0');
    // The unit grid: arrow keys move a single tab stop and the readout follows.
    await page.locator('[data-testid="unit-grid"] .unit[tabindex="0"]').focus();
    assert.match(await text(page, '[data-testid="unit-readout"]'), /^Unit 0: proven dead · fires on 0% of positions/);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.unit), '1');
    assert.match(await text(page, '[data-testid="unit-readout"]'), /^Unit 1: /);
    assert.equal(await page.locator('[data-testid="unit-grid"] .unit[tabindex="0"]').count(), 1);
    // Clicking a bar selects its layer too.
    await page.click('.bars .bar-row[data-layer="1"] .bar-name');
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '1');
    assert.equal(await page.locator('[data-testid="unit-grid"] .unit').count(), 32);
    await page.close();
  });

  it('posts applyFix, export and revealNode messages from its buttons', async () => {
    const page = await rendered();
    await page.click('[data-testid="fix-revive"]');
    await page.click('[data-testid="fix-pytorch-snippet"]');
    await page.click('[data-testid="export-json"]');
    await page.click('[data-testid="export-sarif"]');
    await page.focus('[data-testid="export-html"]');
    await page.keyboard.press('Enter');
    await page.click('[data-testid="reveal-node"]');
    assert.deepEqual((await recorded(page)).posted.slice(1), [
      { type: 'applyFix', fixId: 'revive', layer: 1 },
      { type: 'applyFix', fixId: 'pytorch-snippet', layer: 1 },
      { type: 'export', format: 'json' },
      { type: 'export', format: 'sarif' },
      { type: 'export', format: 'html' },
      { type: 'revealNode', layer: 1 },
    ]);
    assert.equal(await page.locator('[data-testid="fix-leaky-relu"]').getAttribute('class'), 'primary');
    await hostPost(page, { type: 'status', text: 'Saved cnn-dying.relu-doctor.sarif' });
    assert.equal(await text(page, '[data-testid="status"]'), 'Saved cnn-dying.relu-doctor.sarif');
    await page.close();
  });

  it('focuses a layer the host asks for, and says why there are no fix buttons', async () => {
    const page = await rendered('vscode-dark', { type: 'init', view: { model: MODEL, fileName: 'cnn-dying.onnx', report: cnn, fixes: [], fixNote: 'Run the analysis again to apply fixes.' }, focusLayer: 0 });
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '0');
    assert.equal(await text(page, '[data-testid="fix-note"]'), 'Run the analysis again to apply fixes.');
    await hostPost(page, { type: 'focus', layer: 1 });
    assert.equal(await page.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '1');
    await page.close();
  });

  it('restores the report, sort and selection from its saved state before the host answers', async () => {
    const page = await rendered();
    await page.click('[data-testid="sort-dormant"]');
    await page.click('.bars .bar-row[data-layer="0"] .bar-name');
    const { state } = await recorded(page);
    await page.close();
    const again = await harness.open('vscode-dark', state);
    await again.locator('[data-testid="report-layers"]').waitFor();
    assert.equal(await again.locator('th[data-key="dormant"]').getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await rowOrder(again), ['1', '0']);
    assert.equal(await again.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '0');
    assert.deepEqual((await recorded(again)).posted, [{ type: 'ready' }]);
    // The host's answer (same model) keeps the user's choices.
    await hostPost(again, init(cnn));
    assert.equal(await again.locator('th[data-key="dormant"]').getAttribute('aria-sort'), 'descending');
    assert.equal(await again.locator('[data-testid="layer-detail"]').getAttribute('data-layer'), '0');
    await again.close();
  });

  it('shows before → after a fix per layer, and the layer that is no longer a ReLU', async () => {
    const page = await rendered('vscode-dark', { type: 'init', view: { model: 'file:///work/examples/digits/cnn-dying.fixed.onnx', fileName: 'cnn-dying.fixed.onnx', report: fixed, before: cnn, fixes: [] } });
    const banner = await text(page, '[data-testid="compare-banner"]');
    assert.match(banner, /dead units 23 → 3; proven dead 7 → 3; dormant 2 → 0/);
    assert.match(await text(page, '[data-testid="removed-layers"]'), /\/5\/Relu: 20 of 32 \(63%\) dead → LeakyRelu, which cannot die/);
    assert.equal(await text(page, '[data-testid="report-layers"] tbody tr td:last-child'), '3 → 3');
    await page.screenshot({ path: path.join(SHOTS, 'report-before-after-dark.png'), fullPage: true });
    await page.close();
  });

  for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as const) {
    it(`renders in the ${theme.replace('vscode-', '')} theme (screenshot)`, async () => {
      const page = await rendered(theme);
      await page.locator('[data-testid="report-layers"] tbody tr[tabindex="0"]').focus();
      const shot = path.join(SHOTS, `report-${theme.replace('vscode-', '')}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(fs.statSync(shot).size > 10_000);
      // The colours come from the theme's variables.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, { 'vscode-dark': 'rgb(31, 31, 31)', 'vscode-light': 'rgb(255, 255, 255)', 'vscode-high-contrast': 'rgb(0, 0, 0)' }[theme]);
      assert.deepEqual((await recorded(page)).cspViolations, []);
      await page.close();
    });
  }

  it('renders a hostile report as plain text: no markup, no script runs', async () => {
    const page = await rendered('vscode-dark', init(hostile, {}, '<img src=x onerror="window.__pwned=1">.onnx'));
    const body = await page.evaluate(() => document.body.innerText);
    assert.ok(body.includes('<script>window.__pwned=1</script>'), 'the script node name is shown as text');
    assert.ok(body.includes('<img src=x onerror="window.__pwned=1">'));
    assert.ok(body.includes('<b>Relu</b>'));
    assert.ok(body.includes('<b>custom-id</b>'));
    assert.ok(body.includes(`"'&`));
    await page.locator('[data-testid="random-banner"]').waitFor();
    // Select the other layer too, so every string of both layers has been rendered.
    await page.click('.bars .bar-row[data-layer="0"] .bar-name');
    await page.click('.bars .bar-row[data-layer="1"] .bar-name');
    const counts = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img, iframe, b, i, u').length,
      svgs: Array.from(document.querySelectorAll('svg')).filter((s) => !s.closest('[data-testid="histogram"]')).length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
    }));
    assert.deepEqual(counts, { scripts: 1, imgs: 0, svgs: 0, handlers: 0 });
    const rec = await recorded(page);
    assert.equal(rec.pwned, undefined);
    assert.deepEqual(rec.cspViolations, []);
    await page.screenshot({ path: path.join(SHOTS, 'report-hostile-dark.png'), fullPage: true });
    await page.close();
  });
});
