// Self-test of the e2e harness, independent of ReLU Doctor: packages the tiny extension in
// test/e2e/fixtures/harness-fixture/, installs it into code-server and drives it in Chromium with
// the same helpers the real user-level test uses (Quick Open, webview frames, theme switch, F1).
// Run: `node scripts/e2e/bundle.mjs && node out/e2e/selftest.js`. Screenshots: test-output/e2e/selftest-*.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  cleanup, installDeadline, installExtension, launchBrowser, makeProfile, openFile, openWorkbench, packageVsix, poll, REPO,
  runCommand, screenshot, setupCodeServer, startCodeServer, tempDir, waitForEditorText, waitForWebviewFrame, setColorTheme,
} from './harness';

let page: Page | undefined;

async function main(): Promise<void> {
  installDeadline(5 * 60_000, 'the harness self-test');
  const installDir = setupCodeServer();
  const root = tempDir('selftest');
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'sample.fixture'), 'input x\nRelu y\n<script>alert(1)</script>\n');
  const vsix = packageVsix(path.join(REPO, 'test', 'e2e', 'fixtures', 'harness-fixture'), root, ['--allow-missing-repository']);
  const profile = makeProfile(root);
  installExtension(installDir, profile.userDataDir, profile.extensionsDir, vsix);
  const cs = await startCodeServer(installDir, profile, 'code-server-selftest');
  const browser = await launchBrowser();
  page = await openWorkbench(browser, cs, ws);
  await openFile(page, 'sample.fixture');
  const frame = await waitForWebviewFrame(page, '[data-testid="fixture-table"]');
  const text = await frame.locator('body').innerText();
  for (const want of ['Fixture viewer', 'input x', 'Relu y', '<script>alert(1)</script>']) {
    if (!text.includes(want)) throw new Error(`webview lacks "${want}": ${text}`);
  }
  await screenshot(page, 'selftest-dark');
  await setColorTheme(page, cs, 'Default High Contrast', 'hc-black');
  await poll(async () => ((await frame.locator('body').getAttribute('class'))?.includes('vscode-high-contrast') ? true : undefined), 30_000, 'webview high-contrast class');
  await screenshot(page, 'selftest-hc');
  await runCommand(page, 'Harness Fixture: Show Text');
  await waitForEditorText(page, 'harness fixture text: Relu');
  await screenshot(page, 'selftest-text');
  await cs.stop();
  console.log('harness self-test: 1 passed, 0 failed');
}

main().then(
  async () => {
    await cleanup();
    process.exit(0);
  },
  async (e: unknown) => {
    console.error(`harness self-test failed: ${e instanceof Error ? e.message : String(e)}`);
    if (page) await screenshot(page, 'selftest-failure').catch(() => undefined);
    console.log('harness self-test: 0 passed, 1 failed');
    await cleanup();
    process.exit(1);
  },
);
