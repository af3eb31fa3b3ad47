// Real architectures against onnxruntime: torchvision ResNet-18, MobileNet v2, SqueezeNet 1.1,
// VGG-11-BN and a PyTorch transformer encoder block (test/fixtures/models/, weights stripped at
// export and refilled here with seeded He-scaled values), run on our executor and on
// onnxruntime-node with the same seeded input.
//
// Agreement, per output b (onnxruntime) and a (ours), with scale = max|b|:
//   - every value of b is finite and scale > 0 (comparing infinities or zeros proves nothing);
//   - max|a − b| ≤ 1e-4 · scale (the whole output agrees to 1e-4 relative to its magnitude);
//   - elementwise |a − b| ≤ 1e-4 · |b| wherever |b| ≥ 0.1 · scale: the values within an order of
//     magnitude of the largest each agree to 1e-4 relative. Smaller ones are held to the first
//     bound only: float32 rounding in the last layers is about the same in absolute terms for every
//     output (same fan-in, same term sizes), so an output at 1% of the scale sees 100× the relative
//     error of the largest (measured: MobileNet v2, |b| = 0.114 of scale 11, |a − b| = 1.4e-5).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DataType, Model } from '../../src/onnx/ir';
import { loadModel } from '../../src/onnx/load';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { ModelBuilder, seeded } from '../helpers/model-builder';
import { fillStrippedWeights, strippedNames } from '../helpers/weights';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

const RTOL = 1e-4;
/** Values below this fraction of the output's largest magnitude are checked by the scale bound only. */
const TINY = 0.1;
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'models');

/** The largest differences found, for the log line. */
interface Agreement { readonly scale: number; readonly maxAbs: number; readonly maxRel: number }

/** Asserts the two float outputs agree (see the file comment); returns the measured errors. */
export function assertAgree(label: string, a: Float32Array, b: Float32Array): Agreement {
  assert.equal(a.length, b.length, `${label}: ${a.length} values, onnxruntime ${b.length}`);
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i])) assert.fail(`${label}[${i}]: onnxruntime gives ${b[i]}; the weights overflow, the comparison would be vacuous`);
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(scale > 0, `${label}: onnxruntime's output is all zeros; the comparison would be vacuous`);
  let maxAbs = 0;
  let maxRel = 0;
  let worst = -1;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    if (Math.abs(b[i]) >= TINY * scale) {
      const rel = d / Math.abs(b[i]);
      if (!(rel <= maxRel)) {
        maxRel = Number.isNaN(rel) ? Infinity : rel;
        worst = i;
      }
    }
  }
  assert.ok(maxAbs <= RTOL * scale, `${label}: max |ours − onnxruntime| = ${maxAbs.toExponential(2)} > ${RTOL} × max|onnxruntime| ${scale.toExponential(2)}`);
  assert.ok(maxRel <= RTOL, `${label}[${worst}]: ours ${a[worst]}, onnxruntime ${b[worst]} (relative error ${maxRel.toExponential(2)} > ${RTOL}; max|onnxruntime| ${scale.toExponential(2)})`);
  return { scale, maxAbs, maxRel };
}

/** A seeded N(0, 1) float input of the given shape. */
function randomInput(shape: number[], seed: number): Tensor {
  const rng = seeded(seed);
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return makeTensor(DataType.FLOAT, shape, d);
}

/** Loads a fixture, refills its weights, runs both runtimes on one input and compares every output. */
async function compareArchitecture(name: string, inputShape: number[], seed: number): Promise<void> {
  const t0 = performance.now();
  const stripped = loadModel(path.join(FIXTURES, `${name}.onnx`));
  assert.ok(strippedNames(stripped).length > 0, `${name}: no stripped weights listed in the metadata`);
  const model: Model = fillStrippedWeights(stripped, seed);
  assert.equal(model.graph.inputs.length, 1, `${name}: every weight is an initializer again`);
  const inputName = model.graph.inputs[0].name;
  const x = randomInput(inputShape, seed + 1);
  const t1 = performance.now();
  const ours = createSession(model).runSync({ [inputName]: x });
  const t2 = performance.now();
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const theirs = await session.run({ [inputName]: new ort.Tensor('float32', x.data as Float32Array, x.shape.slice()) });
  const t3 = performance.now();
  const notes: string[] = [];
  for (const o of model.graph.outputs) {
    const got = ours[o.name];
    const want = theirs[o.name];
    assert.ok(got && want, `${name}: output "${o.name}" missing`);
    assert.deepEqual([...got.shape], [...want.dims].map(Number), `${name}: output "${o.name}" shape`);
    assert.equal(got.dtype, DataType.FLOAT);
    const r = assertAgree(`${name} ${o.name}`, got.data as Float32Array, want.data as Float32Array);
    notes.push(`${o.name} [${got.shape.join(',')}] max|b| ${r.scale.toPrecision(3)}, max abs err ${r.maxAbs.toExponential(1)}, max rel err ${r.maxRel.toExponential(1)}`);
  }
  await session.release?.();
  const ms = (a: number, b: number): string => `${((b - a) / 1000).toFixed(1)}s`;
  console.log(`      ${name}: fill ${ms(t0, t1)}, ours ${ms(t1, t2)}, onnxruntime ${ms(t2, t3)}; ${notes.join('; ')}`);
}

/** Standard deviation and mean of a float initializer of `m`. */
function stats(m: Model, name: string): { mean: number; std: number; n: number } {
  const t = m.graph.initializers.find((i) => i.name === name);
  assert.ok(t && t.storage.kind === 'raw', `${name} is a raw initializer`);
  const v = new Float32Array(t.storage.bytes.slice().buffer);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    s2 += v[i] * v[i];
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), n: v.length };
}

describe('fillStrippedWeights', () => {
  it('refills listed inputs by role: He by fan-in (Gemm transB aware), small biases, BatchNorm statistics', () => {
    const b = new ModelBuilder({ opset: 17 });
    b.input('x', DataType.FLOAT, [1, 32, 8, 8]);
    const w = b.input('conv.w', DataType.FLOAT, [64, 32, 3, 3]);
    const bias = b.input('conv.b', DataType.FLOAT, [64]);
    const bn = ['bn.scale', 'bn.bias', 'bn.mean', 'bn.var'].map((n) => b.input(n, DataType.FLOAT, [64]));
    const fcT = b.input('fc.wT', DataType.FLOAT, [10, 4096]);
    const fc = b.input('fc.w', DataType.FLOAT, [4096, 10]);
    const c = b.op('Conv', ['x', w, bias], { pads: [1, 1, 1, 1] });
    const idScale = b.op('Identity', [bn[0]]);
    const n = b.op('BatchNormalization', [c, idScale, bn[1], bn[2], bn[3]]);
    const flat = b.op('Flatten', [n]);
    b.output(b.op('Gemm', [flat, fcT], { transB: 1 }));
    b.output(b.op('Gemm', [flat, fc]));
    const model = b.build();
    const names = [w, bias, ...bn, fcT, fc];
    model.metadata = [{ key: 'relu_doctor.stripped_weights', value: names.join(',') }];
    const filled = fillStrippedWeights(model, 7);
    assert.deepEqual(filled.graph.inputs.map((i) => i.name), ['x']);
    assert.deepEqual(filled.metadata, []);
    const close = (got: number, want: number, tol: number, what: string): void => assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want}`);
    close(stats(filled, 'conv.w').std, Math.sqrt(2 / (32 * 9)), 0.005, 'conv He std');
    close(stats(filled, 'conv.b').std, 0.01, 0.003, 'bias std');
    close(stats(filled, 'bn.scale').mean, 1, 0.05, 'BN scale mean (through Identity)');
    const v = filled.graph.initializers.find((i) => i.name === 'bn.var');
    assert.ok(v && v.storage.kind === 'raw');
    const vv = new Float32Array(v.storage.bytes.slice().buffer);
    assert.ok(vv.every((x) => x >= 0.5 && x <= 1.5), 'variance in [0.5, 1.5]');
    close(stats(filled, 'fc.wT').std, Math.sqrt(2 / 4096), 0.001, 'Gemm transB fan-in = dims[1]');
    close(stats(filled, 'fc.w').std, Math.sqrt(2 / 4096), 0.001, 'Gemm fan-in = dims[0]');
    // The same seed gives the same weights; another seed others.
    const again = fillStrippedWeights(model, 7).graph.initializers.find((i) => i.name === 'conv.w');
    const other = fillStrippedWeights(model, 8).graph.initializers.find((i) => i.name === 'conv.w');
    const bytes = (t: typeof again): Uint8Array => (t && t.storage.kind === 'raw' ? t.storage.bytes : new Uint8Array());
    assert.deepEqual(bytes(again), bytes(filled.graph.initializers.find((i) => i.name === 'conv.w')));
    assert.notDeepEqual(bytes(other), bytes(again));
  });
});

describe('oracle: real architectures against onnxruntime', function () {
  this.timeout(120_000);

  it('ResNet-18 (224×224)', () => compareArchitecture('resnet18', [1, 3, 224, 224], 101));
  it('MobileNet v2 (224×224)', () => compareArchitecture('mobilenet_v2', [1, 3, 224, 224], 102));
  it('SqueezeNet 1.1 (224×224)', () => compareArchitecture('squeezenet1_1', [1, 3, 224, 224], 103));
  it('VGG-11 with BatchNorm (224×224, 133M parameters)', () => compareArchitecture('vgg11_bn', [1, 3, 224, 224], 104));
  it('transformer encoder block (batch 2, 16 tokens, d=64)', () => compareArchitecture('transformer_encoder', [2, 16, 64], 105));
});
