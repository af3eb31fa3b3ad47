// Refills the weight-stripped fixture models of test/fixtures/models/ (see
// scripts/fixtures/make-architectures.py): every graph input named in the metadata entry
// `relu_doctor.stripped_weights` becomes an initializer again, filled with seeded values chosen by
// the tensor's role, so activations stay in a sane range through deep networks.
import { DataType, Model, Node, OnnxTensor } from '../../src/onnx/ir';
import { sizeOf } from '../../src/runtime/tensor';
import { seeded } from './model-builder';

/** The metadata key listing the stripped initializers (comma-separated names). */
export const STRIPPED_KEY = 'relu_doctor.stripped_weights';

/** How a stripped tensor is filled. */
export type WeightRole =
  | { readonly kind: 'he'; readonly fanIn: number } // N(0, 2 / fan_in)
  | { readonly kind: 'bias' } // N(0, 0.01²)
  | { readonly kind: 'scale' } // 1 ± 0.1 (normal, std 0.1)
  | { readonly kind: 'shift' } // N(0, 0.1²): normalization bias and running mean
  | { readonly kind: 'variance' } // uniform(0.5, 1.5)
  | { readonly kind: 'other' }; // N(0, 0.02²)

/** The names listed in the model's `relu_doctor.stripped_weights` metadata (empty when absent). */
export function strippedNames(model: Model): string[] {
  const entry = model.metadata.find((e) => e.key === STRIPPED_KEY);
  return entry ? entry.value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/**
 * A copy of `model` whose stripped weights are initializers again (removed from the graph inputs),
 * filled deterministically from `seed` by role (see `roleOf`). The input model is not modified.
 */
export function fillStrippedWeights(model: Model, seed: number): Model {
  const names = strippedNames(model);
  const wanted = new Set(names);
  const inputs = new Map(model.graph.inputs.map((v) => [v.name, v]));
  const consumers = consumerMap(model.graph.nodes);
  const rng = seeded(seed);
  const inits: OnnxTensor[] = [];
  for (const name of names) {
    const info = inputs.get(name);
    const type = info?.type;
    if (!type || type.kind !== 'tensor' || type.elemType !== DataType.FLOAT || !type.shape) {
      throw new Error(`stripped weight "${name}" is not a float graph input with a declared shape`);
    }
    const dims = type.shape.map((d) => {
      if (typeof d !== 'number') throw new Error(`stripped weight "${name}" has a symbolic dimension`);
      return d;
    });
    const values = fill(roleOf(name, dims, consumers), sizeOf(dims), rng);
    inits.push({ name, dataType: DataType.FLOAT, dims, docString: '', storage: { kind: 'raw', bytes: new Uint8Array(values.buffer) } });
  }
  return {
    ...model,
    metadata: model.metadata.filter((e) => e.key !== STRIPPED_KEY),
    graph: {
      ...model.graph,
      inputs: model.graph.inputs.filter((v) => !wanted.has(v.name)),
      initializers: [...model.graph.initializers, ...inits],
    },
  };
}

/** Every (node, input index) reading each value, looking through Identity nodes. */
function consumerMap(nodes: readonly Node[]): (name: string) => Array<{ node: Node; index: number }> {
  const readers = new Map<string, Array<{ node: Node; index: number }>>();
  for (const node of nodes) {
    node.inputs.forEach((name, index) => {
      const list = readers.get(name) ?? [];
      list.push({ node, index });
      readers.set(name, list);
    });
  }
  const resolve = (name: string, depth: number): Array<{ node: Node; index: number }> => {
    const out: Array<{ node: Node; index: number }> = [];
    for (const r of readers.get(name) ?? []) {
      if (r.node.opType === 'Identity' && depth < 8) out.push(...resolve(r.node.outputs[0], depth + 1));
      else out.push(r);
    }
    return out;
  };
  return (name) => resolve(name, 0);
}

function intAttr(node: Node, name: string, dflt: number): number {
  const a = node.attributes.find((x) => x.name === name);
  return a && a.type === 'int' ? Number(a.value) : dflt;
}

/**
 * The role of a weight from its first reader: Conv/ConvTranspose/Gemm/MatMul weights are He-scaled
 * by their fan-in (Gemm's transB respected), their biases small; BatchNormalization and
 * LayerNormalization parameters, and the Mul/Add of a decomposed LayerNorm, get normalization-like
 * values; anything else N(0, 0.02).
 */
export function roleOf(name: string, dims: readonly number[], consumers: (name: string) => Array<{ node: Node; index: number }>): WeightRole {
  const r = consumers(name)[0];
  if (!r) return { kind: 'other' };
  const { node, index } = r;
  const prod = (a: readonly number[]): number => a.reduce((p, d) => p * d, 1);
  switch (node.opType) {
    case 'Conv':
      if (index === 1) return { kind: 'he', fanIn: prod(dims.slice(1)) };
      return index === 2 ? { kind: 'bias' } : { kind: 'other' };
    case 'ConvTranspose':
      if (index === 1) return { kind: 'he', fanIn: (dims[0] / Math.max(1, intAttr(node, 'group', 1))) * prod(dims.slice(2)) };
      return index === 2 ? { kind: 'bias' } : { kind: 'other' };
    case 'Gemm':
      if (index === 1) return { kind: 'he', fanIn: intAttr(node, 'transB', 0) ? dims[1] : dims[0] };
      if (index === 0) return { kind: 'he', fanIn: intAttr(node, 'transA', 0) ? dims[0] : dims[1] };
      return { kind: 'bias' };
    case 'MatMul':
      if (index === 1 && dims.length >= 2) return { kind: 'he', fanIn: dims[dims.length - 2] };
      return { kind: 'other' };
    case 'BatchNormalization':
      return [{ kind: 'other' }, { kind: 'scale' }, { kind: 'shift' }, { kind: 'shift' }, { kind: 'variance' }][index] as WeightRole;
    case 'LayerNormalization':
      return index === 1 ? { kind: 'scale' } : index === 2 ? { kind: 'shift' } : { kind: 'other' };
    case 'Mul':
      return dims.length <= 1 ? { kind: 'scale' } : { kind: 'other' };
    case 'Add':
      if (dims.length > 1) return { kind: 'other' };
      return /norm|(^|[._])(ln|bn)\d*([._]|$)/i.test(name) ? { kind: 'shift' } : { kind: 'bias' };
    default:
      return { kind: 'other' };
  }
}

/** `n` float32 values drawn for the role (normals by Box–Muller, both values of each pair used). */
function fill(role: WeightRole, n: number, rng: { uniform(): number; normal(): number }): Float32Array {
  const v = new Float32Array(n);
  let std = 0.02;
  let mean = 0;
  switch (role.kind) {
    case 'he': std = Math.sqrt(2 / Math.max(1, role.fanIn)); break;
    case 'bias': std = 0.01; break;
    case 'scale': std = 0.1; mean = 1; break;
    case 'shift': std = 0.1; break;
    case 'variance':
      for (let i = 0; i < n; i++) v[i] = 0.5 + rng.uniform();
      return v;
    case 'other': break;
  }
  for (let i = 0; i < n; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - rng.uniform()));
    const t = 2 * Math.PI * rng.uniform();
    v[i] = mean + r * Math.cos(t);
    if (i + 1 < n) v[i + 1] = mean + r * Math.sin(t);
  }
  return v;
}
