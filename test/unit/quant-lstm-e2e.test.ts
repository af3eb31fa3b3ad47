// `relu-doctor analyze --json -` (the built CLI) on an LSTM classifier and on a QLinearConv whose
// uint8 output zero point of 0 makes its clamp a ReLU: both sites are listed with their unit
// counts and the dead unit the model was built with (the API side is in analysis-quant-lstm).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Report } from '../../src/analysis/report';
import { DataType } from '../../src/onnx/ir';
import { ModelBuilder } from '../helpers/model-builder';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** Writes `b`'s model into `dir` and runs the built CLI's `analyze --json -` on it. */
function analyzeCli(b: ModelBuilder, dir: string, name: string): Report {
  const file = path.join(dir, name);
  fs.writeFileSync(file, b.bytes());
  const out = execFileSync(process.execPath, [CLI, 'analyze', file, '--samples', '16', '--workers', '1', '--json', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out) as Report;
}

describe('CLI analyze: LSTM and QLinearConv ReLU sites', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-qlstm-cli-'));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('LSTM → Gemm → Relu → Gemm: the Relu is listed with the Gemm\'s 8 features, unit 5 dead', () => {
    const b = new ModelBuilder({ opset: 14, seed: 11 });
    b.input('x', DataType.FLOAT, ['N', 5, 4]);
    const seq = b.op('Transpose', ['x'], { perm: [1, 0, 2] });
    const [, yh] = b.node('LSTM', [seq, b.randn('W', [1, 24, 4], 0.4), b.randn('R', [1, 24, 6], 0.4), b.randn('B', [1, 48], 0.1)], { hidden_size: 6 }, { name: 'lstm', outputs: ['Y', 'Yh'] });
    const h = b.op('Squeeze', [yh, b.ints('ax', [0])]);
    const fcb = Float32Array.from({ length: 8 }, (_, i) => (i === 5 ? -100 : 0.05 * i));
    const fc = b.op('Gemm', [h, b.randn('f1', [8, 6], 0.5), b.init('f1b', DataType.FLOAT, [8], fcb)], { transB: 1 }, { name: 'fc1' });
    b.node('Gemm', [b.op('Relu', [fc], {}, { name: 'relu1' }), b.randn('f2', [3, 8], 0.5), b.randn('f2b', [3], 0.1)], { transB: 1 }, { name: 'fc2', outputs: ['y'] });
    b.output('y');
    const r = analyzeCli(b, dir, 'lstm.onnx');
    const sites = r.layers.map((l) => [l.node, l.op, l.units]);
    assert.deepEqual(sites, [['relu1', 'Relu', 8]]);
    assert.ok(r.layers[0].dead.includes(5), `unit 5 dead: ${JSON.stringify(r.layers[0].dead)}`);
  });

  it('QLinearConv with output zero point 0: listed as a quantized ReLU site with its 3 channels, channel 2 dead', () => {
    const b = new ModelBuilder({ opset: 13, seed: 12 });
    b.input('x', DataType.UINT8, ['N', 2, 6, 6]);
    const w = Int8Array.from({ length: 54 }, () => Math.max(-127, Math.min(127, Math.round(b.rng.normal() * 40))));
    const q = b.op('QLinearConv', ['x', b.init('xs', DataType.FLOAT, [], [0.02]), b.init('xz', DataType.UINT8, [], [128]),
      b.init('w', DataType.INT8, [3, 2, 3, 3], w), b.init('ws', DataType.FLOAT, [], [0.01]), b.init('wz', DataType.INT8, [], [0]),
      b.init('ys', DataType.FLOAT, [], [0.05]), b.init('yz', DataType.UINT8, [], [0]), b.init('bias', DataType.INT32, [3], [100, 0, -1_000_000])], { pads: [1, 1, 1, 1] }, { name: 'qconv' });
    b.node('DequantizeLinear', [q, 'ys', 'yz'], {}, { outputs: ['y'] });
    b.output('y');
    const r = analyzeCli(b, dir, 'qlinear.onnx');
    assert.deepEqual(r.layers.map((l) => [l.node, l.op, l.units, l.dead]), [['qconv', 'QLinearConv', 3, [2]]]);
    assert.match(r.layers[0].note ?? '', /quantized ReLU/);
  });
});
