// Dense bench models built in code with seeded He-scaled weights: an MLP (Gemm + Relu) over a batch,
// and a small transformer encoder (LayerNormalization, multi-head attention from MatMul / Reshape /
// Transpose / Softmax, a ReLU feed-forward block, residual Adds).
import { DataType, Model } from '../../src/onnx/ir';
import { ModelBuilder } from '../../test/helpers/model-builder';
import { linear, nextName } from './layers';

/** An MLP: `batch`×`width` input, `depth` hidden Gemm + Relu layers of `width`, 10 outputs. */
export function mlp(batch = 64, width = 1024, depth = 4, seed = 7): Model {
  const b = new ModelBuilder({ opset: 17, seed });
  let x = b.input('input', DataType.FLOAT, [batch, width]);
  for (let i = 0; i < depth; i++) x = b.op('Relu', [linear(b, x, width, width)]);
  b.output(linear(b, x, width, 10), DataType.FLOAT, [batch, 10]);
  return b.build();
}

/** Transformer encoder size. */
export interface EncoderSpec { seq: number; dModel: number; heads: number; ffn: number; layers: number }

/** A pre-norm transformer encoder over a [1, seq, dModel] input (batch 1). */
export function transformer(spec: EncoderSpec = { seq: 128, dModel: 256, heads: 4, ffn: 1024, layers: 4 }, seed = 9): Model {
  const { seq, dModel: d, heads, ffn } = spec;
  const dh = d / heads;
  const b = new ModelBuilder({ opset: 17, seed });
  let x = b.input('input', DataType.FLOAT, [1, seq, d]);
  const headShape = b.ints('shape_heads', [1, seq, heads, dh]);
  const flatShape = b.ints('shape_flat', [1, seq, d]);
  const scale = b.init('attn_scale', DataType.FLOAT, [], [1 / Math.sqrt(dh)]);
  for (let l = 0; l < spec.layers; l++) {
    const h = layerNorm(b, x, d);
    const proj = (): string => dense(b, h, d, d);
    const q = b.op('Transpose', [b.op('Reshape', [proj(), headShape])], { perm: [0, 2, 1, 3] });
    const k = b.op('Transpose', [b.op('Reshape', [proj(), headShape])], { perm: [0, 2, 3, 1] });
    const v = b.op('Transpose', [b.op('Reshape', [proj(), headShape])], { perm: [0, 2, 1, 3] });
    const att = b.op('Softmax', [b.op('Mul', [b.op('MatMul', [q, k]), scale])], { axis: -1 });
    const ctx = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [att, v])], { perm: [0, 2, 1, 3] }), flatShape]);
    x = b.op('Add', [x, dense(b, ctx, d, d, 0.5)]);
    const f = b.op('Relu', [dense(b, layerNorm(b, x, d), d, ffn)]);
    x = b.op('Add', [x, dense(b, f, ffn, d, 0.5)]);
  }
  b.output(layerNorm(b, x, d), DataType.FLOAT, [1, seq, d]);
  return b.build();
}

/** MatMul by a [nin, nout] He-scaled weight plus a bias (how PyTorch exports Linear on 3-D input). */
function dense(b: ModelBuilder, x: string, nin: number, nout: number, gain = 1): string {
  const w = b.randn(`${nextName(b, 'dense')}_w`, [nin, nout], gain * Math.sqrt(2 / nin));
  return b.op('Add', [b.op('MatMul', [x, w]), b.randn(`${w}_b`, [nout], 0.01)]);
}

function layerNorm(b: ModelBuilder, x: string, d: number): string {
  const base = nextName(b, 'ln');
  const g = b.init(`${base}_g`, DataType.FLOAT, [d], new Float32Array(d).fill(1));
  const beta = b.init(`${base}_b`, DataType.FLOAT, [d], new Float32Array(d));
  return b.op('LayerNormalization', [x, g, beta], { axis: -1, epsilon: 1e-5 });
}
