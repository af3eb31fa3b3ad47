// BitCast (opset 26): reinterprets each element's bytes (little-endian) as another type of the
// same width; the shape is kept. Sub-byte types (int4, uint4, float4, int2, uint2) are refused.

import { DataType, TensorValues } from '../../../onnx/ir';
import { bitsPerElement, dtypeName } from '../../../onnx/dtype';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { intAttr, need, nodeError } from '../tensor/common';

/** BitCast (opset 26). */
export const bitCast: OpDef<DataType> = {
  domain: '', opType: 'BitCast', since: 26, lowPrecision: 'native',
  parse(ctx) {
    const to = intAttr(ctx.node, 'to', -1) as DataType;
    const w = bitsPerElement(to);
    if (to === DataType.STRING || w === 0) throw nodeError(ctx.node, `'to' must be a non-string tensor type, got ${to}`);
    if (w < 8) throw unsupported(nodeError(ctx.node, `bit-casting to ${dtypeName(to)} (sub-byte) is not supported`));
    return to;
  },
  run(inputs, to, ctx) {
    const { node } = ctx;
    const x = need(node, inputs, 0, 'input');
    if (x.dtype === DataType.STRING || Array.isArray(x.data)) throw nodeError(node, 'string inputs cannot be bit-cast');
    const w = bitsPerElement(x.dtype);
    if (w < 8) throw unsupported(nodeError(node, `bit-casting from ${dtypeName(x.dtype)} (sub-byte) is not supported`));
    if (w !== bitsPerElement(to)) throw nodeError(node, `${dtypeName(x.dtype)} (${w} bits) and ${dtypeName(to)} (${bitsPerElement(to)} bits) differ in width`);
    const out = ctx.alloc(to, x.shape) as Exclude<TensorValues, string[]>;
    const src = x.data as Exclude<TensorValues, string[]>;
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return [{ dtype: to, shape: x.shape.slice(), data: out }];
  },
};
