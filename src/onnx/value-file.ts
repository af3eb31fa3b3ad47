// Private to src/onnx/: decodes SequenceProto, OptionalProto and MapProto (onnx-ml.proto) value
// files by field number, since onnx-proto 1.10 lacks these messages.
import { onnx } from 'onnx-proto';
import { DataType, ModelError, OnnxTensor, SparseTensor, TensorValues, TypeInfo } from './ir';
import { Ctx, convertSparse, convertTensor } from './convert';
import { WireField, lastPayload, payloads, readInt64s, walkFields } from './wire';

/** A runtime value as stored in a conformance .pb file. */
export type OnnxValue =
  | { kind: 'tensor'; tensor: OnnxTensor }
  | { kind: 'sparse_tensor'; tensor: SparseTensor }
  | { kind: 'sequence'; elems: OnnxValue[] }
  | { kind: 'optional'; value?: OnnxValue }
  /** keys: BigInt64Array for integer key types, string[] for string keys; values pair with keys. */
  | { kind: 'map'; keyType: DataType; keys: TensorValues; values: OnnxValue[] };

const MAX_DEPTH = 64;
const utf8 = new TextDecoder('utf-8');

function varintField(buf: Uint8Array, fields: WireField[], no: number): number {
  const v = readInt64s(buf, fields, no, false);
  return v.length ? Number(v[v.length - 1]) : 0;
}

function tensorAt(b: Uint8Array, ctx: Ctx): OnnxTensor {
  return convertTensor(onnx.TensorProto.decode(b), b, ctx);
}

function sparseAt(b: Uint8Array, ctx: Ctx): SparseTensor {
  return convertSparse(onnx.SparseTensorProto.decode(b), b, ctx);
}

// SequenceProto/OptionalProto elem_type: 1 tensor, 2 sparse, 3 sequence, 4 map, 5 optional.
const KIND_BY_ELEM: Record<number, TypeInfo['kind']> = { 1: 'tensor', 2: 'sparse_tensor', 3: 'sequence', 4: 'map', 5: 'optional' };

/** Decode a value of type `t` from `bytes` (the message matching t.kind). */
export function decodeValue(bytes: Uint8Array, t: TypeInfo, ctx: Ctx, depth = 0): OnnxValue {
  if (depth > MAX_DEPTH) throw new ModelError(`${ctx.file}: values are nested more than ${MAX_DEPTH} deep; the file is corrupt`);
  switch (t.kind) {
    case 'tensor': return { kind: 'tensor', tensor: tensorAt(bytes, ctx) };
    case 'sparse_tensor': return { kind: 'sparse_tensor', tensor: sparseAt(bytes, ctx) };
    case 'sequence': return decodeSequence(bytes, t.elem, ctx, depth);
    case 'optional': return decodeOptional(bytes, t.elem, ctx, depth);
    case 'map': return decodeMap(bytes, t.keyType, t.value, ctx, depth);
    default: throw new ModelError(`${ctx.file}: cannot read a value of unknown type; update ReLU Doctor`);
  }
}

/** The element's message: fields 3 tensor, 4 sparse, 5 sequence, 6 map, 7 optional. */
function elemField(kind: TypeInfo['kind']): number {
  return { tensor: 3, sparse_tensor: 4, sequence: 5, map: 6, optional: 7, unknown: 0 }[kind];
}

function elemKind(buf: Uint8Array, fields: WireField[], fallback?: TypeInfo): TypeInfo {
  const declared = KIND_BY_ELEM[varintField(buf, fields, 2)];
  if (fallback && (!declared || declared === fallback.kind)) return fallback;
  if (declared === 'tensor') return { kind: 'tensor', elemType: DataType.UNDEFINED };
  if (declared === 'sparse_tensor') return { kind: 'sparse_tensor', elemType: DataType.UNDEFINED };
  if (declared === 'sequence') return { kind: 'sequence' };
  if (declared === 'optional') return { kind: 'optional' };
  if (declared === 'map') return { kind: 'map', keyType: DataType.UNDEFINED };
  // Undeclared: infer from which element field is present.
  for (const [no, k] of [[3, 'tensor'], [4, 'sparse_tensor'], [5, 'sequence'], [6, 'map'], [7, 'optional']] as const) {
    if (fields.some((f) => f.no === no)) return elemKind(buf, fields, { kind: k, elemType: 0, keyType: 0 } as TypeInfo);
  }
  return { kind: 'tensor', elemType: DataType.UNDEFINED };
}

function decodeSequence(buf: Uint8Array, elem: TypeInfo | undefined, ctx: Ctx, depth: number): OnnxValue {
  const fields = walkFields(buf);
  const et = elemKind(buf, fields, elem);
  const elems = payloads(buf, fields, elemField(et.kind)).map((b) => decodeValue(b, et, ctx, depth + 1));
  return { kind: 'sequence', elems };
}

function decodeOptional(buf: Uint8Array, elem: TypeInfo | undefined, ctx: Ctx, depth: number): OnnxValue {
  const fields = walkFields(buf);
  const et = elemKind(buf, fields, elem);
  const p = lastPayload(buf, fields, elemField(et.kind));
  return p ? { kind: 'optional', value: decodeValue(p, et, ctx, depth + 1) } : { kind: 'optional' };
}

function decodeMap(buf: Uint8Array, keyType: DataType, value: TypeInfo | undefined, ctx: Ctx, depth: number): OnnxValue {
  const fields = walkFields(buf);
  const kt = (varintField(buf, fields, 2) || keyType) as DataType;
  const keys: TensorValues = kt === DataType.STRING
    ? payloads(buf, fields, 4).map((b) => utf8.decode(b))
    : BigInt64Array.from(readInt64s(buf, fields, 3, false));
  const vb = lastPayload(buf, fields, 5);
  const vals = vb ? decodeSequence(vb, value, ctx, depth + 1) : { kind: 'sequence' as const, elems: [] };
  const values = vals.kind === 'sequence' ? vals.elems : [];
  if (values.length !== keys.length) {
    throw new ModelError(`${ctx.file}: map has ${keys.length} keys but ${values.length} values; the file is corrupt`);
  }
  return { kind: 'map', keyType: kt, keys, values };
}
