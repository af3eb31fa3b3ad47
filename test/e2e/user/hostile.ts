// The hostile model (scripts/fixtures/hostile-model.ts: HTML, script, SVG, style and Markdown
// command links in its names, doc strings, producer and metadata) through every surface in the
// real VS Code: viewer, analysis from F1, report panel, Problems panel, text view and hovers. Each
// string must show literally, no element of a payload may exist in any frame, no payload may run,
// and no model string may become a live link or command.
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { HOSTILE, writeHostile } from '../../../scripts/fixtures/hostile-model';
import { pickInQuickInput, poll, runCommand, screenshot, waitForEditorText } from '../harness';
import type { UserContext } from './flow';
import { analyzeFromF1, commandTitle, maximized, openViewer } from './flow';
import { step } from './steps';
import { assertNoInjection, cliReport, compareWithCli, expectLiteral, hoverLine, injectionTraces, openProblems, readReport } from './ui';

/** Writes hostile/hostile.onnx and hostile/hostile-data.npy into the workspace. */
export function addHostile(ws: string): void {
  writeHostile(path.join(ws, 'hostile'));
}

/** The hostile flow; the model is in the workspace's hostile/ folder. */
export async function hostileFlow(ctx: UserContext): Promise<void> {
  const p = ctx.page;
  const h = HOSTILE;
  let report: Frame | undefined;

  await step('closes all editor groups (View: Close All Editor Groups)', async () => {
    await runCommand(p, 'View: Close All Editor Groups');
    await p.locator('.editor-group-container .tab').first().waitFor({ state: 'detached', timeout: 15_000 });
  });

  const opened = await step('hostile model: the viewer shows every name, doc string, producer and metadata entry as plain text', async () => {
    const v = await openViewer(p, 'hostile.onnx');
    const body = (await v.locator('body').innerText()).replace(/\u00a0/g, ' ');
    expectLiteral('the viewer', body, [h.producer, h.graph, h.metaKey, h.metaValue, h.template, h.input, h.output, '[quit](command:workbench.action.quit) <img id=pwndoc']);
    // The layer table may fill in after the first paint.
    const table = v.locator('[data-testid="layer-table"]');
    await table.filter({ hasText: 'head <iframe' }).waitFor({ timeout: 30_000 });
    expectLiteral('the viewer\'s layer table', (await table.innerText()).replace(/\u00a0/g, ' '), [h.gemm, h.relu, h.head]);
    await screenshot(p, 'hostile-viewer');
    await table.scrollIntoViewIfNeeded({ timeout: 10_000 });
    await screenshot(p, 'hostile-viewer-layers');
    // The scan must see into the webview's nested frame: a planted probe and flag are found, then removed.
    await v.evaluate(() => {
      const probe = document.createElement('i');
      probe.id = 'pwnprobe';
      document.body.append(probe);
      (window as unknown as { __reluPwned?: number }).__reluPwned = 0;
    });
    const seen = await injectionTraces(p);
    await v.evaluate(() => {
      document.getElementById('pwnprobe')?.remove();
      delete (window as unknown as { __reluPwned?: number }).__reluPwned;
    });
    if (!seen.some((t) => t.includes('pwnprobe')) || !seen.some((t) => t.includes('__reluPwned = 0'))) throw new Error(`the injection scan missed a probe planted in the viewer's frame: ${JSON.stringify(seen)}`);
    await assertNoInjection(p, 'viewer');
  });
  if (!opened) return;

  const analysed = await step('hostile model: "Analyze Activations" from F1 with hostile-data.npy; the report shows the strings literally and the CLI\'s numbers', async () => {
    report = await analyzeFromF1(p, 'hostile.onnx', 'hostile-data.npy');
    const r = report;
    const text = (await r.locator('body').innerText()).replace(/\u00a0/g, ' ');
    expectLiteral('the report', text, [h.producer, h.graph, h.relu]);
    const shown = await readReport(r);
    compareWithCli(shown, cliReport(path.join(ctx.ws, 'hostile', 'hostile.onnx'), path.join(ctx.ws, 'hostile', 'hostile-data.npy'), 64));
    // The layer detail (output name, producer) of the dead layer.
    const detail = (await r.locator('[data-testid="layer-detail"]').innerText({ timeout: 15_000 })).replace(/\u00a0/g, ' ');
    expectLiteral('the report\'s layer detail', detail, [h.relu, h.act]);
    await runCommand(p, 'Notifications: Clear All Notifications');
    await screenshot(p, 'hostile-report');
    await assertNoInjection(p, 'report panel');
  });

  await step('hostile model: the Problems panel shows the layer name literally', async () => {
    const rows = await openProblems(p, 'pwnscript2');
    const row = rows.map((x) => x.text).find((t) => t.includes('pwnscript2')) ?? '';
    expectLiteral('the Problems row', row, [`Relu '${h.relu}': 6 of 16`]);
    await screenshot(p, 'hostile-problems');
    await assertNoInjection(p, 'Problems panel');
    await runCommand(p, 'View: Hide Panel');
  });

  if (!analysed) return;
  const r = report as Frame;
  const inText = await step('hostile model: the text view shows the names literally', async () => {
    await r.locator('[data-testid="reveal-node"]').click();
    const text = await waitForEditorText(p, 'pwnscript2', 60_000);
    expectLiteral('the text view', text, [h.relu, h.gemm, '<svg id=pwnsvg onload=window.__reluPwned=2>', h.act]);
    await assertNoInjection(p, 'text view');
  });
  if (!inText) return;

  await step('hostile model: hovers on the Relu and Gemm lines show the names as text; the only links open the report or apply a fix', async () => {
    let relu = { text: '', links: [] as string[] };
    let gemm = { text: '', links: [] as string[] };
    await maximized(p, async () => {
      relu = await hoverLine(p, h.relu, 'Proven dead:');
      await screenshot(p, 'hostile-hover');
      gemm = await hoverLine(p, h.gemm, 'feeds');
      await p.mouse.move(2, 2);
    });
    expectLiteral('the Relu hover', relu.text, [h.relu, h.gemm]);
    expectLiteral('the Gemm hover', gemm.text, [h.gemm, h.relu]);
    for (const [where, links] of [['Relu', relu.links], ['Gemm', gemm.links]] as const) {
      const bad = links.filter((l) => !/^command:reluDoctor\.(showReport|applyFix|copyPytorchFix)\?/.test(l));
      if (bad.length) throw new Error(`the ${where} hover has links besides the report's and the fixes': ${JSON.stringify(bad)}`);
      if (links.filter((l) => l.startsWith('command:reluDoctor.showReport')).length !== 1) throw new Error(`the ${where} hover should have exactly one link to the report, has ${JSON.stringify(links)}`);
    }
    await assertNoInjection(p, 'hovers');
    await p.mouse.move(5, 5);
  });

  await step('hostile model: "Choose Analysis Data…" with data of the wrong shape: the error notification names the input literally, with no live link', async () => {
    await runCommand(p, commandTitle('reluDoctor.chooseData'));
    await pickInQuickInput(p, 'wrong-shape.npy', 'wrong-shape.npy', 'data for hostile.onnx');
    const toast = p.locator('.notifications-toasts .notification-toast', { hasText: 'does not fit' }).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    await poll(async () => ((await toast.evaluate((el) => {
      for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).opacity !== '1') return false;
      return true;
    })) ? true : undefined), 10_000, 'the notification faded in');
    // Shown literally: the same letters (a zero-width space may split "](" so that no link forms).
    const text = (await toast.innerText()).replace(/\u00a0/g, ' ').replace(/\u200b/g, '');
    await screenshot(p, 'hostile-error');
    const traces = await injectionTraces(p);
    const missing = text.includes(h.input) ? [] : [`the notification does not show ${JSON.stringify(h.input)} literally: ${JSON.stringify(text)}`];
    if (traces.length || missing.length) throw new Error([...missing, ...traces].join('; '));
    await runCommand(p, 'Notifications: Clear All Notifications');
  });
}
