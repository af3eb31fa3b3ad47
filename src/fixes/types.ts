// Shared types of the model rewrites: which fixes exist, what a fix is told and returns, its error.
import { Model } from '../onnx/ir';
import { Report } from '../analysis/report';

/** The fixes the core offers ('pytorch-snippet' gives text, the others a rewritten model). */
export type FixId = 'leaky-relu' | 'he-init' | 'revive' | 'prune' | 'pytorch-snippet';

/** One fix that applies to one ReLU layer of a report. */
export interface FixInfo {
  readonly id: FixId;
  readonly title: string;
  /** What it does and what it costs (e.g. that He initialization discards the layer's training). */
  readonly description: string;
  /** The ReLU layer (report `node`) the fix targets. */
  readonly layer: string;
  /** True when the fix writes a new model (false for the PyTorch snippet). */
  readonly rewrites: boolean;
}

/** Which layer a fix applies to: a report layer's `node` (site id) or its index in `report.layers`. */
export interface FixTarget {
  readonly layer: string | number;
  /** Leaky ReLU only: rewrite every main-graph layer of the report that has dead units. */
  readonly all?: boolean;
}

/** What a fix may be told. */
export interface FixOptions {
  /** The analysis report the fix works from (dead / provenDead unit lists). */
  readonly report: Report;
  /** Leaky ReLU slope (default 0.01). */
  readonly alpha?: number;
  /** Seed of re-drawn weights (default 0). */
  readonly seed?: number;
  /** Prune: also remove units that were only observed dead (not proven); outputs may then change. */
  readonly force?: boolean;
}

/** A rewritten model (a new IR; the input is untouched) and what changed, in sentences. */
export interface FixResult {
  readonly model: Model;
  readonly changes: string[];
}

/** A fix that cannot be applied to this model; the message says why and what to do. */
export class FixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixError';
  }
}
