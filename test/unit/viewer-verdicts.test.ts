// The model viewer shows the latest analysis's verdicts on its layer list: the pure message
// builder, and the viewer webview in Chromium with the digits CNN and its recorded report.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../src/analysis/report';
import { loadModel } from '../../src/onnx/load';
import { summarizeModel } from '../../src/onnx/summary';
import { verdictsMessage } from '../../src/protocol/viewer';
import { CHROMIUM, hostPost, recorded, ReportHarness, SHOTS, startHarness } from '../webview/harness';

const ROOT = path.join(__dirname, '..', '..');
const report: Report = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/reports/cnn-dying.json'), 'utf8'));

describe('viewer verdicts: message', () => {
  it('carries per-node dead, proven dead, dormant, units and severity for main-graph layers', () => {
    const m = verdictsMessage(report);
    assert.deepEqual(m, {
      type: 'verdicts',
      verdicts: [
        { index: report.layers[0].nodeIndex, units: 16, dead: 3, provenDead: 3, dormant: 0, severity: 'warning' },
        { index: report.layers[1].nodeIndex, units: 32, dead: 20, provenDead: 4, dormant: 2, severity: 'error' },
      ],
      source: '360 samples from examples/digits/test-images.npy',
      random: false,
    });
  });

  it('leaves out layers inside subgraphs, and clears without a report', () => {
    const sub = { ...report, layers: [{ ...report.layers[0], graphPath: 'loop/body' }, report.layers[1]] };
    assert.deepEqual(verdictsMessage(sub).verdicts.map((v) => v.units), [32]);
    assert.deepEqual(verdictsMessage(undefined), { type: 'verdicts', verdicts: [], source: '', random: false });
  });
});

describe('viewer verdicts in Chromium', function () {
  let harness: ReportHarness;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`    (skipped: ${CHROMIUM} is not installed)`);
      this.skip();
    }
    harness = await startHarness();
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await harness?.close();
  });

  it('shows a Verdict column once verdicts arrive, and hides it when they are cleared', async () => {
    const summary = summarizeModel(loadModel(path.join(ROOT, 'examples/digits/cnn-dying.onnx')));
    const page = await harness.open('vscode-dark', undefined, 'viewer');
    await hostPost(page, { type: 'init', generation: 1, fileName: 'cnn-dying.onnx', byteLength: 1000, summary, layerCount: summary.layers.length });
    await page.locator('[data-testid="layer-table"]').waitFor();
    assert.equal(await page.locator('th.verdict').isVisible(), false);
    await hostPost(page, verdictsMessage(report));
    await page.locator('[data-testid="verdict"]').first().waitFor();
    const cells = await page.$$eval('[data-testid="verdict"]', (b) => b.map((x) => [x.textContent, x.className]));
    assert.deepEqual(cells, [['3 / 16 dead', 'verdict-badge sev-warning'], ['20 / 32 dead', 'verdict-badge sev-error']]);
    const row = page.locator(`tr[data-index="${report.layers[1].nodeIndex}"]`);
    assert.match(await row.innerText(), /20 \/ 32 dead\s+4 proven\s+2 dormant/);
    assert.equal(await page.locator('[data-testid="verdict-source"]').innerText(), 'Verdicts from the last analysis: 360 samples from examples/digits/test-images.npy.');
    assert.equal(await page.locator('th.verdict').isVisible(), true);
    await page.screenshot({ path: path.join(SHOTS, 'viewer-verdicts-dark.png'), fullPage: true });
    // Verdicts survive a filter change (rows are re-drawn), and clear.
    await page.check('[data-testid="relu-only"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="layer-table"] tbody tr').length === 2);
    assert.equal(await page.locator('[data-testid="verdict"]').count(), 2);
    await hostPost(page, verdictsMessage(undefined));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="verdict"]').length === 0);
    assert.equal(await page.locator('th.verdict').isVisible(), false);
    assert.deepEqual((await recorded(page)).cspViolations, []);
    await page.close();
  });
});
