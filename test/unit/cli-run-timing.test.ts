// `relu-doctor run --repeat/--json/--threads` and `--inputs random`: timing output shape (no timed
// assertions), seeded random feeds with --dim for symbolic dims, clear usage errors.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand } from '../../src/cli/run';
import { UsageError } from '../../src/cli/errors';
import { decodeNpy } from '../../src/data/npy';
import { DataType } from '../../src/onnx/ir';
import { ModelBuilder } from '../helpers/model-builder';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const write = process.stdout.write;
  const ewrite = process.stderr.write;
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    return { code: await runCommand(argv), out, err };
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
}

describe('cli: relu-doctor run --repeat / --inputs random', () => {
  let dir: string;
  let model: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-run-timing-'));
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.FLOAT, ['batch', 3]);
    b.init('W', DataType.FLOAT, [3, 2], [1, 0, 0, 1, 1, 1]);
    b.node('MatMul', ['x', 'W'], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, ['batch', 2]);
    model = path.join(dir, 'model.onnx');
    fs.writeFileSync(model, b.bytes());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints median, min and max ms per run and the thread count', async () => {
    const r = await run([model, '--inputs', 'random', '--repeat', '5', '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as Record<string, number>;
    assert.deepEqual(Object.keys(j), ['medianMs', 'minMs', 'maxMs', 'threads']);
    assert.equal(j.threads, 1);
    assert.ok(j.minMs >= 0 && j.minMs <= j.medianMs && j.medianMs <= j.maxMs);
  });

  it('prints one timing line without --json', async () => {
    const r = await run([model, '--inputs', 'random', '--repeat', '3', '--threads', '1']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^3 runs after 1 warm-up, 1 thread: median [\d.]+ ms, min [\d.]+ ms, max [\d.]+ ms per run\n$/);
  });

  it('random inputs: --dim sizes symbolic dims, the seed makes them reproducible, and unset dims are noted', async () => {
    const outs = ['a', 'b', 'c'].map((n) => path.join(dir, n));
    await run([model, '--inputs', 'random', '--dim', 'batch=4', '--seed', '7', '--outputs', outs[0], '--format', 'npy']);
    await run([model, '--inputs', 'random', '--dim', 'batch=4', '--seed', '7', '--outputs', outs[1], '--format', 'npy']);
    const a = decodeNpy(fs.readFileSync(path.join(outs[0], 'output_0.npy')), 'a');
    const b = decodeNpy(fs.readFileSync(path.join(outs[1], 'output_0.npy')), 'b');
    assert.deepEqual(a.shape, [4, 2]);
    assert.deepEqual(a.data, b.data);
    const r = await run([model, '--inputs', 'random', '--seed', '8', '--outputs', outs[2], '--format', 'npy']);
    assert.match(r.err, /dimension 0 \('batch'\) is symbolic; set to 1 \(pass --dim batch=N/);
    const c = decodeNpy(fs.readFileSync(path.join(outs[2], 'output_0.npy')), 'c');
    assert.deepEqual(c.shape, [1, 2]);
    assert.notDeepEqual(Array.from(c.data as Float32Array), Array.from((a.data as Float32Array).subarray(0, 2)));
  });

  it('refuses other thread counts, bad --repeat, --json without --repeat, and --compare with random inputs', async () => {
    await assert.rejects(run([model, '--inputs', 'random', '--repeat', '2', '--threads', '2']), (e: Error) => e instanceof UsageError && /--threads 2: the executor runs each model on one thread/.test(e.message));
    await assert.rejects(run([model, '--inputs', 'random', '--repeat', '0']), (e: Error) => e instanceof UsageError && /--repeat takes an integer from 1/.test(e.message));
    await assert.rejects(run([model, '--inputs', 'random', '--repeat', 'x']), UsageError);
    await assert.rejects(run([model, '--inputs', 'random', '--json']), /--json prints timings; add --repeat N/);
    await assert.rejects(run([model, '--inputs', 'random', '--compare']), /--compare needs expected outputs/);
    await assert.rejects(run([model, '--inputs', 'random', '--dim', 'batch=0']), /--dim takes NAME=N with N ≥ 1/);
    await assert.rejects(run([model, '--inputs', 'random', '--dim', 'batch=99999999999']), /more than random inputs allow/);
  });
});
