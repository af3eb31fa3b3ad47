// Private to src/onnx/: converts onnx-proto (protobufjs) objects into the IR of ir.ts, pairing
// each decoded message with its own wire bytes so unknown fields are kept (see load.ts header).
import * as path from 'node:path';
import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';
import {
  Attribute, DataType, Dim, Graph, Model, ModelError, ModelSource, Node, OnnxFunction, OnnxTensor,
  OpsetImport, SparseTensor, TensorStorage, TensorValues, TypeInfo, ValueInfo,
} from './ir';
import { WireField, lastPayload, payloads, readInt64s, unknownBytes, walkFields } from './wire';

/** Deepest subgraph nesting accepted (If/Loop/Scan bodies inside each other). */
export const MAX_GRAPH_DEPTH = 64;

/** Field numbers onnx-proto (ONNX 1.10) declares per message, plus those this file decodes itself. */
export const KNOWN = {
  model: new Set([1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25]),
  graph: new Set([1, 2, 5, 10, 11, 12, 13, 14, 15]),
  node: new Set([1, 2, 3, 4, 5, 6, 7]),
  attr: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 20, 21, 22, 23]),
  tensor: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]),
  sparse: new Set([1, 2, 3]),
  valueInfo: new Set([1, 2, 3]),
  // 11 = attribute_proto (ONNX 1.13), decoded here by field number.
  func: new Set([1, 4, 5, 6, 7, 8, 9, 10, 11]),
  opset: new Set([1, 2]),
};

/** Conversion context: the file label for errors and the folder external data must stay in. */
export interface Ctx {
  file: string;
  dir?: string;
  realDir?: string | null;
}

type LongLike = { low: number; high: number; unsigned?: boolean };

/** An int64 from protobufjs (number or Long) as a JS number, saturated to ±MAX_SAFE_INTEGER. */
export function num(v: number | LongLike | null | undefined): number {
  if (v == null) return 0;
  let n: number;
  if (typeof v === 'number') n = v;
  else n = (v.unsigned ? v.high >>> 0 : v.high) * 4294967296 + (v.low >>> 0);
  if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  if (n < -Number.MAX_SAFE_INTEGER) return -Number.MAX_SAFE_INTEGER;
  return n;
}

const utf8 = new TextDecoder('utf-8');

function err(ctx: Ctx, msg: string): ModelError {
  return new ModelError(`${ctx.file}: ${msg}`);
}

function withUnknown<T extends object>(o: T, u: Uint8Array | undefined): T {
  if (u) (o as { unknownFields?: Uint8Array }).unknownFields = u;
  return o;
}

// ---- tensors ------------------------------------------------------------------------------

/** Convert a TensorProto (object + its bytes). */
export function convertTensor(t: onnx.ITensorProto, bytes: Uint8Array, ctx: Ctx): OnnxTensor {
  const fields = walkFields(bytes);
  const dataType = (t.dataType ?? 0) as DataType;
  const name = t.name ?? '';
  const dims = (t.dims ?? []).map(num);
  let known: ReadonlySet<number> = KNOWN.tensor;
  let storage: TensorStorage;
  if (t.dataLocation === 1) {
    storage = externalStorage(t, name, ctx);
  } else if (fields.some((f) => f.no === 9)) {
    storage = { kind: 'raw', bytes: t.rawData ?? new Uint8Array(0) };
  } else {
    const values = fieldValues(t, dataType, dims, bytes, fields);
    if (!values) {
      // An element type this version does not know: keep its data fields as unknown bytes.
      known = new Set([1, 2, 3, 8, 9, 12, 13, 14]);
      storage = { kind: 'fields', values: new Uint8Array(0) };
    } else storage = { kind: 'fields', values };
  }
  const out: OnnxTensor = { name, dataType, dims, docString: t.docString ?? '', storage };
  if (t.segment) out.segment = { begin: num(t.segment.begin), end: num(t.segment.end) };
  return withUnknown(out, unknownBytes(bytes, fields, known));
}

function externalStorage(t: onnx.ITensorProto, name: string, ctx: Ctx): TensorStorage {
  const entries: Array<[string, string]> = (t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']);
  const get = (k: string): string | undefined => {
    let v: string | undefined;
    for (const [ek, ev] of entries) if (ek === k) v = ev;
    return v;
  };
  const location = get('location');
  if (!location) throw err(ctx, `tensor '${name}' is marked external but has no 'location'; re-save the model with its external data`);
  checkLocation(location, name, ctx);
  const int = (k: string): number | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(Number(v))) {
      throw err(ctx, `tensor '${name}' has external data ${k} '${v}', which is not a non-negative integer; fix or re-save the model`);
    }
    return Number(v);
  };
  return { kind: 'external', location, offset: int('offset') ?? 0, length: int('length'), entries };
}

/** Refuse external-data locations that leave the model's folder (absolute, '..', symlinks out). */
export function checkLocation(location: string, tensor: string, ctx: Ctx): void {
  const bad = (why: string): ModelError =>
    err(ctx, `tensor '${tensor}' has external data location '${location}' (${why}); external data must live inside the model's folder`);
  if (location.includes('\0')) throw bad('contains a NUL byte');
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[A-Za-z]:/.test(location)) {
    throw bad('an absolute path');
  }
  if (location.split(/[\\/]+/).includes('..')) throw bad("a '..' path");
  if (!ctx.dir) return;
  if (ctx.realDir === undefined) {
    try {
      ctx.realDir = fs.realpathSync(ctx.dir);
    } catch {
      ctx.realDir = null;
    }
  }
  if (!ctx.realDir) return;
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(ctx.dir, location));
  } catch {
    return; // missing file: reported when the data is read
  }
  if (real !== ctx.realDir && !real.startsWith(ctx.realDir + path.sep)) throw bad('a link to outside the folder');
}

function elementCount(dims: number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Values of the typed repeated fields, per ONNX storage rules; undefined for an unknown dtype. */
function fieldValues(t: onnx.ITensorProto, dt: DataType, dims: number[], bytes: Uint8Array, fields: WireField[]): TensorValues | undefined {
  const i32 = t.int32Data ?? [];
  switch (dt) {
    case DataType.FLOAT: case DataType.COMPLEX64: return Float32Array.from(t.floatData ?? []);
    case DataType.DOUBLE: case DataType.COMPLEX128: return Float64Array.from(t.doubleData ?? []);
    case DataType.INT32: return Int32Array.from(i32);
    case DataType.INT16: return Int16Array.from(i32);
    case DataType.INT8: return Int8Array.from(i32);
    case DataType.UINT16: case DataType.FLOAT16: case DataType.BFLOAT16: return Uint16Array.from(i32);
    case DataType.UINT8: case DataType.BOOL: case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2: case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT8E8M0:
      return Uint8Array.from(i32);
    case DataType.INT4: case DataType.UINT4: case DataType.FLOAT4E2M1:
      return unpackSubByte(Uint8Array.from(i32), 4, dt === DataType.INT4, elementCount(dims));
    case DataType.INT2: case DataType.UINT2:
      return unpackSubByte(Uint8Array.from(i32), 2, dt === DataType.INT2, elementCount(dims));
    case DataType.INT64: return BigInt64Array.from(readInt64s(bytes, fields, 7, false));
    case DataType.UINT64: return BigUint64Array.from(readInt64s(bytes, fields, 11, true));
    case DataType.UINT32: return Uint32Array.from(readInt64s(bytes, fields, 11, true), (v) => Number(BigInt.asUintN(32, v)));
    case DataType.STRING: return (t.stringData ?? []).map((s) => utf8.decode(s));
    case DataType.UNDEFINED: return new Uint8Array(0);
    default: return undefined;
  }
}

/**
 * Unpack 4-bit (two per byte) or 2-bit (four per byte) elements, low bits first. `want` is the
 * element count from dims; used when it fits the packed capacity, else the whole capacity is
 * unpacked and the length mismatch is reported by tensorValues().
 */
export function unpackSubByte(packed: Uint8Array, bits: 2 | 4, signed: boolean, want: number): Int8Array | Uint8Array {
  const per = 8 / bits;
  const cap = packed.length * per;
  const n = want <= cap && want > cap - per ? want : cap;
  const out = signed ? new Int8Array(n) : new Uint8Array(n);
  const mask = (1 << bits) - 1;
  const shiftBack = 32 - bits;
  for (let i = 0; i < n; i++) {
    const v = (packed[(i / per) | 0] >> ((i % per) * bits)) & mask;
    out[i] = signed ? (v << shiftBack) >> shiftBack : v;
  }
  return out;
}

export function convertSparse(s: onnx.ISparseTensorProto, bytes: Uint8Array, ctx: Ctx): SparseTensor {
  const fields = walkFields(bytes);
  const vb = lastPayload(bytes, fields, 1);
  const ib = lastPayload(bytes, fields, 2);
  if (!s.values || !vb || !s.indices || !ib) throw err(ctx, 'a sparse tensor lacks its values or indices; re-export the model');
  const out: SparseTensor = {
    values: convertTensor(s.values, vb, ctx),
    indices: convertTensor(s.indices, ib, ctx),
    dims: (s.dims ?? []).map(num),
  };
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.sparse));
}

// ---- types --------------------------------------------------------------------------------

function shapeOf(s: onnx.ITensorShapeProto | null | undefined): Dim[] | undefined {
  if (!s) return undefined;
  return (s.dim ?? []).map((d): Dim => {
    const which = (d as onnx.TensorShapeProto.Dimension).value;
    if (which === 'dimValue') return num(d.dimValue);
    if (which === 'dimParam') return d.dimParam ?? '';
    if (d.dimValue != null) return num(d.dimValue);
    if (d.dimParam != null) return d.dimParam;
    return null;
  });
}

/** Convert a TypeProto; `bytes` is its own encoding (kept whole for kinds onnx-proto cannot express). */
export function convertType(tp: onnx.ITypeProto, bytes: Uint8Array): TypeInfo {
  const denot = tp.denotation ? { denotation: tp.denotation } : {};
  const sub = (no: number, inner: number): Uint8Array => {
    const f = walkFields(bytes);
    const p = lastPayload(bytes, f, no) ?? new Uint8Array(0);
    return lastPayload(p, walkFields(p), inner) ?? new Uint8Array(0);
  };
  if (tp.tensorType) {
    const shape = shapeOf(tp.tensorType.shape);
    return { kind: 'tensor', elemType: (tp.tensorType.elemType ?? 0) as DataType, ...(shape ? { shape } : {}), ...denot };
  }
  if (tp.sparseTensorType) {
    const shape = shapeOf(tp.sparseTensorType.shape);
    return { kind: 'sparse_tensor', elemType: (tp.sparseTensorType.elemType ?? 0) as DataType, ...(shape ? { shape } : {}), ...denot };
  }
  if (tp.sequenceType) {
    const e = tp.sequenceType.elemType;
    return { kind: 'sequence', ...(e ? { elem: convertType(e, sub(4, 1)) } : {}), ...denot };
  }
  if (tp.mapType) {
    const v = tp.mapType.valueType;
    return { kind: 'map', keyType: (tp.mapType.keyType ?? 0) as DataType, ...(v ? { value: convertType(v, sub(5, 2)) } : {}), ...denot };
  }
  if (tp.optionalType) {
    const e = tp.optionalType.elemType;
    return { kind: 'optional', ...(e ? { elem: convertType(e, sub(9, 1)) } : {}), ...denot };
  }
  return { kind: 'unknown', raw: bytes.slice(), ...denot };
}

function convertValueInfo(v: onnx.IValueInfoProto, bytes: Uint8Array): ValueInfo {
  const fields = walkFields(bytes);
  const out: ValueInfo = { name: v.name ?? '', docString: v.docString ?? '' };
  if (v.type) out.type = convertType(v.type, lastPayload(bytes, fields, 2) ?? new Uint8Array(0));
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.valueInfo));
}

// ---- attributes, nodes, graphs ------------------------------------------------------------

const ATTR_TYPES: Record<number, Attribute['type']> = {
  0: 'undefined', 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints',
  8: 'strings', 9: 'tensors', 10: 'graphs', 11: 'sparse_tensor', 12: 'sparse_tensors', 13: 'type_proto',
  14: 'type_protos',
};
/** Attribute type implied by the value field present, for old files without `type`. */
const FIELD_TYPES: Array<[number, Attribute['type']]> = [
  [2, 'float'], [3, 'int'], [4, 'string'], [5, 'tensor'], [6, 'graph'], [22, 'sparse_tensor'],
  [14, 'type_proto'], [7, 'floats'], [8, 'ints'], [9, 'strings'], [10, 'tensors'], [11, 'graphs'],
  [23, 'sparse_tensors'], [15, 'type_protos'],
];

/** Convert an AttributeProto; `where` names the node for errors. */
export function convertAttr(a: onnx.IAttributeProto, bytes: Uint8Array, ctx: Ctx, depth: number, where: string): Attribute {
  const fields = walkFields(bytes);
  const name = a.name ?? '';
  const typeNo = a.type ?? 0;
  let type: Attribute['type'] | undefined = ATTR_TYPES[typeNo];
  let known: ReadonlySet<number> = KNOWN.attr;
  if (type === undefined) {
    // An attribute type newer than this reader: keep everything but name/doc/ref as unknown bytes.
    type = 'undefined';
    known = new Set([1, 13, 21]);
  } else if (type === 'undefined' && typeNo === 0) {
    for (const [no, t] of FIELD_TYPES) {
      if (fields.some((f) => f.no === no)) {
        type = t;
        break;
      }
    }
  }
  const head: { name: string; docString?: string; refAttrName?: string } = { name };
  if (a.docString) head.docString = a.docString;
  if (a.refAttrName) head.refAttrName = a.refAttrName;
  const missing = (): ModelError =>
    err(ctx, `attribute '${name}' of ${where} is declared ${type} but holds no value; re-export the model`);
  const one = (no: number): Uint8Array => {
    const p = lastPayload(bytes, fields, no);
    if (!p) throw missing();
    return p;
  };
  const many = (no: number): Uint8Array[] => payloads(bytes, fields, no);
  let out: Attribute;
  switch (type) {
    case 'float': out = { ...head, type, value: a.f ?? 0 }; break;
    case 'int': out = { ...head, type, value: num(a.i) }; break;
    case 'string': out = { ...head, type, value: a.s ?? new Uint8Array(0) }; break;
    case 'tensor':
      if (!a.t) throw missing();
      out = { ...head, type, value: convertTensor(a.t, one(5), ctx) };
      break;
    case 'graph':
      if (!a.g) throw missing();
      out = { ...head, type, value: convertGraph(a.g, one(6), ctx, depth + 1) };
      break;
    case 'sparse_tensor':
      if (!a.sparseTensor) throw missing();
      out = { ...head, type, value: convertSparse(a.sparseTensor, one(22), ctx) };
      break;
    case 'type_proto':
      if (!a.tp) throw missing();
      out = { ...head, type, value: convertType(a.tp, one(14)) };
      break;
    case 'floats': out = { ...head, type, value: (a.floats ?? []).slice() }; break;
    case 'ints': out = { ...head, type, value: (a.ints ?? []).map(num) }; break;
    case 'strings': out = { ...head, type, value: (a.strings ?? []).slice() }; break;
    case 'tensors': {
      const b = many(10);
      out = { ...head, type, value: (a.tensors ?? []).map((t, i) => convertTensor(t, b[i], ctx)) };
      break;
    }
    case 'graphs': {
      const b = many(11);
      out = { ...head, type, value: (a.graphs ?? []).map((g, i) => convertGraph(g, b[i], ctx, depth + 1)) };
      break;
    }
    case 'sparse_tensors': {
      const b = many(23);
      out = { ...head, type, value: (a.sparseTensors ?? []).map((s, i) => convertSparse(s, b[i], ctx)) };
      break;
    }
    case 'type_protos': {
      const b = many(15);
      out = { ...head, type, value: (a.typeProtos ?? []).map((t, i) => convertType(t, b[i])) };
      break;
    }
    default: out = { ...head, type: 'undefined', value: undefined };
  }
  return withUnknown(out, unknownBytes(bytes, fields, known));
}

function nodeWhere(n: onnx.INodeProto): string {
  const label = n.name ? `'${n.name}'` : `(unnamed, output '${n.output?.[0] ?? '?'}')`;
  return `${n.opType ?? '?'} node ${label}`;
}

export function convertNode(n: onnx.INodeProto, bytes: Uint8Array, ctx: Ctx, depth: number): Node {
  const fields = walkFields(bytes);
  const ab = payloads(bytes, fields, 5);
  const where = nodeWhere(n);
  const out: Node = {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: (n.input ?? []).slice(),
    outputs: (n.output ?? []).slice(),
    attributes: (n.attribute ?? []).map((a, i) => convertAttr(a, ab[i], ctx, depth, where)),
    docString: n.docString ?? '',
  };
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.node));
}

/** Convert a GraphProto at subgraph nesting `depth` (0 = main graph). */
export function convertGraph(g: onnx.IGraphProto, bytes: Uint8Array, ctx: Ctx, depth: number): Graph {
  if (depth > MAX_GRAPH_DEPTH) {
    throw err(ctx, `subgraphs are nested more than ${MAX_GRAPH_DEPTH} deep; the file is corrupt or hostile`);
  }
  const fields = walkFields(bytes);
  const nb = payloads(bytes, fields, 1);
  const tb = payloads(bytes, fields, 5);
  const sb = payloads(bytes, fields, 15);
  const ib = payloads(bytes, fields, 11);
  const ob = payloads(bytes, fields, 12);
  const vb = payloads(bytes, fields, 13);
  const out: Graph = {
    name: g.name ?? '',
    nodes: (g.node ?? []).map((n, i) => convertNode(n, nb[i], ctx, depth)),
    initializers: (g.initializer ?? []).map((t, i) => convertTensor(t, tb[i], ctx)),
    sparseInitializers: (g.sparseInitializer ?? []).map((s, i) => convertSparse(s, sb[i], ctx)),
    inputs: (g.input ?? []).map((v, i) => convertValueInfo(v, ib[i])),
    outputs: (g.output ?? []).map((v, i) => convertValueInfo(v, ob[i])),
    valueInfo: (g.valueInfo ?? []).map((v, i) => convertValueInfo(v, vb[i])),
    docString: g.docString ?? '',
    quantizationAnnotation: payloads(bytes, fields, 14),
  };
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.graph));
}

function convertOpset(o: onnx.IOperatorSetIdProto): OpsetImport {
  return { domain: o.domain ?? '', version: num(o.version) };
}

function convertFunction(f: onnx.IFunctionProto, bytes: Uint8Array, ctx: Ctx): OnnxFunction {
  const fields = walkFields(bytes);
  const nb = payloads(bytes, fields, 7);
  const where = `function '${f.domain ?? ''}:${f.name ?? ''}'`;
  const out: OnnxFunction = {
    name: f.name ?? '',
    domain: f.domain ?? '',
    inputs: (f.input ?? []).slice(),
    outputs: (f.output ?? []).slice(),
    attributeNames: (f.attribute ?? []).slice(),
    attributeDefaults: payloads(bytes, fields, 11).map((b) => convertAttr(onnx.AttributeProto.decode(b), b, ctx, 0, where)),
    nodes: (f.node ?? []).map((n, i) => convertNode(n, nb[i], ctx, 0)),
    opsetImports: (f.opsetImport ?? []).map(convertOpset),
    docString: f.docString ?? '',
  };
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.func));
}

/** Convert a decoded ModelProto whose encoding is `bytes`. */
export function convertModel(m: onnx.IModelProto, bytes: Uint8Array, ctx: Ctx, source: ModelSource): Model {
  const fields = walkFields(bytes);
  const gb = lastPayload(bytes, fields, 7);
  if (!m.graph || !gb) {
    throw err(ctx, 'not an ONNX model: it has no graph; open a .onnx file exported by a framework');
  }
  const fb = payloads(bytes, fields, 25);
  const out: Model = {
    irVersion: num(m.irVersion),
    opsetImports: (m.opsetImport ?? []).map(convertOpset),
    producerName: m.producerName ?? '',
    producerVersion: m.producerVersion ?? '',
    domain: m.domain ?? '',
    modelVersion: num(m.modelVersion),
    docString: m.docString ?? '',
    graph: convertGraph(m.graph, gb, ctx, 0),
    metadata: (m.metadataProps ?? []).map((e) => ({ key: e.key ?? '', value: e.value ?? '' })),
    trainingInfo: payloads(bytes, fields, 20),
    functions: (m.functions ?? []).map((f, i) => convertFunction(f, fb[i], ctx)),
    source,
  };
  return withUnknown(out, unknownBytes(bytes, fields, KNOWN.model));
}
