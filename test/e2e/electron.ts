// `npm run test:electron`: the same API-level suite (test/e2e/suite/) through @vscode/test-electron,
// for machines that can download a desktop VS Code (CI here cannot; it uses test/e2e/run.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '..', '..');
const ONNX_SUITE = process.env.RELU_DOCTOR_ONNX_SUITE ?? path.resolve(REPO, '..', 'shared', 'onnx-backend-node');

async function main(): Promise<void> {
  // The same workspace the code-server runner opens: model.onnx (digits MLP) and relu.onnx.
  const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-electron-')), 'models');
  fs.mkdirSync(ws);
  fs.copyFileSync(path.join(REPO, 'examples', 'digits', 'mlp-dying.onnx'), path.join(ws, 'model.onnx'));
  fs.copyFileSync(path.join(ONNX_SUITE, 'test_relu', 'model.onnx'), path.join(ws, 'relu.onnx'));
  const report = path.join(REPO, 'test-output', 'e2e', 'electron-mocha.log');
  fs.mkdirSync(path.dirname(report), { recursive: true });
  await runTests({
    version: process.env.RELU_DOCTOR_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: REPO,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    extensionTestsEnv: { RELU_DOCTOR_E2E_REPORT: report },
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((e: unknown) => {
  console.error(`test:electron: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
