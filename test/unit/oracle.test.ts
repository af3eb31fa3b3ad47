// Whole-model oracle: small CNN, MLP and transformer-encoder models built in code, run on our
// executor and on onnxruntime-node; every output must agree within 1e-4 relative (atol 1e-5).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadNpy } from '../../src/data/npy';
import { loadModel } from '../../src/onnx/load';
import { encodeModel } from '../../src/onnx/write';
import { DataType, Model } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { f, ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

const RTOL = 1e-4;
const ATOL = 1e-5;

/** A random float32 input of the given shape. */
function input(b: ModelBuilder, shape: number[]): Tensor {
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = b.rng.normal();
  return makeTensor(DataType.FLOAT, shape, d);
}

/** Runs the model on both runtimes and compares every output; returns ours. */
async function agree(b: ModelBuilder | Model, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const model = b instanceof ModelBuilder ? b.build() : b;
  const ours = createSession(model).runSync(feeds);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const ortFeeds: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data as Float32Array, t.shape.slice());
  const theirs = await session.run(ortFeeds);
  for (const o of model.graph.outputs) {
    const got = ours[o.name];
    const want = theirs[o.name];
    assert.deepEqual([...got.shape], [...want.dims].map(Number), `${o.name} shape`);
    const g = got.data as Float32Array;
    const w = want.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < w.length; i++) {
      const excess = Math.abs(g[i] - w[i]) - (ATOL + RTOL * Math.abs(w[i]));
      if (!(excess <= 0)) assert.fail(`${o.name}[${i}]: ours ${g[i]}, onnxruntime ${w[i]}`);
      worst = Math.max(worst, Math.abs(g[i] - w[i]));
    }
    assert.ok(w.length > 0 && worst < 1e-3);
  }
  return ours;
}

/** Conv + BatchNormalization + Relu with He-scaled weights; returns the output name. */
function convBnRelu(b: ModelBuilder, x: string, cin: number, cout: number, name: string, relu = true): string {
  const w = b.randn(`${name}_w`, [cout, cin, 3, 3], Math.sqrt(2 / (cin * 9)));
  const bias = b.randn(`${name}_b`, [cout], 0.1);
  const c = b.op('Conv', [x, w, bias], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }, { name });
  const gamma = b.randn(`${name}_gamma`, [cout], 0.1, 1);
  const beta = b.randn(`${name}_beta`, [cout], 0.1);
  const mean = b.randn(`${name}_mean`, [cout], 0.1);
  const v = new Float32Array(cout).map(() => 0.5 + b.rng.uniform());
  const variance = b.init(`${name}_var`, DataType.FLOAT, [cout], v);
  const bn = b.op('BatchNormalization', [c, gamma, beta, mean, variance], { epsilon: f(1e-5) }, { name: `${name}_bn` });
  return relu ? b.op('Relu', [bn], {}, { name: `${name}_relu` }) : bn;
}

describe('oracle: whole models against onnxruntime', function () {
  this.timeout(60_000);

  it('a CNN: Conv, BatchNormalization, Relu, MaxPool, residual Add, GlobalAveragePool, Flatten, Gemm', async () => {
    const b = new ModelBuilder({ opset: 17, seed: 11 });
    b.input('x', DataType.FLOAT, [2, 3, 16, 16]);
    const c1 = convBnRelu(b, 'x', 3, 8, 'conv1');
    const p1 = b.op('MaxPool', [c1], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool1' });
    const r1 = convBnRelu(b, p1, 8, 8, 'res_a');
    const r2 = convBnRelu(b, r1, 8, 8, 'res_b', false);
    const sum = b.op('Add', [p1, r2], {}, { name: 'residual' });
    const act = b.op('Relu', [sum], {}, { name: 'res_relu' });
    const gap = b.op('GlobalAveragePool', [act], {}, { name: 'gap' });
    const flat = b.op('Flatten', [gap], { axis: 1 }, { name: 'flatten' });
    const fw = b.randn('fc_w', [10, 8], Math.sqrt(1 / 8));
    const fb = b.randn('fc_b', [10], 0.1);
    b.node('Gemm', [flat, fw, fb], { transB: 1 }, { name: 'fc', outputs: ['logits'] });
    b.output('logits', DataType.FLOAT, [2, 10]);
    await agree(b, { x: input(b, [2, 3, 16, 16]) });
  });

  it('an MLP: Gemm, MatMul + Add, Relu, Softmax', async () => {
    const b = new ModelBuilder({ opset: 17, seed: 12 });
    b.input('x', DataType.FLOAT, [4, 20]);
    const h1 = b.op('Gemm', ['x', b.randn('w1', [20, 32], Math.sqrt(2 / 20)), b.randn('b1', [32], 0.1)], {}, { name: 'fc1' });
    const a1 = b.op('Relu', [h1], {}, { name: 'relu1' });
    const m2 = b.op('MatMul', [a1, b.randn('w2', [32, 16], Math.sqrt(2 / 32))], {}, { name: 'fc2' });
    const h2 = b.op('Add', [m2, b.randn('b2', [16], 0.1)], {}, { name: 'fc2_bias' });
    const a2 = b.op('Relu', [h2], {}, { name: 'relu2' });
    const h3 = b.op('Gemm', [a2, b.randn('w3', [10, 16], Math.sqrt(1 / 16)), b.randn('b3', [10], 0.1)], { transB: 1 }, { name: 'fc3' });
    b.node('Softmax', [h3], { axis: -1 }, { name: 'softmax', outputs: ['probs'] });
    b.output('probs', DataType.FLOAT, [4, 10]).output(h3, DataType.FLOAT, [4, 10]);
    await agree(b, { x: input(b, [4, 20]) });
  });

  it('a transformer encoder block: attention heads, Softmax, LayerNormalization, Erf GELU, residuals', async () => {
    const B = 2, S = 5, D = 16, H = 2, Dh = 8, F = 32;
    const b = new ModelBuilder({ opset: 17, seed: 13 });
    b.input('x', DataType.FLOAT, [B, S, D]);
    const heads = b.ints('heads_shape', [B, S, H, Dh]);
    const flatShape = b.ints('flat_shape', [B, S, D]);
    const proj = (x: string, name: string, din: number, dout: number): string => {
      const m = b.op('MatMul', [x, b.randn(`${name}_w`, [din, dout], Math.sqrt(1 / din))], {}, { name });
      return b.op('Add', [m, b.randn(`${name}_b`, [dout], 0.1)], {}, { name: `${name}_bias` });
    };
    const split = (x: string, name: string, perm: number[]): string =>
      b.op('Transpose', [b.op('Reshape', [x, heads], {}, { name: `${name}_reshape` })], { perm }, { name: `${name}_transpose` });
    const q = split(proj('x', 'q', D, D), 'q', [0, 2, 1, 3]);
    const k = split(proj('x', 'k', D, D), 'k', [0, 2, 3, 1]);
    const v = split(proj('x', 'v', D, D), 'v', [0, 2, 1, 3]);
    const scale = b.init('scale', DataType.FLOAT, [], [1 / Math.sqrt(Dh)]);
    const scores = b.op('Mul', [b.op('MatMul', [q, k], {}, { name: 'qk' }), scale], {}, { name: 'scale_scores' });
    const attn = b.op('Softmax', [scores], { axis: -1 }, { name: 'attn_softmax' });
    const ctx = b.op('MatMul', [attn, v], {}, { name: 'attn_v' });
    const merged = b.op('Reshape', [b.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }, { name: 'merge_transpose' }), flatShape], {}, { name: 'merge_reshape' });
    const out = proj(merged, 'o', D, D);
    const ln = (x: string, name: string): string =>
      b.op('LayerNormalization', [x, b.randn(`${name}_g`, [D], 0.1, 1), b.randn(`${name}_b`, [D], 0.1)], { axis: -1, epsilon: f(1e-5) }, { name });
    const ln1 = ln(b.op('Add', ['x', out], {}, { name: 'residual1' }), 'ln1');
    const h = proj(ln1, 'ffn1', D, F);
    const sqrt2 = b.init('sqrt2', DataType.FLOAT, [], [Math.SQRT2]);
    const one = b.init('one', DataType.FLOAT, [], [1]);
    const half = b.init('half', DataType.FLOAT, [], [0.5]);
    const erf = b.op('Erf', [b.op('Div', [h, sqrt2], {}, { name: 'gelu_div' })], {}, { name: 'gelu_erf' });
    const gelu = b.op('Mul', [b.op('Mul', [h, b.op('Add', [erf, one], {}, { name: 'gelu_add' })], {}, { name: 'gelu_mul' }), half], {}, { name: 'gelu_half' });
    const ffn = proj(gelu, 'ffn2', F, D);
    b.node('LayerNormalization', [b.op('Add', [ln1, ffn], {}, { name: 'residual2' }), b.randn('ln2_g', [D], 0.1, 1), b.randn('ln2_b', [D], 0.1)],
      { axis: -1, epsilon: f(1e-5) }, { name: 'ln2', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [B, S, D]).output(attn, DataType.FLOAT, [B, H, S, S]);
    await agree(b, { x: input(b, [B, S, D]) });
  });

  it('the example digits models on their 360 test images, with the accuracy their training script measured', async () => {
    const dir = path.join(__dirname, '..', '..', 'examples', 'digits');
    const images = loadNpy(path.join(dir, 'test-images.npy'));
    const labels = loadNpy(path.join(dir, 'labels.npy')).data as BigInt64Array;
    const flat = makeTensor(DataType.FLOAT, [360, 64], images.data);
    const measured: Record<string, number> = { 'mlp-dying': 0.967, 'mlp-healthy': 0.969, 'cnn-dying': 0.928 };
    for (const [name, acc] of Object.entries(measured)) {
      const model = loadModel(path.join(dir, `${name}.onnx`));
      const out = await agree(model, { [model.graph.inputs[0].name]: name.startsWith('cnn') ? images : flat });
      const logits = Object.values(out)[0].data as Float32Array;
      let correct = 0;
      for (let i = 0; i < 360; i++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
        if (BigInt(best) === labels[i]) correct++;
      }
      assert.equal((correct / 360).toFixed(3), acc.toFixed(3), `${name} accuracy`);
    }
  });
});
