// Per-unit verdicts from a site's statistics (and, when available, proven bounds): proven dead,
// observed dead, dormant (Sokar et al. 2023 τ-score), always active, alive with a witness; and the
// per-layer counts, fractions and severity.
import { SiteStats } from './stats';

/** Thresholds the verdicts use. */
export interface VerdictOptions {
  /** Dormant when mean |output| / layer mean |output| ≤ tau (default 0.025). */
  tau: number;
  /** Severity 'warning' at this dead fraction or more (default 0.1). */
  warnFraction: number;
  /** Severity 'error' at this dead fraction or more (default 0.5). */
  errorFraction: number;
}

export const DEFAULT_VERDICT_OPTIONS: VerdictOptions = { tau: 0.025, warnFraction: 0.1, errorFraction: 0.5 };

export type Severity = 'none' | 'warning' | 'error';

/** Verdicts of one layer (site). Index lists are ascending unit indices. */
export interface LayerVerdicts {
  units: number;
  /** Zero firings over every sample and position. */
  dead: number[];
  /** Upper bound of the pre-activation ≤ 0 over the whole input box (or from the weights alone). */
  provenDead: number[];
  /** τ-score ≤ tau, not counting units already dead. */
  dormant: number[];
  /** Pre-activation never ≤ 0: the ReLU is the identity for these units. */
  alwaysActive: number[];
  /** Per unit: fraction of positions where it fired. */
  activationRate: number[];
  /** Per unit: τ-score (mean |output| over the layer's mean |output|; 0 when the layer is silent). */
  tauScore: number[];
  /** |dead ∪ provenDead| / units. */
  deadFraction: number;
  /** Fraction of zero outputs over all units and positions (healthy ReLU layers sit near 0.5). */
  sparsity: number;
  severity: Severity;
  /** 95% upper bound on the per-sample firing probability of a never-fired unit: 1 − 0.05^(1/N). */
  firingRateUpperBound95: number;
}

/** 1 − 0.05^(1/n): the 95% upper bound on a rate after n trials without an event (≈ 3/n); 1 when n = 0. */
export function zeroEventUpperBound(n: number): number {
  return n > 0 ? 1 - Math.pow(0.05, 1 / n) : 1;
}

/** Rounds a rate for the report: 4 decimals, but keeps tiny non-zero rates non-zero (2 significant digits). */
export function roundRate(r: number): number {
  if (r === 0 || r === 1) return r;
  if (r < 1e-4) return Number(r.toPrecision(2));
  return Math.round(r * 1e4) / 1e4;
}

/** Severity of a dead fraction under the thresholds. */
export function severityOf(deadFraction: number, o: VerdictOptions): Severity {
  if (deadFraction > 0 && deadFraction >= o.errorFraction) return 'error';
  if (deadFraction > 0 && deadFraction >= o.warnFraction) return 'warning';
  return 'none';
}

/**
 * Verdicts for one site. `provenUpper` is the per-unit upper bound of the pre-activation over the
 * input box (undefined: no proof available); `weightDead` lists units dead from the weights alone.
 */
export function judgeSite(s: SiteStats, o: VerdictOptions, provenUpper?: ArrayLike<number>, weightDead?: readonly number[]): LayerVerdicts {
  const n = s.units;
  const observed = s.positions > 0;
  const dead: number[] = [];
  const provenDead: number[] = [];
  const dormant: number[] = [];
  const alwaysActive: number[] = [];
  const activationRate: number[] = new Array<number>(n);
  const tauScore: number[] = new Array<number>(n);
  let layerMean = 0;
  for (let c = 0; c < n; c++) layerMean += observed ? s.sumAbsOut[c] / s.positions : 0;
  layerMean /= n || 1;
  const proven = new Set<number>(weightDead ?? []);
  if (provenUpper) for (let c = 0; c < n; c++) if (provenUpper[c] <= 0) proven.add(c);
  let positives = 0;
  for (let c = 0; c < n; c++) {
    const rate = observed ? s.positives[c] / s.positions : 0;
    activationRate[c] = roundRate(rate);
    positives += s.positives[c];
    const score = observed && layerMean > 0 ? s.sumAbsOut[c] / s.positions / layerMean : 0;
    tauScore[c] = Math.round(score * 1e4) / 1e4;
    if (proven.has(c)) provenDead.push(c);
    if (!observed) continue;
    if (s.positives[c] === 0) dead.push(c);
    else if (score <= o.tau) dormant.push(c);
    if (s.min[c] > 0) alwaysActive.push(c);
  }
  const deadSet = new Set([...dead, ...provenDead]);
  const deadFraction = n ? deadSet.size / n : 0;
  const total = s.positions * n;
  return {
    units: n,
    dead,
    provenDead,
    dormant,
    alwaysActive,
    activationRate,
    tauScore,
    deadFraction: roundRate(deadFraction),
    sparsity: total > 0 ? roundRate(1 - positives / total) : 0,
    severity: severityOf(deadFraction, o),
    firingRateUpperBound95: roundRate(zeroEventUpperBound(s.samples)),
  };
}
