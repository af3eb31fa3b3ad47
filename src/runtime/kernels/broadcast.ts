// Numpy-style broadcasting shared by the elementwise ops (and anyone else who needs it): the
// output shape of several operands, and a row plan that walks the output in contiguous rows with
// one precomputed offset per operand, so kernels run tight loops over typed arrays.

/** The numpy broadcast of `shapes`; throws a one-line error naming the shapes when they do not fit. */
export function broadcastShapes(shapes: ReadonlyArray<readonly number[]>): number[] {
  let rank = 0;
  for (const s of shapes) rank = Math.max(rank, s.length);
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const pad = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[pad + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[pad + i] = d;
      else throw new Error(`cannot broadcast shapes ${shapes.map(fmt).join(' and ')} (dimension ${d} vs ${o})`);
    }
  }
  return out;
}

/** `[2,3]` for messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** True when `shape` broadcasts to exactly `target` (unidirectional broadcasting). */
export function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const pad = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1 && shape[i] !== target[pad + i]) return false;
  return true;
}

/** True when two shapes are identical. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * How to walk a broadcast output row by row. Axes are merged where every operand is contiguous
 * (or broadcast) across them; the last merged axis is the row of length `inner`, along which
 * operand k advances by `steps[k]` (1, or 0 when broadcast). Outer axes advance operand k by
 * `strides[axis][k]`.
 */
export interface RowPlan {
  /** Output elements in all. */
  readonly size: number;
  /** Elements per row. */
  readonly inner: number;
  /** Number of rows (size / inner; 0 for an empty output). */
  readonly rows: number;
  /** Per operand: 1 when it runs along the row, 0 when broadcast along it. */
  readonly steps: readonly number[];
  /** Merged outer axes' sizes (empty when rows ≤ 1). */
  readonly outer: readonly number[];
  /** Per outer axis, per operand: offset change when that axis advances by one. */
  readonly strides: ReadonlyArray<readonly number[]>;
}

/** Plans a walk of `outShape` reading operands of `inShapes` (each must broadcast to outShape). */
export function planRows(outShape: readonly number[], inShapes: ReadonlyArray<readonly number[]>): RowPlan {
  const k = inShapes.length;
  const rank = outShape.length;
  let size = 1;
  for (const d of outShape) size *= d;
  // Per axis: size, and per operand its stride (0 when broadcast). Size-1 axes are dropped.
  const dims: number[] = [];
  const str: number[][] = [];
  const acc = new Array<number>(k).fill(1);
  const per: number[][] = inShapes.map(() => new Array<number>(rank).fill(0));
  for (let j = 0; j < k; j++) {
    const s = inShapes[j];
    const pad = rank - s.length;
    if (pad < 0 || !broadcastsTo(s, outShape)) throw new Error(`shape ${fmt(s)} does not broadcast to ${fmt(outShape)}`);
    for (let a = rank - 1; a >= 0; a--) {
      const d = a >= pad ? s[a - pad] : 1;
      per[j][a] = d === 1 ? 0 : acc[j];
      acc[j] *= d;
    }
  }
  for (let a = 0; a < rank; a++) {
    if (outShape[a] === 1) continue;
    const cur = per.map((p) => p[a]);
    const last = dims.length - 1;
    // Merge into the previous axis when every operand continues contiguously across the two.
    if (last >= 0 && cur.every((c, j) => str[last][j] === c * outShape[a])) {
      dims[last] *= outShape[a];
      str[last] = cur;
    } else {
      dims.push(outShape[a]);
      str.push(cur);
    }
  }
  if (size === 0) return { size: 0, inner: 0, rows: 0, steps: new Array<number>(k).fill(0), outer: [], strides: [] };
  if (dims.length === 0) return { size: 1, inner: 1, rows: 1, steps: new Array<number>(k).fill(0), outer: [], strides: [] };
  const inner = dims[dims.length - 1];
  const steps = str[str.length - 1].map((s) => (s === 0 ? 0 : 1));
  return { size, inner, rows: size / inner, steps, outer: dims.slice(0, -1), strides: str.slice(0, -1) };
}

/**
 * Loops over one row of a binary op: `n` outputs y[o..o+n) from a[ai..] and b[bi..]. `vv` reads
 * both operands along the row, `vs` holds b[bi] fixed, `sv` holds a[ai] fixed.
 */
export interface BinaryLoops<A, B, Y> {
  vv(a: A, ai: number, b: B, bi: number, y: Y, o: number, n: number): void;
  vs(a: A, ai: number, b: B, bi: number, y: Y, o: number, n: number): void;
  sv(a: A, ai: number, b: B, bi: number, y: Y, o: number, n: number): void;
}

/** A typed array or string list that `fill` can be called on. */
interface Fillable {
  fill(v: never, start: number, end: number): unknown;
  [i: number]: unknown;
}

/** Runs a binary op over a row plan with two operands (same-shape and scalar cases are one call). */
export function runBinary<A, B, Y>(loops: BinaryLoops<A, B, Y>, a: A, b: B, y: Y, p: RowPlan): void {
  const { rows, inner } = p;
  if (rows === 0) return;
  const sa = p.steps[0];
  const sb = p.steps[1];
  const kind = sa === 1 ? (sb === 1 ? 0 : 1) : sb === 1 ? 2 : 3;
  if (rows === 1) {
    rowCall(loops, kind, a, 0, b, 0, y, 0, inner);
    return;
  }
  const outer = p.outer;
  const strides = p.strides;
  const nd = outer.length;
  const idx = new Array<number>(nd).fill(0);
  let ai = 0;
  let bi = 0;
  for (let r = 0, o = 0; r < rows; r++, o += inner) {
    rowCall(loops, kind, a, ai, b, bi, y, o, inner);
    for (let d = nd - 1; d >= 0; d--) {
      const s = strides[d];
      if (++idx[d] < outer[d]) {
        ai += s[0];
        bi += s[1];
        break;
      }
      idx[d] = 0;
      ai -= s[0] * (outer[d] - 1);
      bi -= s[1] * (outer[d] - 1);
    }
  }
}

function rowCall<A, B, Y>(loops: BinaryLoops<A, B, Y>, kind: number, a: A, ai: number, b: B, bi: number, y: Y, o: number, n: number): void {
  if (kind === 0) loops.vv(a, ai, b, bi, y, o, n);
  else if (kind === 1) loops.vs(a, ai, b, bi, y, o, n);
  else if (kind === 2) loops.sv(a, ai, b, bi, y, o, n);
  else {
    // Both operands fixed along the row: compute once, then fill.
    loops.vs(a, ai, b, bi, y, o, 1);
    const f = y as unknown as Fillable;
    f.fill(f[o] as never, o + 1, o + n);
  }
}

/** One row of a ternary op: operand k starts at offset `ik` and advances by `sk` per element. */
export type TernaryRow<A, B, C, Y> = (a: A, ai: number, as: number, b: B, bi: number, bs: number, c: C, ci: number, cs: number, y: Y, o: number, n: number) => void;

/** Runs a ternary op (Where) over a row plan with three operands. */
export function runTernary<A, B, C, Y>(row: TernaryRow<A, B, C, Y>, a: A, b: B, c: C, y: Y, p: RowPlan): void {
  const { rows, inner, steps } = p;
  if (rows === 0) return;
  const nd = p.outer.length;
  const idx = new Array<number>(nd).fill(0);
  let ai = 0;
  let bi = 0;
  let ci = 0;
  for (let r = 0, o = 0; r < rows; r++, o += inner) {
    row(a, ai, steps[0], b, bi, steps[1], c, ci, steps[2], y, o, inner);
    for (let d = nd - 1; d >= 0; d--) {
      const s = p.strides[d];
      if (++idx[d] < p.outer[d]) {
        ai += s[0];
        bi += s[1];
        ci += s[2];
        break;
      }
      idx[d] = 0;
      ai -= s[0] * (p.outer[d] - 1);
      bi -= s[1] * (p.outer[d] - 1);
      ci -= s[2] * (p.outer[d] - 1);
    }
  }
}
