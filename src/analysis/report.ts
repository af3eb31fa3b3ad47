// The analysis report: plain, JSON-serializable data (schemaVersion 1, documented in
// docs/report-schema.md) that the CLI prints, writes as JSON/SARIF/HTML and VS Code renders as is.
import { Model } from '../onnx/ir';
import { Cause } from './causes';
import { ActivationSite, NonDyingSite } from './sites';
import { SiteStats } from './stats';
import { LayerVerdicts, Severity, VerdictOptions } from './verdicts';

export const REPORT_SCHEMA_VERSION = 1;

/** Where the samples came from. */
export interface SampleInfo {
  count: number;
  /** Human description of the data, e.g. "examples/digits/test.npy (360 samples)" or "random N(0,1), seed 0". */
  source: string;
  kind: string;
  path?: string;
  random: boolean;
  seed?: number;
}

/** One activation site's findings. Unit index lists are ascending. */
export interface LayerReport {
  node: string;
  output: string;
  op: string;
  kind: ActivationSite['kind'];
  nodeIndex: number;
  graphPath: string;
  observation: ActivationSite['observation'];
  note?: string;
  producer: { node: string; op: string; nodeIndex: number } | null;
  batchNorm: { node: string; nodeIndex: number } | null;
  unitAxis: number;
  units: number;
  dead: number[];
  provenDead: number[];
  /** Whether bounds were available for this layer (false: provenDead is necessarily empty). */
  proofAvailable: boolean;
  /** Why bounds left this layer undecided, when they did. */
  proofNote?: string;
  dormant: number[];
  alwaysActive: number[];
  activationRate: number[];
  tauScore: number[];
  deadFraction: number;
  sparsity: number;
  severity: Severity;
  firingRateUpperBound95: number;
  /** Pre-activation per unit (for fused sites: the output). */
  preActivation: { min: number[]; max: number[]; mean: number[] };
  meanAbsOutput: number[];
  histogram: { min: number; max: number; counts: number[] };
  causes: Cause[];
  /** Per unit: the index of a sample that fired it, or -1. */
  witness: number[];
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'relu-doctor'; version: string };
  model: { path: string; name: string; producer: string; irVersion: number; opsets: Array<{ domain: string; version: number }> };
  samples: SampleInfo;
  options: { tau: number; warnFraction: number; errorFraction: number; box?: [number, number]; dims?: Record<string, number>; unitAxis?: Record<string, number> };
  timing: {
    totalMs: number; runMs: number; samplesPerSecond: number;
    /** Executor memory: the weights, and the peak of intermediates plus kernel scratch summed over the sessions (threads) that ran samples. */
    memory?: { weightBytes: number; intermediateBytes: number; sessions: number };
  };
  totals: { layers: number; units: number; dead: number; provenDead: number; dormant: number; alwaysActive: number; worstSeverity: Severity };
  layers: LayerReport[];
  nonDying: NonDyingSite[];
  notes: string[];
}

/** Rounds a statistic to 4 significant digits (keeps ±Infinity as null-free finite markers). */
function sig(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x === 0 ? 0 : Number(x.toPrecision(4));
}

/** Builds one layer's entry from its site, statistics, verdicts and causes. */
export function layerReport(site: ActivationSite, s: SiteStats | undefined, v: LayerVerdicts | undefined, causes: Cause[], proofAvailable: boolean, proofNote?: string): LayerReport {
  const n = s?.units ?? 0;
  const seen = !!s && s.positions > 0;
  const per = (f: (c: number) => number): number[] => Array.from({ length: n }, (_, c) => (seen ? sig(f(c)) : 0));
  return {
    node: site.id,
    output: site.output,
    op: site.op,
    kind: site.kind,
    nodeIndex: site.nodeIndex,
    graphPath: site.graphPath,
    observation: site.observation,
    ...(site.note ? { note: site.note } : {}),
    producer: site.producer ?? null,
    batchNorm: site.batchNorm ?? null,
    unitAxis: site.unitAxis,
    units: n,
    dead: v?.dead ?? [],
    provenDead: v?.provenDead ?? [],
    proofAvailable,
    ...(proofNote ? { proofNote } : {}),
    dormant: v?.dormant ?? [],
    alwaysActive: v?.alwaysActive ?? [],
    activationRate: v?.activationRate ?? [],
    tauScore: v?.tauScore ?? [],
    deadFraction: v?.deadFraction ?? 0,
    sparsity: v?.sparsity ?? 0,
    severity: v?.severity ?? 'none',
    firingRateUpperBound95: v?.firingRateUpperBound95 ?? 1,
    preActivation: { min: per((c) => s!.min[c]), max: per((c) => s!.max[c]), mean: per((c) => s!.sum[c] / s!.positions) },
    meanAbsOutput: per((c) => s!.sumAbsOut[c] / s!.positions),
    histogram: s && seen ? { min: sig(s.histLo), max: sig(s.histHi), counts: Array.from(s.hist) } : { min: 0, max: 0, counts: [] },
    causes,
    witness: s ? Array.from(s.witness) : [],
  };
}

/** Totals over layers. */
export function reportTotals(layers: LayerReport[]): Report['totals'] {
  const rank: Record<Severity, number> = { none: 0, warning: 1, error: 2 };
  let worst: Severity = 'none';
  const t = { layers: layers.length, units: 0, dead: 0, provenDead: 0, dormant: 0, alwaysActive: 0 };
  for (const l of layers) {
    t.units += l.units;
    t.dead += l.dead.length;
    t.provenDead += l.provenDead.length;
    t.dormant += l.dormant.length;
    t.alwaysActive += l.alwaysActive.length;
    if (rank[l.severity] > rank[worst]) worst = l.severity;
  }
  return { ...t, worstSeverity: worst };
}

/** The model block of a report. */
export function modelInfo(model: Model, displayPath: string): Report['model'] {
  const base = displayPath.split(/[\\/]/).pop() ?? displayPath;
  return {
    path: displayPath,
    name: model.graph.name || base,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    irVersion: model.irVersion,
    opsets: model.opsetImports.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
  };
}

/** The options block of a report. */
export function optionsInfo(v: VerdictOptions, extra: Omit<Report['options'], keyof VerdictOptions>): Report['options'] {
  return { tau: v.tau, warnFraction: v.warnFraction, errorFraction: v.errorFraction, ...extra };
}

/** The largest dead fraction over layers (what --fail-on-dead compares). */
export function maxDeadFraction(r: Report): number {
  return r.layers.reduce((m, l) => Math.max(m, l.deadFraction), 0);
}
