// Layer helpers the bench model builders share: He-scaled Conv, BatchNormalization kept as its own
// node (as PyTorch training exports have it), ReLU / ReLU6, Gemm, on test/helpers' ModelBuilder.
import { DataType } from '../../src/onnx/ir';
import { ModelBuilder } from '../../test/helpers/model-builder';

/** Conv options: square kernel, stride, symmetric padding, groups, bias. */
export interface ConvSpec { k: number; stride?: number; pad?: number; group?: number; bias?: boolean }

/** A Conv with He-normal weights (std √(2 / fan-in)); returns its output. `cin`/`cout` are channels. */
export function conv(b: ModelBuilder, x: string, cin: number, cout: number, s: ConvSpec): string {
  const group = s.group ?? 1;
  const fanIn = (cin / group) * s.k * s.k;
  const w = b.randn(`${nextName(b, 'conv')}_w`, [cout, cin / group, s.k, s.k], Math.sqrt(2 / fanIn));
  const inputs = [x, w];
  if (s.bias) inputs.push(b.randn(`${w}_b`, [cout], 0.01));
  const pad = s.pad ?? (s.k >> 1);
  return b.op('Conv', inputs, { kernel_shape: [s.k, s.k], strides: [s.stride ?? 1, s.stride ?? 1], pads: [pad, pad, pad, pad], group, dilations: [1, 1] });
}

/**
 * BatchNormalization with plausible trained statistics: scale ≈ `gamma` (±25%), bias, mean and
 * variance near 0 and 1, so activations stay finite and some units are weakly active.
 */
export function bn(b: ModelBuilder, x: string, c: number, gamma = 1): string {
  const base = nextName(b, 'bn');
  const scale = new Float32Array(c);
  const bias = new Float32Array(c);
  const mean = new Float32Array(c);
  const variance = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma * (0.75 + 0.5 * b.rng.uniform());
    bias[i] = 0.1 * b.rng.normal();
    mean[i] = 0.1 * b.rng.normal();
    variance[i] = 0.75 + 0.5 * b.rng.uniform();
  }
  const names = [['s', scale], ['b', bias], ['m', mean], ['v', variance]] as const;
  const ins = names.map(([k, v]) => b.init(`${base}_${k}`, DataType.FLOAT, [c], v));
  return b.op('BatchNormalization', [x, ...ins], { epsilon: 1e-5 });
}

/** Conv → BatchNormalization → (Relu). */
export function convBn(b: ModelBuilder, x: string, cin: number, cout: number, s: ConvSpec, act: 'relu' | 'relu6' | 'none', gamma = 1): string {
  const y = bn(b, conv(b, x, cin, cout, s), cout, gamma);
  if (act === 'relu') return b.op('Relu', [y]);
  if (act === 'relu6') return relu6(b, y);
  return y;
}

/** ReLU6 as Clip(0, 6) with constant bounds (opset ≥ 11). */
export function relu6(b: ModelBuilder, x: string): string {
  const base = nextName(b, 'clip');
  return b.op('Clip', [x, b.init(`${base}_lo`, DataType.FLOAT, [], [0]), b.init(`${base}_hi`, DataType.FLOAT, [], [6])]);
}

/** Gemm y = x·Wᵀ + b with W [out, in] (PyTorch Linear layout), He-scaled. */
export function linear(b: ModelBuilder, x: string, nin: number, nout: number): string {
  const w = b.randn(`${nextName(b, 'fc')}_w`, [nout, nin], Math.sqrt(2 / nin));
  const bias = b.randn(`${w}_b`, [nout], 0.01);
  return b.op('Gemm', [x, w, bias], { transB: 1 });
}

const counters = new WeakMap<ModelBuilder, number>();

/** A unique initializer base name per builder. */
export function nextName(b: ModelBuilder, prefix: string): string {
  const n = counters.get(b) ?? 0;
  counters.set(b, n + 1);
  return `${prefix}${n}`;
}
