// The conformance gate inside `npm test`: every ONNX backend node case whose ops we support must
// pass, except the few in known-failures.json (each a feature the op refuses, with the reason).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseResult, listCases, runCase, suiteDir } from './suite';

const known: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'known-failures.json'), 'utf8'));

describe('ONNX conformance suite', function () {
  this.timeout(10 * 60 * 1000);

  it('passes every case of a supported op (except known-failures.json)', function () {
    const dir = suiteDir();
    if (!fs.existsSync(dir)) this.skip();
    const results: CaseResult[] = listCases(dir).map((name) => runCase(dir, name, { timeoutMs: 30_000 }));
    const unexpected = results.filter((r) => r.status === 'failed' && !(r.name in known));
    const byName = new Map(results.map((r) => [r.name, r]));
    const stale = Object.keys(known).filter((n) => byName.get(n)?.status !== 'failed');
    const lines = [
      ...unexpected.map((r) => `${r.name} [${r.op}]: ${r.message}`),
      ...stale.map((n) => `${n}: listed in known-failures.json but ${byName.get(n)?.status ?? 'not in the suite'}; remove it from the list`),
    ];
    assert.ok(results.some((r) => r.status === 'passed'), 'no case passed: is the suite folder right?');
    assert.equal(lines.length, 0, `${lines.length} conformance problems:\n${lines.join('\n')}`);
  });
});
