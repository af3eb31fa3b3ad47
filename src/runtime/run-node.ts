// Runs one planned node: widens low-precision float inputs for ops that ask for it, calls the
// kernel, checks what it returned and narrows float32 outputs back.
import { DataType, Node, TensorValues } from '../onnx/ir';
import { dtypeName, fromFloat32Array, toFloat32Array } from '../onnx/dtype';
import { OpDef, RunContext } from './op';
import { makeTensor, sizeOf, Tensor } from './tensor';

/** float16, bfloat16 and the float8 / float4 formats: widened to float32 unless the op is 'native'. */
export function isLowPrecision(dt: DataType): boolean {
  switch (dt) {
    case DataType.FLOAT16: case DataType.BFLOAT16: case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2: case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT4E2M1: case DataType.FLOAT8E8M0:
      return true;
    default:
      return false;
  }
}

/**
 * Calls `def.run`. For ops that are not 'native', float16/bfloat16/float8 inputs go in as float32
 * and float32 outputs come back in the dtype of the first widened input.
 */
export function runNode(def: OpDef<unknown>, attrs: unknown, inputs: ReadonlyArray<Tensor | undefined>, ctx: RunContext): Tensor[] {
  // Ops on sequences and optionals check their own values; their tensors keep their dtypes.
  if (def.values) return def.run(inputs, attrs, ctx);
  let narrow: DataType | undefined;
  let args = inputs;
  if (def.lowPrecision !== 'native') {
    for (const t of inputs) {
      if (t && isLowPrecision(t.dtype)) {
        narrow = t.dtype;
        break;
      }
    }
    if (narrow !== undefined) {
      args = inputs.map((t) => (t && isLowPrecision(t.dtype) ? { dtype: DataType.FLOAT, shape: t.shape, data: toFloat32Array(t.data, t.dtype) } : t));
    }
  }
  const outs = def.run(args, attrs, ctx);
  checkOutputs(ctx.node, outs);
  if (narrow === undefined) return outs;
  const to = narrow;
  return outs.map((t) => (t.dtype === DataType.FLOAT ? makeTensor(to, t.shape, fromFloat32Array(t.data as Float32Array, to)) : t));
}

/** The op returned a tensor per non-empty node output, each with storage matching its shape and dtype. */
function checkOutputs(node: Node, outs: Tensor[]): void {
  if (!Array.isArray(outs)) throw new Error('the op returned no output list');
  for (let i = 0; i < node.outputs.length; i++) {
    if (node.outputs[i] === '') continue;
    const t = outs[i];
    if (!t) throw new Error(`the op produced ${outs.length} outputs; the node needs output ${i} ("${node.outputs[i]}")`);
    const per = t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128 ? 2 : 1;
    if (t.data.length !== sizeOf(t.shape) * per) {
      throw new Error(`output ${i} has shape [${t.shape.join(',')}] but ${t.data.length} values (internal error in the op)`);
    }
    if (!storageFits(t.dtype, t.data)) {
      throw new Error(`output ${i} is ${dtypeName(t.dtype)} but stored in a ${storageName(t.data)} (internal error in the op)`);
    }
  }
}

function storageName(v: TensorValues): string {
  return Array.isArray(v) ? 'string array' : v.constructor.name;
}

function storageFits(dt: DataType, v: TensorValues): boolean {
  switch (dt) {
    case DataType.FLOAT: case DataType.COMPLEX64: return v instanceof Float32Array;
    case DataType.DOUBLE: case DataType.COMPLEX128: return v instanceof Float64Array;
    case DataType.INT8: case DataType.INT4: case DataType.INT2: return v instanceof Int8Array;
    case DataType.INT16: return v instanceof Int16Array;
    case DataType.UINT16: case DataType.FLOAT16: case DataType.BFLOAT16: return v instanceof Uint16Array;
    case DataType.INT32: return v instanceof Int32Array;
    case DataType.UINT32: return v instanceof Uint32Array;
    case DataType.INT64: return v instanceof BigInt64Array;
    case DataType.UINT64: return v instanceof BigUint64Array;
    case DataType.STRING: return Array.isArray(v);
    default: return v instanceof Uint8Array;
  }
}
