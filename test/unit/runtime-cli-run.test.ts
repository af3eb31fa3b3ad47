// `relu-doctor run`: inputs from a test-data folder, .npy and .npz; outputs as .pb and .npy;
// --compare with max errors and exit 1 on a mismatch; usage errors; never overwriting inputs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand, toProto } from '../../src/cli/run';
import { UsageError } from '../../src/cli/errors';
import { decodeNpy, encodeNpy } from '../../src/data/npy';
import { encodeNpz } from '../../src/data/npz';
import { DataType } from '../../src/onnx/ir';
import { loadTensorFile } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { encodeTensor } from '../../src/onnx/write';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { ModelBuilder } from '../helpers/model-builder';

/** Runs the command with stdout captured. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    return { code: await runCommand(argv), out };
  } finally {
    process.stdout.write = write;
  }
}

describe('cli: relu-doctor run', () => {
  let dir: string;
  let model: string;
  const x = makeTensor(DataType.FLOAT, [1, 3], Float32Array.from([1, 2, 3]));
  // y = x·W with W = [[1,0],[0,1],[1,1]] → [4, 5]
  const want = makeTensor(DataType.FLOAT, [1, 2], Float32Array.from([4, 5]));

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-run-'));
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.FLOAT, [1, 3]);
    b.init('W', DataType.FLOAT, [3, 2], [1, 0, 0, 1, 1, 1]);
    b.node('MatMul', ['x', 'W'], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 2]);
    model = path.join(dir, 'model.onnx');
    fs.writeFileSync(model, b.bytes());
    const set = path.join(dir, 'test_data_set_0');
    fs.mkdirSync(set);
    fs.writeFileSync(path.join(set, 'input_0.pb'), encodeTensor(toProto('x', x)));
    fs.writeFileSync(path.join(set, 'output_0.pb'), encodeTensor(toProto('y', want)));
    const bad = path.join(dir, 'bad_set');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'input_0.pb'), encodeTensor(toProto('x', x)));
    fs.writeFileSync(path.join(bad, 'output_0.pb'), encodeTensor(toProto('y', makeTensor(DataType.FLOAT, [1, 2], Float32Array.from([4, 5.1])))));
    fs.writeFileSync(path.join(dir, 'x.npy'), encodeNpy(x));
    fs.writeFileSync(path.join(dir, 'in.npz'), encodeNpz({ x }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compares with output_N.pb beside the inputs and reports max errors', async () => {
    const r = await run([model, '--inputs', path.join(dir, 'test_data_set_0'), '--compare']);
    assert.equal(r.code, 0);
    assert.match(r.out, /output 0 "y": ok \(max abs err 0, max rel err 0\)/);
  });

  it('exits 1 on a mismatch beyond tolerance', async () => {
    const r = await run([model, '--inputs', path.join(dir, 'bad_set'), '--compare']);
    assert.equal(r.code, 1);
    assert.match(r.out, /output 0 "y": MISMATCH 1 of 2 values differ; first at 1: got 5, expected 5\.1/);
  });

  it('reads .npy and .npz inputs and prints the outputs', async () => {
    for (const f of ['x.npy', 'in.npz']) {
      const r = await run([model, '--inputs', path.join(dir, f)]);
      assert.equal(r.code, 0);
      assert.match(r.out, /^y: float \[1,2\] min 4 max 5 mean 4\.5\n {2}4 5\n$/);
    }
  });

  it('writes output_N.pb and output_N.npy files', async () => {
    const out = path.join(dir, 'out');
    assert.equal((await run([model, '--inputs', path.join(dir, 'x.npy'), '--outputs', out])).code, 0);
    const t = loadTensorFile(path.join(out, 'output_0.pb'));
    assert.equal(t.name, 'y');
    assert.deepEqual(Array.from(tensorValues(t) as Float32Array), [4, 5]);
    assert.equal((await run([model, '--inputs', path.join(dir, 'x.npy'), '--outputs', out, '--format', 'npy'])).code, 0);
    const n: Tensor = decodeNpy(fs.readFileSync(path.join(out, 'output_0.npy')), 'o.npy');
    assert.deepEqual(Array.from(n.data as Float32Array), [4, 5]);
  });

  it('never overwrites inputs or the expected outputs', async () => {
    await assert.rejects(run([model, '--inputs', path.join(dir, 'test_data_set_0'), '--outputs', path.join(dir, 'test_data_set_0')]), /holds the expected output_N\.pb/);
    const inDir = path.join(dir, 'npyin');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'output_0.npy'), encodeNpy(x));
    await assert.rejects(run([model, '--inputs', path.join(inDir, 'output_0.npy'), '--outputs', inDir, '--format', 'npy']), /refusing to overwrite the input file/);
    assert.deepEqual(Array.from(decodeNpy(fs.readFileSync(path.join(inDir, 'output_0.npy')), 'o').data as Float32Array), [1, 2, 3]);
  });

  it('raises usage errors for bad command lines and model/data errors otherwise', async () => {
    await assert.rejects(run([model]), (e: Error) => e instanceof UsageError && /--inputs PATH is required/.test(e.message));
    await assert.rejects(run([model, '--inputs', dir, '--format', 'txt', '--outputs', dir]), (e: Error) => e instanceof UsageError && /--format must be pb or npy/.test(e.message));
    await assert.rejects(run([model, '--inputs', dir, '--bogus']), (e: Error) => e instanceof UsageError);
    await assert.rejects(run([model, '--inputs', path.join(dir, 'nope.npy')]), (e: Error) => !(e instanceof UsageError) && /no such file or folder/.test(e.message));
    await assert.rejects(run([model, '--inputs', dir]), /no input_N\.pb files \(the model's inputs are x\)/);
  });
});
