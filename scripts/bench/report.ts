// Summaries and printing for the bench: median/min/max per engine, the ratios against
// onnxruntime, the analysis lines with the issue's bars, and the comparison with a previous run.

/** Median, min and max of a list of times. */
export interface Summary { medianMs: number; minMs: number; maxMs: number; runs: number }

/** Summarises run times (median of an even count: mean of the middle two). */
export function summarize(times: readonly number[]): Summary {
  const s = [...times].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { medianMs: NaN, minMs: NaN, maxMs: NaN, runs: 0 };
  const medianMs = n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { medianMs, minMs: s[0], maxMs: s[n - 1], runs: n };
}

/** One engine's row in a model's table. */
export interface EngineRow extends Summary {
  /** `ours-1t`, `ort-node-2t`, … */
  label: string;
  engine: string;
  threads: number;
  loadMs: number;
  /** Largest |difference| of the first output against our executor's (undefined for ours). */
  maxAbsDiff?: number;
  error?: string;
}

/** A model's results. */
export interface ModelResult {
  name: string;
  describe: string;
  fileBytes: number;
  weightBytes: number;
  live?: { peakBytes: number; peakNode: string; steps: number };
  engines: EngineRow[];
  /** Median ratios: ours / ort-web-1t and ours / ort-node-1t. */
  ratios: { oursOverOrtWeb1t?: number; oursOverOrtNode1t?: number };
}

const ms = (x: number): string => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '-');
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

/** The ratios of a model's engine rows. */
export function ratios(rows: readonly EngineRow[]): ModelResult['ratios'] {
  const get = (l: string): number | undefined => rows.find((r) => r.label === l && !r.error)?.medianMs;
  const ours = get('ours-1t');
  const web = get('ort-web-1t');
  const node = get('ort-node-1t');
  return {
    oursOverOrtWeb1t: ours !== undefined && web ? ours / web : undefined,
    oursOverOrtNode1t: ours !== undefined && node ? ours / node : undefined,
  };
}

/** The table of one model as text lines. */
export function modelTable(m: ModelResult): string[] {
  const lines = [`${m.name}: ${m.describe} — weights ${mib(m.weightBytes)}${m.live ? `, largest live intermediates ${mib(m.live.peakBytes)}` : ''}`];
  lines.push(`  ${'engine'.padEnd(14)}${'median ms'.padStart(11)}${'min'.padStart(9)}${'max'.padStart(9)}${'runs'.padStart(6)}${'load ms'.padStart(9)}  max |Δ| vs ours`);
  for (const r of m.engines) {
    if (r.error) { lines.push(`  ${r.label.padEnd(14)}  failed: ${r.error}`); continue; }
    const diff = r.maxAbsDiff === undefined ? '' : r.maxAbsDiff.toExponential(1);
    lines.push(`  ${r.label.padEnd(14)}${ms(r.medianMs).padStart(11)}${ms(r.minMs).padStart(9)}${ms(r.maxMs).padStart(9)}${String(r.runs).padStart(6)}${ms(r.loadMs).padStart(9)}  ${diff}`);
  }
  const { oursOverOrtWeb1t: w, oursOverOrtNode1t: n } = m.ratios;
  lines.push(`  ratio ours/ort-web-1t ${w === undefined ? '-' : w.toFixed(2)}×, ours/ort-node-1t ${n === undefined ? '-' : n.toFixed(2)}×`);
  return lines;
}

/** Largest |a[i] − b[i]| (Infinity when lengths differ or a value is not finite in one only). */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) { if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity; } else if (d > m) m = d;
  }
  return m;
}

/** Per model and engine: previous median → current median, with the change in percent. */
export function compareLines(prev: { timestamp?: string; models?: ModelResult[] }, cur: ModelResult[]): string[] {
  const lines = [`compared with the previous run (${prev.timestamp ?? 'unknown time'}), median ms:`];
  for (const m of cur) {
    const p = prev.models?.find((x) => x.name === m.name);
    if (!p) continue;
    if (p.describe !== m.describe) { lines.push(`  ${m.name}: model changed (${p.describe} → ${m.describe}), not compared`); continue; }
    const parts: string[] = [];
    for (const r of m.engines) {
      const q = p.engines.find((x) => x.label === r.label);
      if (!q || q.error || r.error) continue;
      const pct = ((r.medianMs - q.medianMs) / q.medianMs) * 100;
      parts.push(`${r.label} ${ms(q.medianMs)} → ${ms(r.medianMs)} (${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%)`);
    }
    if (parts.length) lines.push(`  ${m.name}: ${parts.join(', ')}`);
  }
  return lines;
}

export { mib, ms };
