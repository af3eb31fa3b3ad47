// Attention-family ops on our executor against onnxruntime-node: ai.onnx Attention (GQA, masks,
// causal with a KV cache, qk_matmul_output) and RotaryEmbedding, and the com.microsoft ops
// onnxruntime exports (Attention, SkipLayerNormalization, Gelu, BiasGelu, FastGelu); plus refusals.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { ModelBuilder, seeded } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

const ORT_TYPES: Partial<Record<DataType, string>> = { [DataType.FLOAT]: 'float32', [DataType.INT64]: 'int64', [DataType.INT32]: 'int32', [DataType.BOOL]: 'bool' };

/** Runs the model on both runtimes; asserts equal shapes and values within float32 round-off. */
async function compare(b: ModelBuilder, feeds: Record<string, Tensor>, outs: string[], tol = 1e-5): Promise<void> {
  const model = b.build();
  const ours = createSession(model).runSync(feeds);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const ortFeeds: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(ORT_TYPES[t.dtype], t.data, t.shape);
  const theirs = await session.run(ortFeeds);
  for (const o of outs) {
    assert.deepEqual([...ours[o].shape], [...theirs[o].dims].map(Number), `${o} shape`);
    const g = ours[o].data as Float32Array;
    const w = theirs[o].data as Float32Array;
    for (let i = 0; i < w.length; i++) {
      assert.ok(Math.abs(g[i] - w[i]) <= tol + tol * Math.abs(w[i]), `${o}[${i}]: ours ${g[i]}, onnxruntime ${w[i]}`);
    }
  }
}

const rng = seeded(7);
function randn(shape: number[], scale = 1): Tensor {
  return makeTensor(DataType.FLOAT, shape, Float32Array.from({ length: sizeOf(shape) }, () => rng.normal() * scale));
}
const i32 = (shape: number[], v: number[]): Tensor => makeTensor(DataType.INT32, shape, Int32Array.from(v));
const ms = { domain: 'com.microsoft' };

describe('attention ops', () => {
  it('Attention (opset 23): 4-D GQA, causal with a KV cache, present outputs', async () => {
    const b = new ModelBuilder({ opset: 23 });
    for (const [n, s] of [['Q', [2, 4, 3, 8]], ['K', [2, 2, 3, 8]], ['V', [2, 2, 3, 6]], ['pk', [2, 2, 5, 8]], ['pv', [2, 2, 5, 6]]] as const) b.input(n, DataType.FLOAT, [...s]);
    b.node('Attention', ['Q', 'K', 'V', '', 'pk', 'pv'], { is_causal: 1 }, { outputs: ['Y', 'PK', 'PV'] });
    b.output('Y').output('PK').output('PV');
    await compare(b, { Q: randn([2, 4, 3, 8]), K: randn([2, 2, 3, 8]), V: randn([2, 2, 3, 6]), pk: randn([2, 2, 5, 8]), pv: randn([2, 2, 5, 6]) }, ['Y', 'PK', 'PV']);
  });

  it('Attention (opset 23): 3-D with a bool mask, softcap, scale', async () => {
    const b = new ModelBuilder({ opset: 23 });
    b.input('Q', DataType.FLOAT, [2, 3, 12]);
    b.input('K', DataType.FLOAT, [2, 5, 12]);
    b.input('V', DataType.FLOAT, [2, 5, 9]);
    b.input('M', DataType.BOOL, [3, 5]);
    b.node('Attention', ['Q', 'K', 'V', 'M'], { q_num_heads: 3, kv_num_heads: 3, softcap: 2.5, scale: 0.3 }, { outputs: ['Y'] });
    b.output('Y');
    const mask = makeTensor(DataType.BOOL, [3, 5], Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1]));
    await compare(b, { Q: randn([2, 3, 12]), K: randn([2, 5, 12]), V: randn([2, 5, 9]), M: mask }, ['Y']);
  });

  it('RotaryEmbedding (opset 23): interleaved and half-split, partial dim, position_ids', async () => {
    for (const interleaved of [0, 1]) {
      const b = new ModelBuilder({ opset: 23 });
      b.input('X', DataType.FLOAT, [2, 3, 4, 8]);
      b.input('cos', DataType.FLOAT, [10, 2]);
      b.input('sin', DataType.FLOAT, [10, 2]);
      b.input('pos', DataType.INT64, [2, 4]);
      b.node('RotaryEmbedding', ['X', 'cos', 'sin', 'pos'], { interleaved, rotary_embedding_dim: 4 }, { outputs: ['Y'] });
      b.output('Y');
      const ang = Array.from({ length: 20 }, (_, k) => Math.floor(k / 2) * (k % 2 ? 0.1 : 0.7));
      const pos = makeTensor(DataType.INT64, [2, 4], BigInt64Array.from([0, 1, 2, 3, 9, 5, 0, 7].map(BigInt)));
      await compare(b, { X: randn([2, 3, 4, 8]), cos: makeTensor(DataType.FLOAT, [10, 2], Float32Array.from(ang, Math.cos)), sin: makeTensor(DataType.FLOAT, [10, 2], Float32Array.from(ang, Math.sin)), pos }, ['Y']);
    }
  });

  it('com.microsoft Gelu, BiasGelu, FastGelu (with and without bias)', async () => {
    const b = new ModelBuilder({ opset: 17 }).opset('com.microsoft', 1);
    b.input('x', DataType.FLOAT, [3, 5]);
    const bias = b.randn('bias', [5]);
    b.node('Gelu', ['x'], {}, { ...ms, outputs: ['g'] });
    b.node('BiasGelu', ['x', bias], {}, { ...ms, outputs: ['bg'] });
    b.node('FastGelu', ['x'], {}, { ...ms, outputs: ['fg'] });
    b.node('FastGelu', ['x', bias], {}, { ...ms, outputs: ['fgb'] });
    b.output('g').output('bg').output('fg').output('fgb');
    await compare(b, { x: randn([3, 5], 3) }, ['g', 'bg', 'fg', 'fgb']);
  });

  it('com.microsoft SkipLayerNormalization: beta, bias, a broadcast skip and the sum output', async () => {
    for (const skipShape of [[2, 3, 8], [3, 8]]) {
      const b = new ModelBuilder({ opset: 17 }).opset('com.microsoft', 1);
      b.input('x', DataType.FLOAT, [2, 3, 8]);
      b.input('skip', DataType.FLOAT, skipShape);
      b.node('SkipLayerNormalization', ['x', 'skip', b.randn('g', [8]), b.randn('be', [8]), b.randn('bi', [8])], { epsilon: 1e-5 }, { ...ms, outputs: ['y', '', '', 'sum'] });
      b.output('y').output('sum');
      await compare(b, { x: randn([2, 3, 8]), skip: randn(skipShape) }, ['y', 'sum']);
    }
    const b = new ModelBuilder({ opset: 17 }).opset('com.microsoft', 1);
    b.input('x', DataType.FLOAT, [2, 8]);
    b.node('SkipLayerNormalization', ['x', 'x', b.randn('g', [8])], {}, { ...ms, outputs: ['y', 'mean'] });
    b.output('y').output('mean');
    assert.throws(() => createSession(b.build()), /mean and inv_std_var outputs are not supported/);
  });

  it('com.microsoft Attention: masks of each supported kind, attention_bias, unidirectional with past/present (never both: onnxruntime refuses it)', async () => {
    const B = 2, S = 3, In = 8, N = 2;
    const masks: Array<[string, Tensor | undefined]> = [
      ['none', undefined], ['lengths', i32([2], [2, 3])], ['raw 2-D', i32([2, 3], [1, 0, 1, 1, 1, 0])], ['raw 3-D', i32([2, 3, 3], [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0])],
    ];
    for (const [, mask] of masks) {
      const b = new ModelBuilder({ opset: 17, seed: 5 }).opset('com.microsoft', 1);
      b.input('x', DataType.FLOAT, [B, S, In]);
      if (mask) b.input('m', DataType.INT32, [...mask.shape]);
      b.node('Attention', ['x', b.randn('w', [In, 16 + 6], 0.5), b.randn('bias', [22], 0.1), mask ? 'm' : ''], { num_heads: N, qkv_hidden_sizes: [8, 8, 6] }, { ...ms, outputs: ['y'] });
      b.output('y');
      await compare(b, mask ? { x: randn([B, S, In]), m: mask } : { x: randn([B, S, In]) }, ['y']);
    }
    for (const withPast of [true, false]) {
      const b = new ModelBuilder({ opset: 17, seed: 6 }).opset('com.microsoft', 1);
      b.input('x', DataType.FLOAT, [B, S, In]);
      const T = withPast ? 7 : 3;
      if (withPast) b.input('past', DataType.FLOAT, [2, B, N, 4, 4]);
      else b.input('ab', DataType.FLOAT, [1, N, S, T]);
      b.node('Attention', ['x', b.randn('w', [In, 24], 0.5), b.randn('bias', [24], 0.1), '', withPast ? 'past' : '', withPast ? '' : 'ab'],
        { num_heads: N, unidirectional: 1, scale: 0.4 }, { ...ms, outputs: ['y', 'present'] });
      b.output('y').output('present');
      const feeds: Record<string, Tensor> = withPast ? { x: randn([B, S, In]), past: randn([2, B, N, 4, 4]) } : { x: randn([B, S, In]), ab: randn([1, N, S, T]) };
      await compare(b, feeds, ['y', 'present']);
    }
  });

  it('com.microsoft Attention refuses rotary and left-padding masks', () => {
    const b = new ModelBuilder({ opset: 17 }).opset('com.microsoft', 1);
    b.input('x', DataType.FLOAT, [1, 2, 4]);
    b.node('Attention', ['x', b.randn('w', [4, 12])], { num_heads: 2, do_rotary: 1 }, { ...ms, outputs: ['y'] });
    b.output('y');
    assert.throws(() => createSession(b.build()), /do_rotary=1 is not supported/);
    const b2 = new ModelBuilder({ opset: 17 }).opset('com.microsoft', 1);
    b2.input('x', DataType.FLOAT, [1, 2, 4]);
    b2.input('m', DataType.INT32, [2]);
    b2.node('Attention', ['x', b2.randn('w', [4, 12]), '', 'm'], { num_heads: 2 }, { ...ms, outputs: ['y'] });
    b2.output('y');
    assert.throws(() => createSession(b2.build()).runSync({ x: randn([1, 2, 4]), m: i32([2], [2, 0]) }), /mask_index of shape \[2\] is not supported/);
  });
});
