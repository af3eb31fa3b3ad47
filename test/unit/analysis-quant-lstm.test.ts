// Whole quantized and recurrent models end to end: a QDQ CNN, a CNN whose QLinearConv clamps at
// its uint8 zero point (an implicit ReLU) and an LSTM classifier agree with onnxruntime-node, and
// the analysis and `relu-doctor analyze --json` (the built CLI) report their ReLU sites with the chosen dead units.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { DataType } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');
const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

const int8s = (b: ModelBuilder, n: number): Int8Array => Int8Array.from({ length: n }, () => Math.max(-127, Math.min(127, Math.round(b.rng.normal() * 40))));

/** Runs `b`'s model on ours and onnxruntime-node; asserts the float output agrees; returns the model file. */
async function agree(b: ModelBuilder, dir: string, name: string, x: Tensor): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, b.bytes());
  const ours = createSession(b.build()).runSync({ x }).y;
  // Unoptimized: onnxruntime would otherwise fuse Q/DQ pairs into integer kernels that round differently.
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'disabled' });
  const type = x.dtype === DataType.UINT8 ? 'uint8' : 'float32';
  const theirs = (await session.run({ x: new ort.Tensor(type, x.data, [...x.shape]) })).y;
  assert.deepEqual([...ours.shape], [...theirs.dims].map(Number));
  const g = ours.data as Float32Array;
  const w = theirs.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i] - w[i]) / (1e-3 + Math.abs(w[i])));
  assert.ok(worst <= 1e-4, `${name}: ours vs onnxruntime-node, worst relative difference ${worst}`);
  return file;
}

/** The built CLI's `analyze --json -` report of a model file. */
function cli(file: string, samples: number): Report {
  const args = [CLI, 'analyze', file, '--samples', String(samples), '--workers', '1', '--json', '-'];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Report;
}

function layer(r: Report, op: string) {
  const l = r.layers.find((x) => x.op === op);
  assert.ok(l, `a ${op} site among ${r.layers.map((x) => `${x.node} (${x.op})`).join(', ')}`);
  return l;
}

describe('analysis: quantized and recurrent models end to end', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-qlstm-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('QDQ CNN: Q/DQ around Conv and Relu; the Relu is a site linked to the Conv, channel 0 (bias −100) dead', async () => {
    const b = new ModelBuilder({ opset: 13, seed: 5 });
    b.input('x', DataType.FLOAT, ['N', 1, 8, 8]);
    const xs = b.init('xs', DataType.FLOAT, [], [0.02]);
    const xz = b.init('xz', DataType.UINT8, [], [128]);
    const xd = b.op('DequantizeLinear', [b.op('QuantizeLinear', ['x', xs, xz]), xs, xz]);
    const wd = b.op('DequantizeLinear', [b.init('wq', DataType.INT8, [4, 1, 3, 3], int8s(b, 36)), b.init('ws', DataType.FLOAT, [4], [0.01, 0.02, 0.015, 0.01]), b.init('wz', DataType.INT8, [4], [0, 0, 0, 0])], { axis: 0 });
    const conv = b.op('Conv', [xd, wd, b.init('cb', DataType.FLOAT, [4], [-100, 0.1, 0, 0.2])], { pads: [1, 1, 1, 1] }, { name: 'conv' });
    const cs = b.init('cs', DataType.FLOAT, [], [0.05]);
    const cz = b.init('cz', DataType.UINT8, [], [128]);
    const pre = b.op('DequantizeLinear', [b.op('QuantizeLinear', [conv, cs, cz]), cs, cz]);
    const relu = b.op('Relu', [pre], {}, { name: 'relu' });
    const rs = b.init('rs', DataType.FLOAT, [], [0.03]);
    const rz = b.init('rz', DataType.UINT8, [], [0]);
    const act = b.op('DequantizeLinear', [b.op('QuantizeLinear', [relu, rs, rz]), rs, rz]);
    const flat = b.op('Flatten', [b.op('MaxPool', [act], { kernel_shape: [2, 2], strides: [2, 2] })]);
    b.node('Gemm', [flat, b.randn('fw', [10, 64], 0.1), b.randn('fb', [10], 0.1)], { transB: 1 }, { name: 'fc', outputs: ['y'] });
    b.output('y');
    const x = makeTensor(DataType.FLOAT, [4, 1, 8, 8], Float32Array.from({ length: 256 }, () => b.rng.normal()));
    const file = await agree(b, dir, 'qdq-cnn.onnx', x);

    const r = await analyzeModel(file, { samples: 32, workers: 1 });
    const l = layer(r, 'Relu');
    assert.equal(l.node, 'relu');
    assert.equal(l.units, 4);
    assert.equal(l.unitAxis, 1);
    assert.equal(l.producer?.node, 'conv');
    assert.deepEqual(l.dead, [0]);
    assert.deepEqual(cli(file, 32).layers.map((x) => [x.node, x.units, x.dead]), [['relu', 4, [0]]]);
  });

  it('QLinearConv with a uint8 output zero point of 0 is a ReLU site (its clamp), channel 1 dead', async () => {
    const b = new ModelBuilder({ opset: 13, seed: 7 });
    b.input('x', DataType.UINT8, ['N', 2, 6, 6]);
    const q = b.op('QLinearConv', ['x', b.init('xs', DataType.FLOAT, [], [0.02]), b.init('xz', DataType.UINT8, [], [128]),
      b.init('w', DataType.INT8, [3, 2, 3, 3], int8s(b, 54)), b.init('ws', DataType.FLOAT, [], [0.01]), b.init('wz', DataType.INT8, [], [0]),
      b.init('ys', DataType.FLOAT, [], [0.05]), b.init('yz', DataType.UINT8, [], [0]), b.init('bias', DataType.INT32, [3], [100, -1_000_000, 0])], { pads: [1, 1, 1, 1] }, { name: 'qconv' });
    b.node('DequantizeLinear', [q, 'ys', 'yz'], {}, { outputs: ['y'] });
    b.output('y');
    const x = makeTensor(DataType.UINT8, [2, 2, 6, 6], Uint8Array.from({ length: 144 }, () => Math.floor(b.rng.uniform() * 256)));
    const file = await agree(b, dir, 'qlinear.onnx', x);

    const r = await analyzeModel(file, { samples: 16, workers: 1 });
    const l = layer(r, 'QLinearConv');
    assert.equal(l.kind, 'fused-relu');
    assert.equal(l.observation, 'output');
    assert.equal(l.units, 3);
    assert.deepEqual(l.dead, [1]);
    assert.match(l.note ?? '', /quantized ReLU/);
    assert.deepEqual(cli(file, 16).layers.map((x) => [x.node, x.op, x.units, x.dead]), [['qconv', 'QLinearConv', 3, [1]]]);
  });

  it('LSTM → Gemm → Relu → Gemm: ours equals onnxruntime-node; the Relu after the LSTM has unit 2 (bias −100) dead', async () => {
    const b = new ModelBuilder({ opset: 14, seed: 9 });
    b.input('x', DataType.FLOAT, ['N', 5, 4]);
    const seq = b.op('Transpose', ['x'], { perm: [1, 0, 2] });
    const [, yh] = b.node('LSTM', [seq, b.randn('W', [1, 24, 4], 0.4), b.randn('R', [1, 24, 6], 0.4), b.randn('B', [1, 48], 0.1)], { hidden_size: 6 }, { name: 'lstm', outputs: ['Y', 'Yh'] });
    const h = b.op('Squeeze', [yh, b.ints('ax', [0])]);
    const fc1b = Float32Array.from({ length: 8 }, (_, i) => (i === 2 ? -100 : 0.05 * i));
    const fc1 = b.op('Gemm', [h, b.randn('f1', [8, 6], 0.5), b.init('f1b', DataType.FLOAT, [8], fc1b)], { transB: 1 }, { name: 'fc1' });
    const r1 = b.op('Relu', [fc1], {}, { name: 'relu1' });
    b.node('Gemm', [r1, b.randn('f2', [3, 8], 0.5), b.randn('f2b', [3], 0.1)], { transB: 1 }, { name: 'fc2', outputs: ['y'] });
    b.output('y');
    const x = makeTensor(DataType.FLOAT, [3, 5, 4], Float32Array.from({ length: 60 }, () => b.rng.normal()));
    const file = await agree(b, dir, 'lstm.onnx', x);

    const r = await analyzeModel(file, { samples: 32, workers: 1 });
    const l = layer(r, 'Relu');
    assert.equal(l.node, 'relu1');
    assert.equal(l.producer?.node, 'fc1');
    assert.equal(l.units, 8);
    assert.equal(l.unitAxis, -1);
    assert.ok(l.dead.includes(2), `unit 2 dead: ${JSON.stringify(l.dead)}`);
    assert.deepEqual(l.provenDead, [], 'no interval rule for LSTM: nothing claimed as proven');
    const c = cli(file, 32);
    assert.deepEqual(c.layers.map((x) => [x.node, x.op, x.units]), [['relu1', 'Relu', 8]]);
    assert.ok(c.layers[0].dead.includes(2), `CLI: unit 2 dead: ${JSON.stringify(c.layers[0].dead)}`);
  });
});
