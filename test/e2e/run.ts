// `npm run test:e2e`: ReLU Doctor in a real VS Code (code-server's, see harness.ts), twice:
//  (a) API level: the mocha suite of test/e2e/suite/ runs inside the remote extension host with the
//      extension loaded from this repository (what @vscode/test-electron's runTests does with
//      extensionDevelopmentPath/extensionTestsPath);
//  (b) user level: the packaged .vsix installed into a fresh code-server, driven in Chromium like a
//      person would: open the model, read the viewer, switch theme, run a command from F1.
// Screenshots and logs land in test-output/e2e/. Exits non-zero on any failure; bounded in time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import {
  cleanup, CodeServer, RemoteUri, installDeadline, installExtension, launchBrowser, makeProfile, openFile, openWorkbench,
  OUTPUT, packageVsix, poll, REPO, runCommand, screenshot, setupCodeServer, startCodeServer, tempDir, waitForEditorText, waitForWebviewFrame, setColorTheme,
} from './harness';

/** The ONNX conformance suite beside the repository (shared/), for the single-Relu model. */
const ONNX_SUITE = process.env.RELU_DOCTOR_ONNX_SUITE ?? path.resolve(REPO, '..', 'shared', 'onnx-backend-node');
/** The digits MLP: input `input`, Gemm/Relu layers named /0/Gemm, /1/Relu, ... */
const MLP = path.join(REPO, 'examples', 'digits', 'mlp-dying.onnx');

interface Outcome {
  name: string;
  error?: string;
}
const outcomes: Outcome[] = [];

/** Runs one named user-level step, recording its outcome; later steps still run unless `fatal`. */
async function step(name: string, fn: () => Promise<void>, fatal = false): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    outcomes.push({ name });
    console.log(`  ✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    outcomes.push({ name, error: msg });
    console.log(`  ✘ ${name}: ${msg}`);
    if (fatal) throw new Error(`stopping after: ${name}`);
    return false;
  }
}

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

/** The title of a contributed command as the Command Palette shows it ("Category: Title"). */
function commandTitle(id: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes?: { commands?: { command: string; title: string; category?: string }[] } };
  const c = pkg.contributes?.commands?.find((x) => x.command === id);
  if (!c) throw new Error(`package.json contributes no command ${id}`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

/** (b) The user-level test: the packaged extension, driven through the UI. */
async function userLevel(installDir: string, browser: Browser, ws: string): Promise<void> {
  console.log('\nUser level: the packaged .vsix in code-server, driven in Chromium');
  const root = tempDir('user');
  const profile = makeProfile(root);
  let cs: CodeServer | undefined;
  let page: Page | undefined;
  const workbenchLog: string[] = [];
  try {
    let vsix = '';
    await step('packages the extension with vsce', async () => {
      vsix = packageVsix(REPO, root);
    }, true);
    await step(`installs ${path.basename(vsix)} with code-server --install-extension`, async () => installExtension(installDir, profile.userDataDir, profile.extensionsDir, vsix), true);
    cs = await startCodeServer(installDir, profile, 'code-server-user');
    const server = cs;
    await step('opens the workspace in the workbench', async () => {
      page = await openWorkbench(browser, server, ws, { onConsole: (line) => workbenchLog.push(line) });
    }, true);
    const p = page as unknown as Page;
    let frame: Frame | undefined;
    await step('opens model.onnx from Quick Open in the ReLU Doctor viewer', async () => {
      await openFile(p, 'model.onnx');
      const tab = p.locator('.tabs-container .tab.active');
      const label = (await tab.getAttribute('aria-label', { timeout: 10_000 })) ?? '';
      if (!label.includes('model.onnx')) throw new Error(`active tab is "${label}"`);
      // The viewer ends in its layer table, or in an error banner (then fail at once, with its text).
      frame = await waitForWebviewFrame(p, '[data-testid="layer-table"], [data-testid="error"]', 90_000);
      const error = frame.locator('[data-testid="error"]');
      if ((await error.count()) > 0) throw new Error(`the viewer shows an error: ${await error.innerText()}`);
    }, true);
    const f = frame as unknown as Frame;
    const textOf = async (testid: string) => (await f.locator(`[data-testid="${testid}"]`).first().innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
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
      const badges = await f.locator('[data-testid="layer-table"] [data-testid="relu-badge"]').count();
      if (badges !== 2) throw new Error(`expected 2 ReLU badges in the layer table (/1/Relu, /3/Relu), found ${badges}`);
      await screenshot(p, 'viewer-dark');
    });
    await step('switches to Default High Contrast and the viewer follows', async () => {
      await setColorTheme(p, server, 'Default High Contrast', 'hc-black');
      await poll(async () => ((await f.locator('body').getAttribute('class', { timeout: 2_000 }))?.includes('vscode-high-contrast') ? true : undefined), 30_000, 'webview body class vscode-high-contrast');
      if (!(await textOf('layer-table')).includes('/1/Relu') || !(await textOf('inputs-table')).includes('input')) throw new Error('the viewer lost its content after the theme change');
      await screenshot(p, 'viewer-hc');
    });
    await step('runs "Open Model as Text" from F1 and the text view names the Relu node', async () => {
      await runCommand(p, commandTitle('reluDoctor.openModelAsText'));
      await waitForEditorText(p, 'Relu', 60_000);
      await screenshot(p, 'model-as-text');
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
  await userLevel(installDir, browser, ws);
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
