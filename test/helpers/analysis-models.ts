// Small models built directly as IR for the analysis tests, each with chosen dead, dormant and
// always-active units, plus a deterministic in-memory sample source to feed them.
import { Attribute, DataType, Graph, Model, Node, OnnxTensor, ValueInfo } from '../../src/onnx/ir';
import { Source } from '../../src/analysis/analyze';
import { Tensor } from '../../src/runtime/tensor';

/** A float32 initializer. */
export function f32(name: string, dims: number[], values: number[]): OnnxTensor {
  return { name, dataType: DataType.FLOAT, dims, docString: '', storage: { kind: 'fields', values: Float32Array.from(values) } };
}

/** A node; attributes given as plain values are typed by their JS type. */
export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, number | number[] | string> = {}, extra: Partial<Node> = {}): Node {
  const attributes: Attribute[] = Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'string') return { name, type: 'string', value: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: 'ints', value: v };
    return Number.isInteger(v) && name !== 'epsilon' && name !== 'alpha' && name !== 'min' && name !== 'max' ? { name, type: 'int', value: v } : { name, type: 'float', value: v };
  });
  return { name: extra.name ?? outputs[0], opType, domain: extra.domain ?? '', inputs, outputs, attributes, docString: '' };
}

function vi(name: string, shape: Array<number | string>): ValueInfo {
  return { name, docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT, shape } };
}

/** A model from nodes and initializers with one float input `x` of the given shape and output `y`. */
export function model(nodes: Node[], inits: OnnxTensor[], inputShape: Array<number | string>, extra: { opsets?: Array<{ domain: string; version: number }>; functions?: Model['functions']; output?: string } = {}): Model {
  const graph: Graph = {
    name: 'test', nodes, initializers: inits, sparseInitializers: [], inputs: [vi('x', inputShape)],
    outputs: [{ name: extra.output ?? 'y', docString: '' }], valueInfo: [], docString: '', quantizationAnnotation: [],
  };
  return {
    irVersion: 8, opsetImports: extra.opsets ?? [{ domain: '', version: 17 }], producerName: 'analysis-test', producerVersion: '1', domain: '',
    modelVersion: 1, docString: '', graph, metadata: [], trainingInfo: [], functions: extra.functions ?? [], source: { byteLength: 0 },
  };
}

/** mulberry32 uniforms in [lo, hi). */
export function uniforms(seed: number, n: number, lo = 0, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo);
  }
  return out;
}

/** A sample source over fixed data `[count, ...perSample]` for input `x`, in batches of `batch`. */
export function fixedSource(data: Float32Array, perSample: number[], batch: number): Source {
  const per = perSample.reduce((a, b) => a * b, 1);
  const count = data.length / per;
  return {
    description: { kind: 'npy', path: 'fixed.npy', random: false, count, note: 'fixed test data' },
    async *batches() {
      for (let off = 0; off < count; off += batch) {
        const k = Math.min(batch, count - off);
        const t: Tensor = { dtype: DataType.FLOAT, shape: [k, ...perSample], data: data.subarray(off * per, (off + k) * per) };
        yield { feeds: { x: t }, offset: off, count: k };
      }
    },
  };
}

/**
 * Dense 4 → 5 → ReLU on inputs in [0,1): unit 0 dead (weights ≤ 0, bias < 0), unit 1 dormant
 * (0.001·(x0 − x1)), unit 2 always active (bias 5), unit 3 alive (x0 − x1), unit 4 dead by its bias (−3).
 */
export function denseModel(): Model {
  const W = [
    -1, -1, -1, -1,
    0.001, -0.001, 0, 0,
    1, 1, 1, 1,
    1, -1, 0, 0,
    1, 1, 0, 0,
  ];
  return model([node('Gemm', ['x', 'W', 'b'], ['h'], { transB: 1 }, { name: 'dense' }), node('Relu', ['h'], ['y'], {}, { name: 'relu' })],
    [f32('W', [5, 4], W), f32('b', [5], [-0.5, 0, 5, 0, -3])], ['N', 4]);
}

/** Conv 1×1 (2 → 3 channels) → ReLU on [N,2,3,3] inputs in [0,1): channel 0 dead, 1 always active, 2 alive (x0 − x1). */
export function convModel(): Model {
  return model([node('Conv', ['x', 'W', 'b'], ['h'], { kernel_shape: [1, 1] }, { name: 'conv' }), node('Relu', ['h'], ['y'], {}, { name: 'relu' })],
    [f32('W', [3, 2, 1, 1], [-1, -1, 0.5, 0.5, 1, -1]), f32('b', [3], [-0.1, 10, 0])], ['N', 2, 3, 3]);
}

/** Conv → BatchNormalization → ReLU: BN (β = −5, γ = 0.5) kills channel 0; channel 1 alive. */
export function convBnModel(): Model {
  return model([
    node('Conv', ['x', 'W', 'b'], ['c'], { kernel_shape: [1, 1] }, { name: 'conv' }),
    node('BatchNormalization', ['c', 'gamma', 'beta', 'mean', 'var'], ['h'], { epsilon: 1e-5 }, { name: 'bn' }),
    node('Relu', ['h'], ['y'], {}, { name: 'relu' }),
  ], [
    f32('W', [2, 2, 1, 1], [1, 0, 1, -1]), f32('b', [2], [0, 0]),
    f32('gamma', [2], [0.5, 1]), f32('beta', [2], [-5, 0]), f32('mean', [2], [0.5, 0]), f32('var', [2], [0.08, 1]),
  ], ['N', 2, 2, 2]);
}

/** Dense 2 → 3 → Clip(0, 6) (ReLU6, opset 13 inputs): unit 0 dead, unit 1 always active and saturated (bias 100), unit 2 alive. */
export function relu6Model(): Model {
  return model([
    node('Gemm', ['x', 'W', 'b'], ['h'], { transB: 1 }, { name: 'dense' }),
    node('Clip', ['h', 'lo', 'hi'], ['y'], {}, { name: 'relu6' }),
  ], [f32('W', [3, 2], [-1, -1, 0, 0, 1, -1]), f32('b', [3], [-1, 100, 0]), f32('lo', [], [0]), f32('hi', [], [6])], ['N', 2]);
}

/** A residual block: Relu(Conv1×1(x) + x) on [N,2,2,2] inputs in (0,1): channel 0 dead (conv −10·x0), channel 1 always active (conv x1). */
export function residualModel(): Model {
  return model([
    node('Conv', ['x', 'W', 'b'], ['c'], { kernel_shape: [1, 1] }, { name: 'conv' }),
    node('Add', ['c', 'x'], ['s'], {}, { name: 'residual' }),
    node('Relu', ['s'], ['y'], {}, { name: 'relu' }),
  ], [f32('W', [2, 2, 1, 1], [-10, 0, 0, 1]), f32('b', [2], [0, 0])], ['N', 2, 2, 2]);
}

/** com.microsoft FusedConv with activation Relu on [N,1,2,2] inputs in [0,1): channel 0 dead, channel 1 always active, channel 2 alive (x − 0.5). */
export function fusedConvModel(): Model {
  return model([node('FusedConv', ['x', 'W', 'b'], ['y'], { kernel_shape: [1, 1], activation: 'Relu' }, { name: 'fused', domain: 'com.microsoft' })],
    [f32('W', [3, 1, 1, 1], [-1, 1, 1]), f32('b', [3], [-1, 0.5, -0.5])], ['N', 1, 2, 2], { opsets: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }] });
}

/**
 * Two dense layers on inputs in [0,1): layer 1 unit 0 is dead (all weights < 0); layer 2 unit 0
 * reads only that unit (bias 0), so it dies in a cascade; the other units are alive.
 */
export function cascadeModel(): Model {
  return model([
    node('Gemm', ['x', 'W1', 'b1'], ['h1'], { transB: 1 }, { name: 'dense1' }),
    node('Relu', ['h1'], ['r1'], {}, { name: 'relu1' }),
    node('Gemm', ['r1', 'W2', 'b2'], ['h2'], { transB: 1 }, { name: 'dense2' }),
    node('Relu', ['h2'], ['y'], {}, { name: 'relu2' }),
  ], [
    f32('W1', [2, 2], [-1, -1, 1, -1]), f32('b1', [2], [-0.5, 0]),
    f32('W2', [2, 2], [3, 0, 0, 1]), f32('b2', [2], [0, 0]),
  ], ['N', 2]);
}
