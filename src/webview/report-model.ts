// Pure logic of the report panel (no DOM, unit-tested): the disjoint unit counts a layer's bar
// shows, sorting the layer table, moving the selection with the keyboard, the default selection,
// matching layers before and after a fix, and each unit's category in the unit grid. It reads the
// report's verdicts as they are; nothing here re-derives a verdict from statistics.
import type { LayerReport, Report, SortKey } from '../protocol/report';

/** A layer's units split into the disjoint parts its bar shows (they sum to `units`). */
export interface LayerCounts {
  /** Proven dead (whether or not also observed dead). */
  readonly provenDead: number;
  /** Observed dead and not proven. */
  readonly dead: number;
  /** Dormant and neither dead nor proven dead. */
  readonly dormant: number;
  /** Everything else. */
  readonly alive: number;
  readonly units: number;
}

/** The disjoint parts of a layer's units. */
export function layerCounts(l: LayerReport): LayerCounts {
  const proven = new Set(l.provenDead);
  const deadOnly = l.dead.filter((u) => !proven.has(u)).length;
  const gone = new Set([...l.dead, ...l.provenDead]);
  const dormant = l.dormant.filter((u) => !gone.has(u)).length;
  const alive = Math.max(0, l.units - proven.size - deadOnly - dormant);
  return { provenDead: proven.size, dead: deadOnly, dormant, alive, units: l.units };
}

const SEVERITY_RANK: Record<string, number> = { none: 0, warning: 1, error: 2 };

/** The rank of a severity (none < warning < error). */
export function severityRank(s: string): number {
  return SEVERITY_RANK[s] ?? 0;
}

/** The value a column sorts by; `change` needs the before → after match (dead after − dead before). */
function sortValue(l: LayerReport, i: number, key: SortKey, change: ReadonlyArray<LayerChange | undefined>): number | string {
  switch (key) {
    case 'index': return i;
    case 'node': return l.node.toLowerCase();
    case 'op': return l.op.toLowerCase();
    case 'units': return l.units;
    case 'dead': return l.dead.length;
    case 'provenDead': return l.proofAvailable ? l.provenDead.length : -1;
    case 'dormant': return l.dormant.length;
    case 'deadFraction': return l.deadFraction;
    case 'sparsity': return l.sparsity;
    case 'severity': return severityRank(l.severity);
    case 'change': {
      const c = change[i];
      return c ? c.deadAfter - c.deadBefore : Number.NEGATIVE_INFINITY;
    }
  }
}

/** Layer indices in table order: by `key` (`dir`), ties in network order. */
export function sortLayers(layers: readonly LayerReport[], key: SortKey, dir: 'asc' | 'desc', change: ReadonlyArray<LayerChange | undefined> = []): number[] {
  const vals = layers.map((l, i) => sortValue(l, i, key, change));
  const sign = dir === 'asc' ? 1 : -1;
  return layers.map((_, i) => i).sort((a, b) => {
    const x = vals[a];
    const y = vals[b];
    const c = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return c !== 0 ? sign * c : a - b;
  });
}

/** The direction a click on a column header gives: toggles the current column, else starts descending for counts. */
export function nextSort(current: { key: SortKey; dir: 'asc' | 'desc' }, key: SortKey): { key: SortKey; dir: 'asc' | 'desc' } {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'index' || key === 'node' || key === 'op' ? 'asc' : 'desc' };
}

/** Keys that move the selection in the table. */
export type MoveKey = 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** The layer selected after a key press, moving through `order` (table order); stays put at the ends. */
export function moveSelection(order: readonly number[], current: number, key: MoveKey, page = 10): number {
  if (order.length === 0) return -1;
  const at = order.indexOf(current);
  let pos: number;
  switch (key) {
    case 'Home': pos = 0; break;
    case 'End': pos = order.length - 1; break;
    case 'ArrowDown': pos = at < 0 ? 0 : at + 1; break;
    case 'ArrowUp': pos = at < 0 ? order.length - 1 : at - 1; break;
    case 'PageDown': pos = at < 0 ? 0 : at + page; break;
    case 'PageUp': pos = at < 0 ? 0 : at - page; break;
  }
  return order[Math.min(order.length - 1, Math.max(0, pos))];
}

/** The layer to show first: the requested one if valid, else the first of the worst severity with dead units, else the first. */
export function defaultSelection(report: Report, requested?: number): number {
  if (requested !== undefined && Number.isInteger(requested) && requested >= 0 && requested < report.layers.length) return requested;
  let best = -1;
  report.layers.forEach((l, i) => {
    if (l.deadFraction <= 0 && l.dead.length === 0) return;
    if (best < 0 || severityRank(l.severity) > severityRank(report.layers[best].severity)) best = i;
  });
  return best >= 0 ? best : report.layers.length ? 0 : -1;
}

/** A layer's dead counts before and after a fix. */
export interface LayerChange {
  readonly deadBefore: number;
  readonly unitsBefore: number;
  readonly provenBefore: number;
  readonly deadAfter: number;
  readonly provenAfter: number;
}

/** A layer of the report before the fix that is no longer a ReLU layer after it. */
export interface RemovedLayer {
  readonly node: string;
  readonly deadBefore: number;
  readonly unitsBefore: number;
  /** The op it became when the report lists it among the activations that cannot die. */
  readonly nowOp?: string;
}

/** Before → after: per layer of `after` (matched by node name, else by position when the layer counts agree), and the layers gone. */
export function compareReports(before: Report, after: Report): { layers: Array<LayerChange | undefined>; removed: RemovedLayer[] } {
  const byName = new Map(before.layers.map((l, i) => [l.node, i]));
  const sameLength = before.layers.length === after.layers.length;
  const used = new Set<number>();
  const layers = after.layers.map((a, i) => {
    const j = byName.get(a.node) ?? (sameLength ? i : undefined);
    if (j === undefined || used.has(j)) return undefined;
    used.add(j);
    const b = before.layers[j];
    return { deadBefore: b.dead.length, unitsBefore: b.units, provenBefore: b.provenDead.length, deadAfter: a.dead.length, provenAfter: a.provenDead.length };
  });
  const removed = before.layers
    .filter((_, j) => !used.has(j))
    .map((b) => {
      const nd = after.nonDying.find((x) => x.node === b.node);
      return { node: b.node, deadBefore: b.dead.length, unitsBefore: b.units, ...(nd ? { nowOp: nd.op } : {}) };
    });
  return { layers, removed };
}

/** A unit's category in the unit grid: its verdict, else its activation-rate band. */
export type UnitCategory = 'proven' | 'dead' | 'dormant' | 'r1' | 'r2' | 'r3' | 'r4' | 'r5';

/** Upper bounds (exclusive) of the activation-rate bands r1..r4; r5 is the rest. */
export const RATE_BANDS = [0.05, 0.2, 0.5, 0.8] as const;

/** The grid legend, in display order. */
export const UNIT_LEGEND: ReadonlyArray<{ category: UnitCategory; label: string }> = [
  { category: 'proven', label: 'proven dead' },
  { category: 'dead', label: 'dead (never fired)' },
  { category: 'dormant', label: 'dormant (τ)' },
  { category: 'r1', label: 'fires < 5%' },
  { category: 'r2', label: '5–20%' },
  { category: 'r3', label: '20–50%' },
  { category: 'r4', label: '50–80%' },
  { category: 'r5', label: '≥ 80%' },
];

/** Every unit's category, from the layer's verdict lists and activation rates. */
export function unitCategories(l: LayerReport): UnitCategory[] {
  const proven = new Set(l.provenDead);
  const dead = new Set(l.dead);
  const dormant = new Set(l.dormant);
  const out: UnitCategory[] = [];
  for (let u = 0; u < l.units; u++) {
    if (proven.has(u)) out.push('proven');
    else if (dead.has(u)) out.push('dead');
    else if (dormant.has(u)) out.push('dormant');
    else {
      const r = l.activationRate[u] ?? 0;
      out.push(r < RATE_BANDS[0] ? 'r1' : r < RATE_BANDS[1] ? 'r2' : r < RATE_BANDS[2] ? 'r3' : r < RATE_BANDS[3] ? 'r4' : 'r5');
    }
  }
  return out;
}

/** Units drawn in the grid at most; the rest are summarized (a layer may have tens of thousands). */
export const MAX_GRID_UNITS = 4096;

/** The grid position reached from `at` by a key, with `cols` cells per row and `n` cells. */
export function moveInGrid(at: number, key: string, cols: number, n: number): number {
  const c = Math.max(1, cols);
  switch (key) {
    case 'ArrowRight': return Math.min(n - 1, at + 1);
    case 'ArrowLeft': return Math.max(0, at - 1);
    case 'ArrowDown': return at + c < n ? at + c : at;
    case 'ArrowUp': return at - c >= 0 ? at - c : at;
    case 'Home': return 0;
    case 'End': return n - 1;
    default: return at;
  }
}
