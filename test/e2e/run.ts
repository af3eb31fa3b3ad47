// `npm run test:e2e`: ReLU Doctor in a real VS Code (code-server's, see harness.ts), twice:
//  (a) API level: the mocha suite of test/e2e/suite/ runs inside the remote extension host with the
//      extension loaded from this repository (what @vscode/test-electron's runTests does with
//      extensionDevelopmentPath/extensionTestsPath);
//  (b) user level: the packaged .vsix installed into a fresh code-server, driven in Chromium like a
//      person would (test/e2e/user/): open the digits MLP, analyse it from F1 with its test set, read
//      the report (dark, high-contrast, light), the Problems panel and the hover against the CLI's
//      JSON, then the same surfaces with a hostile model whose strings must stay plain text.
// Screenshots and logs land in test-output/e2e/. Exits non-zero on any failure; bounded in time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  cleanup, CodeServer, RemoteUri, installDeadline, installExtension, launchBrowser, makeProfile, openWorkbench,
  OUTPUT, packageVsix, REPO, runCommand, screenshot, setupCodeServer, startCodeServer, tempDir, waitForEditorText,
} from './harness';
import { addDigits, commandTitle, digitsFlow, openViewer } from './user/flow';
import { addHostile, hostileFlow } from './user/hostile';
import { outcomes, step } from './user/steps';

/** The ONNX conformance suite beside the repository (shared/), for the single-Relu model. */
const ONNX_SUITE = process.env.RELU_DOCTOR_ONNX_SUITE ?? path.resolve(REPO, '..', 'shared', 'onnx-backend-node');
/** The digits MLP: input `input`, Gemm/Relu layers named /0/Gemm, /1/Relu, ... */
const MLP = path.join(REPO, 'examples', 'digits', 'mlp-dying.onnx');

/** A workspace folder holding model.onnx (digits MLP) and relu.onnx (the suite's test_relu). */
function makeWorkspace(): string {
  const ws = path.join(tempDir('ws'), 'models');
  fs.mkdirSync(ws);
  fs.copyFileSync(MLP, path.join(ws, 'model.onnx'));
  const relu = path.join(ONNX_SUITE, 'test_relu', 'model.onnx');
  if (!fs.existsSync(relu)) throw new Error(`e2e: ${relu} is missing (set RELU_DOCTOR_ONNX_SUITE to the onnx-backend-node folder)`);
  fs.copyFileSync(relu, path.join(ws, 'relu.onnx'));
  return ws;
}

/** The init script that adds developmentOptions to the workbench's configuration before it starts. */
function devOptionsScript(extensionUri: RemoteUri, testsUri: RemoteUri): string {
  const dev = JSON.stringify({ extensions: [extensionUri], extensionTestsPath: testsUri });
  return `(() => {
    const dev = ${dev};
    const patch = () => {
      const el = document.getElementById('vscode-workbench-web-configuration');
      const raw = el && el.getAttribute('data-settings');
      if (!raw) return false;
      const s = JSON.parse(raw);
      s.developmentOptions = Object.assign({}, s.developmentOptions, dev);
      el.setAttribute('data-settings', JSON.stringify(s));
      window.__reluDoctorE2EPatched = true;
      return true;
    };
    if (!patch()) {
      const mo = new MutationObserver(() => { if (patch()) mo.disconnect(); });
      mo.observe(document, { childList: true, subtree: true });
    }
  })();`;
}

/** (a) The API-level suite inside the extension host; returns mocha's [passed, failed]. */
async function apiLevel(installDir: string, browser: Browser, ws: string): Promise<[number, number]> {
  console.log('\nAPI level: mocha inside the extension host');
  const t0 = Date.now();
  const report = path.join(OUTPUT, 'api-mocha.log');
  fs.rmSync(report, { force: true });
  const profile = makeProfile(tempDir('api'));
  const cs = await startCodeServer(installDir, profile, 'code-server-api', { RELU_DOCTOR_E2E_REPORT: report });
  const workbenchLog: string[] = [];
  let settle: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (settle = r));
  try {
    const page = await openWorkbench(browser, cs, ws, {
      initScript: devOptionsScript(cs.remoteUri(REPO), cs.remoteUri(path.join(REPO, 'out', 'e2e', 'suite', 'index.js'))),
      expose: {
        codeAutomationLog: (type: string, args: unknown) => void workbenchLog.push(`[${type}] ${typeof args === 'string' ? args : JSON.stringify(args)}`),
        codeAutomationExit: (code: number) => settle(code),
      },
      onConsole: (line) => workbenchLog.push(line),
    });
    if (!(await page.evaluate(() => (window as unknown as { __reluDoctorE2EPatched?: boolean }).__reluDoctorE2EPatched === true))) {
      throw new Error('e2e: the init script did not find the workbench configuration to add developmentOptions');
    }
    const code = await Promise.race([exited, new Promise<number>((_, rej) => setTimeout(() => rej(new Error('the API-level suite did not report within 5 min')), 5 * 60_000))]);
    await page.context().close();
    const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
    console.log(text || '(mocha wrote no report)');
    console.log(`API level: extension host exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const passed = Number(/(\d+) passing/.exec(text)?.[1] ?? 0);
    const failed = Number(/(\d+) failing/.exec(text)?.[1] ?? 0);
    if (code !== 0 && failed === 0) {
      // The suite did not run (e.g. the extension or the tests module failed to load).
      console.log(`extension host exited with ${code} before mocha reported; workbench log:\n${workbenchLog.slice(-80).join('\n')}`);
      return [passed, 1];
    }
    return [passed, failed];
  } catch (e) {
    console.log(`API level failed: ${e instanceof Error ? e.message : String(e)}\nworkbench log (last lines):\n${workbenchLog.slice(-80).join('\n')}`);
    return [0, 1];
  } finally {
    fs.writeFileSync(path.join(OUTPUT, 'api-workbench.log'), workbenchLog.join('\n'));
    await cs.stop();
  }
}

/** The user-level workspace: the digits MLP as model.onnx with test.npy, and hostile/ (the hostile model and its data). */
function makeUserWorkspace(): string {
  const ws = path.join(tempDir('user-ws'), 'models');
  fs.mkdirSync(ws);
  addDigits(ws);
  addHostile(ws);
  return ws;
}

/** (b) The user-level test: the packaged extension, driven through the UI. */
async function userLevel(installDir: string, browser: Browser): Promise<void> {
  console.log('\nUser level: the packaged .vsix in code-server, driven in Chromium');
  const root = tempDir('user');
  const profile = makeProfile(root);
  let cs: CodeServer | undefined;
  let page: Page | undefined;
  const workbenchLog: string[] = [];
  try {
    const ws = makeUserWorkspace();
    let vsix = '';
    await step('packages the extension with vsce', async () => {
      vsix = packageVsix(REPO, root);
    }, true);
    await step(`installs ${path.basename(vsix)} with code-server --install-extension`, async () => installExtension(installDir, profile.userDataDir, profile.extensionsDir, vsix), true);
    cs = await startCodeServer(installDir, profile, 'code-server-user');
    const server = cs;
    await step('opens the workspace in the workbench', async () => {
      page = await openWorkbench(browser, server, ws, { onConsole: (line) => workbenchLog.push(line), viewport: { width: 1440, height: 900 } });
    }, true);
    const ctx = { page: page as unknown as Page, server, ws };
    await digitsFlow(ctx);
    await hostileFlow(ctx);
    await step('runs "Open Model as Text" from F1 on the focused viewer and the text view names the Relu node', async () => {
      await openViewer(ctx.page, 'model.onnx');
      await runCommand(ctx.page, commandTitle('reluDoctor.openModelAsText'));
      await waitForEditorText(ctx.page, '["/3/Relu"]', 60_000);
      await screenshot(ctx.page, 'model-as-text');
    });
  } catch {
    /* a fatal step failed; it is already recorded */
  } finally {
    if (page) await screenshot(page, 'user-level-final').catch(() => undefined);
    fs.writeFileSync(path.join(OUTPUT, 'user-workbench.log'), workbenchLog.join('\n'));
    await cs?.stop();
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('e2e: dist/extension.js is missing: run `npm run build` first');
  if (!fs.existsSync(path.join(REPO, 'out', 'e2e', 'suite', 'index.js'))) throw new Error('e2e: out/e2e/suite is missing: run `node scripts/e2e/bundle.mjs` first');
  const installDir = setupCodeServer(); // bounded on its own (6 min)
  const cancel = installDeadline(10 * 60_000, 'npm run test:e2e');
  const ws = makeWorkspace();
  const browser = await launchBrowser();
  const [apiPassed, apiFailed] = await apiLevel(installDir, browser, ws);
  await userLevel(installDir, browser);
  await cleanup();
  cancel();
  const userPassed = outcomes.filter((o) => !o.error).length;
  const userFailed = outcomes.length - userPassed;
  console.log(`\ne2e: API level ${apiPassed} passed, ${apiFailed} failed; user level ${userPassed} passed, ${userFailed} failed; ${((Date.now() - t0) / 1000).toFixed(0)} s; screenshots in ${path.relative(REPO, OUTPUT)}/`);
  console.log(`e2e: ${apiPassed + userPassed} passed, ${apiFailed + userFailed} failed`);
  return apiFailed + userFailed === 0 && apiPassed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    await cleanup();
    process.exit(1);
  },
);
