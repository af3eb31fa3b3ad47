// The memory guard behind RunContext.alloc: checks a requested shape and refuses a tensor above
// the session's byte limit, before any storage is allocated.
import { DataType, Model, TensorValues } from '../onnx/ir';
import { allocValues, bitsPerElement, dtypeName } from '../onnx/dtype';

/** Default per-tensor limit: 4 GiB. */
export const DEFAULT_MAX_TENSOR_BYTES = 4 * 1024 ** 3;

/** Bytes one element of `dt` takes in memory (strings counted as 8, a reference). */
export function bytesPerElement(dt: DataType): number {
  if (dt === DataType.STRING) return 8;
  const bits = bitsPerElement(dt);
  return bits <= 8 ? 1 : bits / 8;
}

/** A size in bytes for messages: `512 B`, `3.2 MiB`, `5.0 GiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Throws a one-line error when `shape` is not a list of non-negative integers. */
export function checkShape(shape: readonly number[]): void {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`invalid shape [${shape.join(',')}]: dimension ${i} is ${d}`);
    }
  }
}

/** An allocator bound to a byte limit: zero-filled storage of the dtype's array kind. */
export function makeAllocator(maxBytes: number): (dtype: DataType, shape: readonly number[]) => TensorValues {
  return (dtype, shape) => {
    checkShape(shape);
    let n = 1;
    for (let i = 0; i < shape.length; i++) n *= shape[i];
    const bytes = n * bytesPerElement(dtype) * (dtype === DataType.COMPLEX64 || dtype === DataType.COMPLEX128 ? 2 : 1);
    if (bytes > maxBytes) {
      throw new Error(
        `a ${dtypeName(dtype)} tensor of shape [${shape.join(',')}] needs ${formatBytes(bytes)}, above the memory limit of ${formatBytes(maxBytes)} (raise maxTensorBytes if this is intended)`,
      );
    }
    return allocValues(dtype, n);
  };
}

/** Bytes of a model's initializer values (its weights) as stored in memory. */
export function weightBytes(model: Model): number {
  let sum = 0;
  for (const t of model.graph.initializers) {
    let n = 1;
    for (const d of t.dims) n *= d;
    sum += n * bytesPerElement(t.dataType);
  }
  return sum;
}
