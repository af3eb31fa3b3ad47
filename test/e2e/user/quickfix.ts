// The user-level fix: the report's "Replace with Leaky ReLU" button on the dead layer writes
// model.fixed.onnx beside the model, opens it,
// re-analyses it with the same data and shows the report's before → after, whose numbers must
// equal the CLI's JSON for the fixed model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../../src/analysis/report';
import { poll, screenshot, waitForWebviewFrame } from '../harness';
import type { UserContext } from './flow';
import { step } from './steps';
import { cliReport, compareWithCli, readReport } from './ui';

/** Applies "Replace with Leaky ReLU" on `layer`'s line of the open text view; `before` is the CLI's report of the original. */
export async function leakyReluQuickFix(ctx: UserContext, layer: string, before: Report): Promise<void> {
  const p = ctx.page;
  const fixed = path.join(ctx.ws, 'model.fixed.onnx');
  // VS Code offers Ctrl+. only in writable editors and the text view is read-only, so a user applies
  // a fix from the report's buttons (the code actions themselves are tested at API level).
  const applied = await step(`the report's "Replace with Leaky ReLU" button on ${layer} writes model.fixed.onnx`, async () => {
    fs.rmSync(fixed, { force: true });
    const r = await waitForWebviewFrame(p, '[data-testid="layer-detail"]', 30_000, 'ReLU Doctor report: model.onnx');
    const detail = r.locator('[data-testid="layer-detail"]');
    if (!(await detail.innerText()).includes(layer)) throw new Error(`the report's selected layer is not ${layer}`);
    const button = r.locator('[data-testid="fix-leaky-relu"]');
    try {
      await button.waitFor({ state: 'visible', timeout: 15_000 });
    } catch {
      const shown = await r.locator('[data-testid="fixes"] button').allInnerTexts().catch(() => []);
      await screenshot(p, 'quick-fix-failed');
      throw new Error(`the report offers no "Replace with Leaky ReLU" for ${layer}: ${JSON.stringify(shown)}`);
    }
    await button.scrollIntoViewIfNeeded();
    await screenshot(p, 'quick-fix-buttons');
    await button.click();
    await poll(async () => (fs.existsSync(fixed) ? true : undefined), 60_000, 'model.fixed.onnx written beside model.onnx');
  });
  if (!applied) return;

  await step('the fixed model opens and its report shows before → after with the CLI\'s numbers for model.fixed.onnx', async () => {
    const tab = p.locator('.tabs-container .tab', { hasText: 'model.fixed.onnx' }).first();
    await tab.waitFor({ state: 'attached', timeout: 30_000 });
    const report = await waitForWebviewFrame(p, '[data-testid="compare-banner"]', 120_000, 'ReLU Doctor report: model.fixed.onnx');
    const after = cliReport(fixed, path.join(ctx.ws, 'test.npy'), before.samples.count);
    compareWithCli(await readReport(report), after);
    const banner = (await report.locator('[data-testid="compare-banner"]').innerText()).replace(/\s+/g, ' ');
    const want = `dead units ${before.totals.dead} → ${after.totals.dead}`;
    if (!banner.includes(want)) throw new Error(`the before → after banner does not read "${want}": ${banner}`);
    if (after.layers.some((l) => l.node === layer)) throw new Error(`${layer} is still a ReLU layer in the fixed model (CLI)`);
    if (!banner.includes(layer)) throw new Error(`the banner does not list ${layer} as no longer able to die: ${banner}`);
    await screenshot(p, 'quick-fix-report');
  });
}

