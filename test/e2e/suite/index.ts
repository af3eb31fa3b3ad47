// The tests module VS Code's extension host loads (extensionTestsPath): runs every
// out/e2e/suite/*.test.js with mocha inside the real extension host, as @vscode/test-electron's
// runTests and the code-server runner (test/e2e/run.ts) both expect. Mocha's report goes to the
// extension host's console and, when RELU_DOCTOR_E2E_REPORT names a file, to that file too (the
// code-server runner prints it: the remote extension host's console does not reach the browser).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Runs the suite; rejects when a test fails. */
export function run(): Promise<void> {
  const report = process.env.RELU_DOCTOR_E2E_REPORT;
  if (report) {
    fs.writeFileSync(report, '');
    const log = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      fs.appendFileSync(report, `${format(...args)}\n`);
      log(...args);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
