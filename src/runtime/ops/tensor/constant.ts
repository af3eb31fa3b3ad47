// Constant (every value_* attribute form; sparse_value is refused) and ConstantOfShape (a tensor of
// the given shape filled with the one-element `value`). Constant's output shares the decoded
// attribute storage (possibly a view of the model buffer): consumers must not mutate it.

import { Attribute, DataType, Node, OnnxTensor } from '../../../onnx/ir';
import { tensorValues } from '../../../onnx/tensor-data';
import { OpDef } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { fillBlock } from '../../kernels/strides';
import { need, nodeError, readInts, shapeStr } from './common';
import { unsupported } from '../../errors';

/** Decodes an attribute tensor, naming the node on failure. */
function decode(node: Node, t: OnnxTensor): Tensor {
  try {
    return { dtype: t.dataType, shape: t.dims.slice(), data: tensorValues(t) };
  } catch (e) {
    throw nodeError(node, `cannot decode its tensor attribute: ${(e as Error).message}`);
  }
}

function fromAttr(node: Node, a: Attribute): Tensor {
  const dec = new TextDecoder();
  switch (a.name) {
    case 'value':
      if (a.type !== 'tensor') break;
      return decode(node, a.value);
    case 'value_float':
      if (a.type !== 'float') break;
      return { dtype: DataType.FLOAT, shape: [], data: Float32Array.of(a.value) };
    case 'value_floats':
      if (a.type !== 'floats') break;
      return { dtype: DataType.FLOAT, shape: [a.value.length], data: Float32Array.from(a.value) };
    case 'value_int':
      if (a.type !== 'int') break;
      return { dtype: DataType.INT64, shape: [], data: BigInt64Array.of(BigInt(a.value)) };
    case 'value_ints':
      if (a.type !== 'ints') break;
      return { dtype: DataType.INT64, shape: [a.value.length], data: BigInt64Array.from(a.value.map((v) => BigInt(v))) };
    case 'value_string':
      if (a.type !== 'string') break;
      return { dtype: DataType.STRING, shape: [], data: [dec.decode(a.value)] };
    case 'value_strings':
      if (a.type !== 'strings') break;
      return { dtype: DataType.STRING, shape: [a.value.length], data: a.value.map((s) => dec.decode(s)) };
    case 'sparse_value':
      throw unsupported(nodeError(node, 'sparse_value is not supported; store the constant as a dense tensor'));
    default:
      throw nodeError(node, `unknown attribute '${a.name}'`);
  }
  throw nodeError(node, `attribute '${a.name}' has the wrong type ${a.type}`);
}

/** Constant (opset 1+): the value is decoded once at plan time. */
export const constant: OpDef<Tensor> = {
  domain: '', opType: 'Constant', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const attrs = ctx.node.attributes;
    if (attrs.length !== 1) throw nodeError(ctx.node, `needs exactly one value attribute, got ${attrs.length}`);
    const t = fromAttr(ctx.node, attrs[0]);
    if (t.data.length !== sizeOf(t.shape) * (t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128 ? 2 : 1)) {
      throw nodeError(ctx.node, `value holds ${t.data.length} elements but its shape is ${shapeStr(t.shape)}`);
    }
    return t;
  },
  run(_inputs, t) {
    return [t];
  },
};

/** ConstantOfShape (opset 9+): fills the shape with `value` (default float 0). */
export const constantOfShape: OpDef<Tensor> = {
  domain: '', opType: 'ConstantOfShape', since: 9, lowPrecision: 'native',
  parse(ctx) {
    const a = ctx.node.attributes.find((x) => x.name === 'value');
    if (!a) return { dtype: DataType.FLOAT, shape: [1], data: new Float32Array(1) };
    if (a.type !== 'tensor') throw nodeError(ctx.node, `attribute 'value' must be a tensor, got ${a.type}`);
    const t = decode(ctx.node, a.value);
    if (t.data.length !== 1 || t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128) throw nodeError(ctx.node, 'value must be a one-element tensor');
    return t;
  },
  run(inputs, v, ctx) {
    const shape = readInts(ctx.node, need(ctx.node, inputs, 0, 'input'), 'input');
    if (shape.some((d) => d < 0)) throw nodeError(ctx.node, `shape ${shapeStr(shape)} has a negative dimension`);
    const out = ctx.alloc(v.dtype, shape);
    fillBlock(out, 0, out.length, v.data[0]);
    return [{ dtype: v.dtype, shape, data: out }];
  },
};
