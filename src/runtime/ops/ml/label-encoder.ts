// ai.onnx.ml LabelEncoder (opsets 2 and 4): maps each input value through a key → value table given
// as attributes (keys_strings / keys_int64s / keys_floats / keys_tensor, the same for values), with a
// default for unknown keys. NaN keys match NaN inputs. Output dtype follows the values.
import { DataType, Node, TensorValues } from '../../../onnx/ir';
import { findAttr } from '../../../onnx/attrs';
import { allocValues } from '../../../onnx/dtype';
import { tensorValues } from '../../../onnx/tensor-data';
import { OpDef } from '../../op';
import { need, nodeError } from '../nn/attrs';

interface Table { readonly map: Map<string, unknown>; readonly outType: DataType; readonly fallback: unknown }

const utf8 = new TextDecoder();

/** A map key that makes 1, 1n and '1' distinct by kind but equal within one (NaN equals NaN). */
function keyOf(v: unknown): string {
  return typeof v === 'string' ? `s${v}` : `n${String(v)}`;
}

/** The list of an attribute `<base>_strings | _int64s | _floats | _tensor`, with its dtype. */
function listAttr(node: Node, base: 'keys' | 'values'): { items: unknown[]; dtype: DataType } | undefined {
  const s = findAttr(node, `${base}_strings`);
  if (s && s.type === 'strings') return { items: s.value.map((b) => utf8.decode(b)), dtype: DataType.STRING };
  const i = findAttr(node, `${base}_int64s`);
  if (i && i.type === 'ints') return { items: i.value.map((v) => BigInt(v)), dtype: DataType.INT64 };
  const f = findAttr(node, `${base}_floats`);
  if (f && f.type === 'floats') return { items: f.value, dtype: DataType.FLOAT };
  const t = findAttr(node, `${base}_tensor`);
  if (t && t.type === 'tensor') return { items: Array.from(tensorValues(t.value) as ArrayLike<unknown>), dtype: t.value.dataType };
  return undefined;
}

function defaultFor(node: Node, dtype: DataType): unknown {
  const t = findAttr(node, 'default_tensor');
  if (t && t.type === 'tensor') {
    const v = Array.from(tensorValues(t.value) as ArrayLike<unknown>);
    if (v.length !== 1 || t.value.dataType !== dtype) throw nodeError(node, 'default_tensor must hold one value of the values\' dtype');
    return v[0];
  }
  if (dtype === DataType.STRING) {
    const s = findAttr(node, 'default_string');
    return s && s.type === 'string' ? utf8.decode(s.value) : '_Unused';
  }
  if (dtype === DataType.INT64) {
    const i = findAttr(node, 'default_int64');
    return BigInt(i && i.type === 'int' ? i.value : -1);
  }
  const f = findAttr(node, 'default_float');
  return f && f.type === 'float' ? f.value : -0;
}

/** LabelEncoder (ai.onnx.ml 2 and 4). */
export const labelEncoder: OpDef<Table> = {
  domain: 'ai.onnx.ml', opType: 'LabelEncoder', since: 2, lowPrecision: 'native',
  parse(ctx) {
    const { node } = ctx;
    const keys = listAttr(node, 'keys');
    const values = listAttr(node, 'values');
    if (!keys || !values) throw nodeError(node, 'needs keys_* and values_* attributes');
    if (keys.items.length !== values.items.length) throw nodeError(node, `${keys.items.length} keys but ${values.items.length} values`);
    const map = new Map<string, unknown>();
    keys.items.forEach((k, i) => map.set(keyOf(k), values.items[i]));
    return { map, outType: values.dtype, fallback: defaultFor(node, values.dtype) };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const out = allocValues(a.outType, x.data.length) as unknown as { [i: number]: unknown };
    const xv = x.data as unknown as ArrayLike<unknown>;
    for (let i = 0; i < xv.length; i++) {
      const v = a.map.get(keyOf(xv[i]));
      out[i] = v === undefined ? a.fallback : v;
    }
    return [{ dtype: a.outType, shape: x.shape.slice(), data: out as unknown as TensorValues }];
  },
};
