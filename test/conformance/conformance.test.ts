// The conformance gate inside `npm test`: every ONNX backend node case must pass or be unsupported
// (a missing op, or a variant an op refuses with an `unsupported` error); zero wrong results.
// known-failures.json can hold a case with its reason while a fix is under way; it should stay empty.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseResult, listCases, runCase, suiteDir } from './suite';

const known: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'known-failures.json'), 'utf8'));

/** The bar: at least this many of the 1,802 cases pass (a drop means ops were lost). */
const MIN_PASSED = 1778;

describe('ONNX conformance suite', function () {
  this.timeout(10 * 60 * 1000);

  it('passes every case that is not unsupported (except known-failures.json)', function () {
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
    assert.equal(lines.length, 0, `${lines.length} conformance problems:\n${lines.join('\n')}`);
    const passed = results.filter((r) => r.status === 'passed').length;
    assert.ok(results.length < 1000 || passed >= MIN_PASSED, `only ${passed} of ${results.length} cases pass (at least ${MIN_PASSED} expected)`);
    assert.ok(passed > 0, 'no case passed: is the suite folder right?');
  });
});
