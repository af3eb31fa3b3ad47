// Buffer reuse across nodes and runs: storage that RunContext.alloc handed out during a run goes
// back to a pool once no live value refers to it, and later allocations of the same kind and
// length take it from there (zero-filled again, as alloc promises) instead of allocating afresh.
//
// Outputs may alias their inputs' storage (Reshape, Identity, Squeeze, subarray views, …), so
// storage is counted per ArrayBuffer: every value slot that holds it is one reference, and it
// returns to the pool only when the last one is released. Storage the pool did not allocate
// (feeds, initializers, constants folded at plan time) is never touched.
import { DataType, TensorValues } from '../onnx/ir';
import { Tensor } from './tensor';

type Typed = Exclude<TensorValues, string[]>;

/** Per-session pool; `begin()`/`end()` bracket each run. */
export class BufferPool {
  /** Storage this pool allocated, by its ArrayBuffer (weak: graph outputs leave with the caller). */
  private readonly owned = new WeakMap<ArrayBufferLike, { arr: Typed; key: string }>();
  private readonly free = new Map<string, Typed[]>();
  private refs = new Map<ArrayBufferLike, number>();
  private freeBytes = 0;

  constructor(private readonly maxFreeBytes = 512 * 1024 * 1024) {}

  /** Wraps an allocator so numeric storage comes from (and is tracked by) the pool. */
  wrap(alloc: (dtype: DataType, shape: readonly number[]) => TensorValues): (dtype: DataType, shape: readonly number[]) => TensorValues {
    return (dtype, shape) => {
      if (dtype === DataType.STRING) return alloc(dtype, shape);
      let n = 1;
      for (let i = 0; i < shape.length; i++) n *= shape[i];
      const key = `${dtype}:${n}`;
      const reused = this.free.get(key)?.pop();
      if (reused) {
        this.freeBytes -= reused.byteLength;
        if (reused instanceof BigInt64Array || reused instanceof BigUint64Array) reused.fill(0n);
        else reused.fill(0);
        return reused;
      }
      const out = alloc(dtype, shape) as Typed;
      if (out.byteLength > 0) this.owned.set(out.buffer, { arr: out, key });
      return out;
    };
  }

  /** A value slot now holds `t`. */
  hold(t: Tensor | undefined): void {
    const buf = this.bufferOf(t);
    if (buf) this.refs.set(buf, (this.refs.get(buf) ?? 0) + 1);
  }

  /** A value slot no longer holds `t`; its storage returns to the pool when nothing else does. */
  release(t: Tensor | undefined): void {
    const buf = this.bufferOf(t);
    if (!buf) return;
    const left = (this.refs.get(buf) ?? 0) - 1;
    if (left > 0) {
      this.refs.set(buf, left);
      return;
    }
    this.refs.delete(buf);
    const { arr, key } = this.owned.get(buf)!;
    if (this.freeBytes + arr.byteLength > this.maxFreeBytes) return;
    const list = this.free.get(key) ?? [];
    list.push(arr);
    this.free.set(key, list);
    this.freeBytes += arr.byteLength;
  }

  /** Forgets the reference counts of a finished (or failed) run; pooled storage stays. */
  end(): void {
    this.refs = new Map();
  }

  private bufferOf(t: Tensor | undefined): ArrayBufferLike | undefined {
    const d = t?.data;
    if (!d || Array.isArray(d)) return undefined;
    const buf = (d as Typed).buffer;
    return this.owned.has(buf) ? buf : undefined;
  }
}
