// Builds small ONNX models in code for tests: inputs, seeded random initializers, nodes with
// attributes inferred from plain values, outputs; gives the IR Model and its encoded bytes.
import { Attribute, DataType, Dim, Graph, Model, Node, OnnxFunction, OnnxTensor, TensorValues, ValueInfo } from '../../src/onnx/ir';
import { allocValues } from '../../src/onnx/dtype';
import { encodeModel } from '../../src/onnx/write';
import { sizeOf } from '../../src/runtime/tensor';

/** Marks a number as a float attribute even when it is integral (`f(1)`). */
export class FloatAttr {
  constructor(readonly value: number) {}
}
/** A float attribute value. */
export const f = (v: number): FloatAttr => new FloatAttr(v);

/** Attribute values: integers → int, other numbers or FloatAttr → float, integer arrays → ints, etc. */
export type AttrValue = number | FloatAttr | string | number[] | FloatAttr[] | string[] | OnnxTensor | Graph;

/** A seeded PRNG (mulberry32) with uniform and normal draws. */
export function seeded(seed: number): { uniform(): number; normal(): number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** An OnnxTensor holding `values` (typed-field storage). */
export function onnxTensor(name: string, dataType: DataType, dims: number[], values: TensorValues): OnnxTensor {
  return { name, dataType, dims, docString: '', storage: { kind: 'fields', values } };
}

function attribute(name: string, v: AttrValue): Attribute {
  if (v instanceof FloatAttr) return { name, type: 'float', value: v.value };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 'int', value: v } : { name, type: 'float', value: v };
  if (typeof v === 'string') return { name, type: 'string', value: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'string') return { name, type: 'strings', value: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    if (v.some((x) => x instanceof FloatAttr || !Number.isInteger(x))) {
      return { name, type: 'floats', value: (v as Array<number | FloatAttr>).map((x) => (x instanceof FloatAttr ? x.value : x)) };
    }
    return { name, type: 'ints', value: v as number[] };
  }
  if ('nodes' in v) return { name, type: 'graph', value: v };
  return { name, type: 'tensor', value: v };
}

/** Accumulates a graph; `build()` gives the Model, `bytes()` its encoding. */
export class ModelBuilder {
  private readonly nodes: Node[] = [];
  private readonly inits: OnnxTensor[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly functions: OnnxFunction[] = [];
  private readonly opsets = new Map<string, number>();
  private counter = 0;
  readonly rng: { uniform(): number; normal(): number };

  constructor(opts: { opset?: number; seed?: number; irVersion?: number } = {}) {
    this.opsets.set('', opts.opset ?? 17);
    this.rng = seeded(opts.seed ?? 1);
    this.irVersion = opts.irVersion ?? 8;
  }
  private readonly irVersion: number;

  /** Imports another domain's opset. */
  opset(domain: string, version: number): this {
    this.opsets.set(domain, version);
    return this;
  }

  /** Declares a graph input; returns its name. */
  input(name: string, elemType: DataType, shape?: Dim[]): string {
    this.inputs.push({ name, docString: '', type: { kind: 'tensor', elemType, shape } });
    return name;
  }

  /** Declares a graph output. */
  output(name: string, elemType: DataType = DataType.FLOAT, shape?: Dim[]): this {
    this.outputs.push({ name, docString: '', type: { kind: 'tensor', elemType, shape } });
    return this;
  }

  /** Declares a graph output of any type (sequence, optional, ...). */
  outputOf(name: string, type: ValueInfo['type']): this {
    this.outputs.push({ name, docString: '', type });
    return this;
  }

  /** An initializer with the given values; returns its name. */
  init(name: string, dataType: DataType, dims: number[], values: ArrayLike<number> | ArrayLike<bigint>): string {
    const v = allocValues(dataType, sizeOf(dims));
    (v as unknown as { set(a: ArrayLike<unknown>): void }).set(values as ArrayLike<unknown>);
    this.inits.push(onnxTensor(name, dataType, dims, v));
    return name;
  }

  /** A float32 initializer of normal draws × scale (+ offset); returns its name. */
  randn(name: string, dims: number[], scale = 1, offset = 0): string {
    const v = new Float32Array(sizeOf(dims));
    for (let i = 0; i < v.length; i++) v[i] = this.rng.normal() * scale + offset;
    this.inits.push(onnxTensor(name, DataType.FLOAT, dims, v));
    return name;
  }

  /** An int64 initializer; returns its name. */
  ints(name: string, values: number[], dims: number[] = [values.length]): string {
    return this.init(name, DataType.INT64, dims, values.map((x) => BigInt(x)));
  }

  /** Adds a node; returns its output names (one per `outputs`, default one named after the node). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { name?: string; outputs?: number | string[]; domain?: string } = {}): string[] {
    const name = opts.name ?? `${opType.toLowerCase()}_${this.counter++}`;
    const outs = Array.isArray(opts.outputs) ? opts.outputs : Array.from({ length: opts.outputs ?? 1 }, (_, i) => (i ? `${name}_out${i}` : `${name}_out`));
    this.nodes.push({
      name, opType, domain: opts.domain ?? '', inputs, outputs: outs, docString: '',
      attributes: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Adds a node with one output; returns that output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { name?: string; domain?: string } = {}): string {
    return this.node(opType, inputs, attrs, opts)[0];
  }

  /** Adds a model-local function. */
  func(fn: OnnxFunction): this {
    this.functions.push(fn);
    return this;
  }

  /** The IR model. */
  build(): Model {
    return {
      irVersion: this.irVersion,
      opsetImports: [...this.opsets].map(([domain, version]) => ({ domain, version })),
      producerName: 'relu-doctor-tests', producerVersion: '', domain: '', modelVersion: 0, docString: '',
      graph: {
        name: 'test', nodes: this.nodes.slice(), initializers: this.inits.slice(), sparseInitializers: [],
        inputs: this.inputs.slice(), outputs: this.outputs.slice(), valueInfo: [], docString: '', quantizationAnnotation: [],
      },
      metadata: [], trainingInfo: [], functions: this.functions.slice(), source: { byteLength: 0 },
    };
  }

  /** The model encoded as ONNX bytes. */
  bytes(): Uint8Array {
    return encodeModel(this.build());
  }
}
