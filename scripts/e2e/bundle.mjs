// Bundles the end-to-end tests for Node: the runners (test/e2e/run.ts, test/e2e/electron.ts) and
// each API-level suite file (test/e2e/suite/*.ts) into out/e2e/, as CommonJS with `vscode` and the
// installed packages (mocha, playwright-core, @vscode/test-electron) left external.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const suite = readdirSync('test/e2e/suite').filter((f) => f.endsWith('.ts')).map((f) => `test/e2e/suite/${f}`);
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', packages: 'external', external: ['vscode'], logLevel: 'warning' };

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['test/e2e/run.ts', 'test/e2e/electron.ts', 'test/e2e/selftest.ts'], outdir: 'out/e2e' }),
  esbuild.build({ ...common, entryPoints: suite, outdir: 'out/e2e/suite' }),
]);
