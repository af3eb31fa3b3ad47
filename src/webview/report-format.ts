// Text formatting for the report panel (pure, unit-tested): percentages, durations, statistics,
// compact unit lists, and readable names for cause and remedy ids.
import type { LayerReport, Report } from '../protocol/report';

/** A fraction in [0, 1] as a percentage: "0%", "0.83%", "19%", "100%" (never rounds a non-zero value to 0). */
export function pct(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '0%';
  const p = 100 * x;
  if (p >= 10) return `${Math.round(p)}%`;
  if (p < 0.01) return '< 0.01%';
  return `${Number(p.toPrecision(2))}%`;
}

/** A statistic with 3 significant digits and a real minus sign, e.g. "−1.17", "2.6e-5". */
export function stat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
  return s.replace(/^-/, '−');
}

/** Milliseconds as "146 ms", "2.4 s" or "3 min 5 s". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(ms < 10_000 ? 2 : 3))} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Ascending unit indices as ranges, "0–2, 5, 9–11", cut after `max` parts with "… (+N more units)". */
export function unitRanges(units: readonly number[], max = 24): string {
  if (!units.length) return 'none';
  const parts: string[] = [];
  let shownUnits = 0;
  for (let i = 0; i < units.length && parts.length < max; ) {
    let j = i;
    while (j + 1 < units.length && units[j + 1] === units[j] + 1) j++;
    parts.push(j > i + 1 ? `${units[i]}–${units[j]}` : j === i + 1 ? `${units[i]}, ${units[j]}` : `${units[i]}`);
    shownUnits += j - i + 1;
    i = j + 1;
  }
  const rest = units.length - shownUnits;
  return rest > 0 ? `${parts.join(', ')}, … (+${count(rest)} more)` : parts.join(', ');
}

const CAUSES: Record<string, string> = {
  'bias-below-reach': 'Bias below reach',
  'negative-weighted-sum': 'Weighted sum never positive',
  'weights-nonpositive': 'All incoming weights ≤ 0',
  'batchnorm-shift': 'BatchNorm shift',
  'upstream-dead': 'Dead inputs upstream',
  'inputs-not-normalized': 'Inputs not normalized',
  'weight-scale': 'Weight scale',
};

const REMEDIES: Record<string, string> = {
  'leaky-relu': 'Leaky ReLU',
  'he-init': 'He initialization',
  revive: 'revive (re-initialize the units)',
  prune: 'prune',
  'lower-lr': 'lower learning rate',
  batchnorm: 'add BatchNorm',
};

/** A cause id as a short heading (unknown ids are shown as they are). */
export function causeLabel(id: string): string {
  return CAUSES[id] ?? id;
}

/** A remedy id in words (unknown ids are shown as they are). */
export function remedyLabel(id: string): string {
  return REMEDIES[id] ?? id;
}

/** "3 of 16" with the share, e.g. "3 of 16 (19%)". */
export function ofUnits(n: number, units: number): string {
  return units > 0 ? `${count(n)} of ${count(units)} (${pct(n / units)})` : `${count(n)} of 0`;
}

/** One unit's details for the grid's readout; `always` holds the layer's always-active units. */
export function unitDetail(l: LayerReport, u: number, category: string, always: ReadonlySet<number>): string {
  const verdict = category === 'proven' ? 'proven dead' : category === 'dead' ? 'dead: never fired' : category === 'dormant' ? 'dormant' : always.has(u) ? 'always active' : 'alive';
  const pre = l.preActivation;
  const parts = [`Unit ${u}: ${verdict}`, `fires on ${pct(l.activationRate[u] ?? 0)} of positions`];
  if (pre.min.length > u) parts.push(`pre-activation min ${stat(pre.min[u])}, mean ${stat(pre.mean[u])}, max ${stat(pre.max[u])}`);
  if (l.tauScore.length > u) parts.push(`τ-score ${stat(l.tauScore[u])}`);
  const w = l.witness[u];
  if (w !== undefined) parts.push(w >= 0 ? `first fired on sample ${w}` : 'fired on no sample');
  return parts.join(' · ');
}

/** The data line of the summary, e.g. "360 samples from examples/digits/test.npy". */
export function dataLine(r: Report): string {
  return `${count(r.samples.count)} ${r.samples.random ? 'RANDOM ' : ''}sample${r.samples.count === 1 ? '' : 's'} from ${r.samples.source}`;
}
