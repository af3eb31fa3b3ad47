// Topological order of a graph's nodes (Kahn's algorithm, keeping file order when it is already
// valid), with a clear error naming the nodes of a cycle.
import { GraphError } from './errors';

/**
 * Orders nodes so each runs after the producers of the values it reads. `reads[k]` and
 * `writes[k]` are value slots of node k (-1 entries are ignored).
 */
export function topoOrder(
  reads: ReadonlyArray<readonly number[]>,
  writes: ReadonlyArray<readonly number[]>,
  slotCount: number,
  describe: (k: number) => string,
): number[] {
  const n = reads.length;
  const producer = new Int32Array(slotCount).fill(-1);
  writes.forEach((w, k) => { for (const s of w) if (s >= 0) producer[s] = k; });
  const pending = new Int32Array(n);
  const consumers: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < n; k++) {
    const deps = new Set<number>();
    for (const s of reads[k]) {
      const p = s >= 0 ? producer[s] : -1;
      if (p >= 0) deps.add(p);
    }
    pending[k] = deps.size;
    for (const p of deps) consumers[p].push(k);
  }
  // A min-heap of ready nodes by index keeps the file order whenever it is a valid order.
  const heap: number[] = [];
  for (let k = 0; k < n; k++) if (pending[k] === 0) heapPush(heap, k);
  const order: number[] = [];
  while (heap.length) {
    const k = heapPop(heap);
    order.push(k);
    for (const c of consumers[k]) if (--pending[c] === 0) heapPush(heap, c);
  }
  if (order.length < n) throw new GraphError(`the graph has a cycle: ${findCycle(pending, reads, producer).map(describe).join(' → ')}`);
  return order;
}

/** Walks back from a node still waiting until a node repeats: the nodes of one cycle, in order. */
function findCycle(pending: Int32Array, reads: ReadonlyArray<readonly number[]>, producer: Int32Array): number[] {
  let k = pending.findIndex((p) => p > 0); // per-element-ok: once on the error path, over node counts, not tensor data
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(k)) {
    seen.set(k, path.length);
    path.push(k);
    const next = reads[k].map((s) => (s >= 0 ? producer[s] : -1)).find((p) => p >= 0 && pending[p] > 0);
    if (next === undefined) break;
    k = next;
  }
  const cycle = path.slice(seen.get(k) ?? 0).reverse();
  return [...cycle, cycle[0]];
}

function heapPush(h: number[], v: number): void {
  h.push(v);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p] <= h[i]) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop() as number;
  if (h.length) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l] < h[m]) m = l;
      if (r < h.length && h[r] < h[m]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
