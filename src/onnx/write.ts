// Encodes the IR back to ONNX protobuf bytes, by field number with protobufjs' Writer (onnx.proto
// wire format). Each message's `unknownFields` are appended verbatim, so fields newer than
// onnx-proto survive a load → write. External tensors stay references (their entries as stored).
import { Writer } from 'protobufjs/minimal';
import {
  Attribute, DataType, Dim, Graph, Model, Node, OnnxFunction, OnnxTensor, OpsetImport, SparseTensor,
  TensorValues, TypeInfo, ValueInfo,
} from './ir';

const utf8 = new TextEncoder();
const LEN = 2;
const VARINT = 0;
const I32 = 5;

type RawPush = { _push(fn: (val: Uint8Array, buf: Uint8Array, pos: number) => void, len: number, val: Uint8Array): Writer };

function setBytes(val: Uint8Array, buf: Uint8Array, pos: number): void {
  buf.set(val, pos);
}

/** Append already-encoded fields verbatim (protobufjs has no public raw append; _push is its primitive). */
function raw(w: Writer, bytes: Uint8Array | undefined): void {
  if (bytes && bytes.length) (w as unknown as RawPush)._push(setBytes, bytes.length, bytes);
}

function tag(w: Writer, no: number, wt: number): Writer {
  return w.uint32((no << 3) | wt);
}

function str(w: Writer, no: number, s: string | undefined): void {
  if (s) tag(w, no, LEN).string(s);
}

function bytesField(w: Writer, no: number, b: Uint8Array): void {
  tag(w, no, LEN).bytes(b);
}

/** int64 from a JS number; ±MAX_SAFE_INTEGER (the saturated reading of INT64 max/min) is written as INT64 max/min. */
function int64(w: Writer, v: number): Writer {
  if (v >= Number.MAX_SAFE_INTEGER) return big(w, 9223372036854775807n);
  if (v <= -Number.MAX_SAFE_INTEGER) return big(w, -9223372036854775808n);
  return w.int64(v);
}

/** A 64-bit varint from a bigint, exact without the optional `long` package. */
function big(w: Writer, x: bigint): Writer {
  const u = BigInt.asUintN(64, x);
  const bits = { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: true };
  return w.uint64(bits as unknown as number);
}

function int64Field(w: Writer, no: number, v: number): void {
  if (v) int64(tag(w, no, VARINT), v);
}

function packedInt64(w: Writer, no: number, vs: readonly number[]): void {
  if (!vs.length) return;
  tag(w, no, LEN).fork();
  for (const v of vs) int64(w, v);
  w.ldelim();
}

function message(w: Writer, no: number, body: (w: Writer) => void): void {
  tag(w, no, LEN).fork();
  body(w);
  w.ldelim();
}

// ---- tensors ------------------------------------------------------------------------------

function packSubByte(values: Int8Array | Uint8Array, bits: number): number[] {
  const per = 8 / bits;
  const mask = (1 << bits) - 1;
  const out = new Array<number>(Math.ceil(values.length / per)).fill(0);
  for (let i = 0; i < values.length; i++) out[(i / per) | 0] |= (values[i] & mask) << ((i % per) * bits);
  return out;
}

function writeFieldValues(w: Writer, dt: DataType, v: TensorValues): void {
  if (v.length === 0) return;
  if (Array.isArray(v)) {
    for (const s of v) bytesField(w, 6, utf8.encode(s));
    return;
  }
  switch (dt) {
    case DataType.FLOAT: case DataType.COMPLEX64:
      tag(w, 4, LEN).fork();
      for (const x of v as Float32Array) w.float(x);
      w.ldelim();
      return;
    case DataType.DOUBLE: case DataType.COMPLEX128:
      tag(w, 10, LEN).fork();
      for (const x of v as Float64Array) w.double(x);
      w.ldelim();
      return;
    case DataType.INT64:
      tag(w, 7, LEN).fork();
      for (const x of v as BigInt64Array) big(w, x);
      w.ldelim();
      return;
    case DataType.UINT64: case DataType.UINT32:
      tag(w, 11, LEN).fork();
      for (const x of v as BigUint64Array | Uint32Array) big(w, BigInt(x));
      w.ldelim();
      return;
    default: {
      let ints: ArrayLike<number> = v as ArrayLike<number>;
      if (dt === DataType.INT4 || dt === DataType.UINT4 || dt === DataType.FLOAT4E2M1) ints = packSubByte(v as Uint8Array, 4);
      else if (dt === DataType.INT2 || dt === DataType.UINT2) ints = packSubByte(v as Uint8Array, 2);
      tag(w, 5, LEN).fork();
      for (let i = 0; i < ints.length; i++) w.int32(ints[i]);
      w.ldelim();
    }
  }
}

function writeTensorBody(w: Writer, t: OnnxTensor): void {
  packedInt64(w, 1, t.dims);
  if (t.dataType) tag(w, 2, VARINT).int32(t.dataType);
  if (t.segment) {
    const seg = t.segment;
    message(w, 3, (s) => {
      int64Field(s, 1, seg.begin);
      int64Field(s, 2, seg.end);
    });
  }
  const st = t.storage;
  if (st.kind === 'fields') writeFieldValues(w, t.dataType, st.values);
  str(w, 8, t.name);
  if (st.kind === 'raw') bytesField(w, 9, st.bytes);
  str(w, 12, t.docString);
  if (st.kind === 'external') {
    for (const [k, v] of st.entries) message(w, 13, (e) => writeEntry(e, k, v));
    tag(w, 14, VARINT).int32(1);
  }
  raw(w, t.unknownFields);
}

function writeEntry(w: Writer, key: string, value: string): void {
  str(w, 1, key);
  str(w, 2, value);
}

function writeSparse(w: Writer, s: SparseTensor): void {
  message(w, 1, (x) => writeTensorBody(x, s.values));
  message(w, 2, (x) => writeTensorBody(x, s.indices));
  packedInt64(w, 3, s.dims);
  raw(w, s.unknownFields);
}

// ---- types, value infos, attributes -------------------------------------------------------

function writeShape(w: Writer, shape: Dim[] | undefined): void {
  if (!shape) return;
  message(w, 2, (s) => {
    for (const d of shape) {
      message(s, 1, (x) => {
        if (typeof d === 'number') int64(tag(x, 1, VARINT), d);
        else if (typeof d === 'string') tag(x, 2, LEN).string(d);
      });
    }
  });
}

function writeType(w: Writer, t: TypeInfo): void {
  switch (t.kind) {
    case 'unknown':
      raw(w, t.raw);
      return;
    case 'tensor':
    case 'sparse_tensor':
      message(w, t.kind === 'tensor' ? 1 : 8, (x) => {
        if (t.elemType) tag(x, 1, VARINT).int32(t.elemType);
        writeShape(x, t.shape);
      });
      break;
    case 'sequence':
      message(w, 4, (x) => {
        if (t.elem) message(x, 1, (y) => writeType(y, t.elem as TypeInfo));
      });
      break;
    case 'map':
      message(w, 5, (x) => {
        if (t.keyType) tag(x, 1, VARINT).int32(t.keyType);
        if (t.value) message(x, 2, (y) => writeType(y, t.value as TypeInfo));
      });
      break;
    case 'optional':
      message(w, 9, (x) => {
        if (t.elem) message(x, 1, (y) => writeType(y, t.elem as TypeInfo));
      });
      break;
  }
  str(w, 6, t.denotation);
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  str(w, 1, v.name);
  if (v.type) message(w, 2, (x) => writeType(x, v.type as TypeInfo));
  str(w, 3, v.docString);
  raw(w, v.unknownFields);
}

const ATTR_TYPE_NO: Record<Attribute['type'], number> = {
  undefined: 0, float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8,
  tensors: 9, graphs: 10, sparse_tensor: 11, sparse_tensors: 12, type_proto: 13, type_protos: 14,
};

function writeAttr(w: Writer, a: Attribute): void {
  str(w, 1, a.name);
  switch (a.type) {
    case 'float': tag(w, 2, I32).float(a.value); break;
    case 'int': int64(tag(w, 3, VARINT), a.value); break;
    case 'string': bytesField(w, 4, a.value); break;
    case 'tensor': message(w, 5, (x) => writeTensorBody(x, a.value)); break;
    case 'graph': message(w, 6, (x) => writeGraph(x, a.value)); break;
    case 'floats':
      if (a.value.length) {
        tag(w, 7, LEN).fork();
        for (const f of a.value) w.float(f);
        w.ldelim();
      }
      break;
    case 'ints': packedInt64(w, 8, a.value); break;
    case 'strings': for (const s of a.value) bytesField(w, 9, s); break;
    case 'tensors': for (const t of a.value) message(w, 10, (x) => writeTensorBody(x, t)); break;
    case 'graphs': for (const g of a.value) message(w, 11, (x) => writeGraph(x, g)); break;
    case 'type_proto': message(w, 14, (x) => writeType(x, a.value)); break;
    case 'type_protos': for (const t of a.value) message(w, 15, (x) => writeType(x, t)); break;
    case 'sparse_tensor': message(w, 22, (x) => writeSparse(x, a.value)); break;
    case 'sparse_tensors': for (const s of a.value) message(w, 23, (x) => writeSparse(x, s)); break;
    case 'undefined': break;
  }
  str(w, 13, a.docString);
  if (a.type !== 'undefined') tag(w, 20, VARINT).int32(ATTR_TYPE_NO[a.type]);
  str(w, 21, a.refAttrName);
  raw(w, a.unknownFields);
}

// ---- nodes, graphs, functions, models -----------------------------------------------------

function writeNode(w: Writer, n: Node): void {
  for (const s of n.inputs) tag(w, 1, LEN).string(s);
  for (const s of n.outputs) tag(w, 2, LEN).string(s);
  str(w, 3, n.name);
  str(w, 4, n.opType);
  for (const a of n.attributes) message(w, 5, (x) => writeAttr(x, a));
  str(w, 6, n.docString);
  str(w, 7, n.domain);
  raw(w, n.unknownFields);
}

function writeGraph(w: Writer, g: Graph): void {
  for (const n of g.nodes) message(w, 1, (x) => writeNode(x, n));
  str(w, 2, g.name);
  for (const t of g.initializers) message(w, 5, (x) => writeTensorBody(x, t));
  str(w, 10, g.docString);
  for (const v of g.inputs) message(w, 11, (x) => writeValueInfo(x, v));
  for (const v of g.outputs) message(w, 12, (x) => writeValueInfo(x, v));
  for (const v of g.valueInfo) message(w, 13, (x) => writeValueInfo(x, v));
  for (const q of g.quantizationAnnotation) bytesField(w, 14, q);
  for (const s of g.sparseInitializers) message(w, 15, (x) => writeSparse(x, s));
  raw(w, g.unknownFields);
}

function writeOpset(w: Writer, o: OpsetImport): void {
  str(w, 1, o.domain);
  int64Field(w, 2, o.version);
}

function writeFunction(w: Writer, f: OnnxFunction): void {
  str(w, 1, f.name);
  for (const s of f.inputs) tag(w, 4, LEN).string(s);
  for (const s of f.outputs) tag(w, 5, LEN).string(s);
  for (const s of f.attributeNames) tag(w, 6, LEN).string(s);
  for (const n of f.nodes) message(w, 7, (x) => writeNode(x, n));
  str(w, 8, f.docString);
  for (const o of f.opsetImports) message(w, 9, (x) => writeOpset(x, o));
  str(w, 10, f.domain);
  for (const a of f.attributeDefaults) message(w, 11, (x) => writeAttr(x, a));
  raw(w, f.unknownFields);
}

function finish(w: Writer): Uint8Array {
  const out = w.finish();
  return out.constructor === Uint8Array ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Encode a model as ONNX protobuf bytes (`source` is not part of the file). */
export function encodeModel(m: Model): Uint8Array {
  const w = Writer.create();
  int64Field(w, 1, m.irVersion);
  str(w, 2, m.producerName);
  str(w, 3, m.producerVersion);
  str(w, 4, m.domain);
  int64Field(w, 5, m.modelVersion);
  str(w, 6, m.docString);
  message(w, 7, (x) => writeGraph(x, m.graph));
  for (const o of m.opsetImports) message(w, 8, (x) => writeOpset(x, o));
  for (const e of m.metadata) message(w, 14, (x) => writeEntry(x, e.key, e.value));
  for (const t of m.trainingInfo) bytesField(w, 20, t);
  for (const f of m.functions) message(w, 25, (x) => writeFunction(x, f));
  raw(w, m.unknownFields);
  return finish(w);
}

/** Encode a tensor as a standalone TensorProto (.pb file bytes). */
export function encodeTensor(t: OnnxTensor): Uint8Array {
  const w = Writer.create();
  writeTensorBody(w, t);
  return finish(w);
}
