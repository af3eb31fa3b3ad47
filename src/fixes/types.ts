// Shared types of the model rewrites: which fixes exist, what a fix returns, and its error.
import { Model } from '../onnx/ir';

/** The rewrites the core implements. */
export type FixId = 'leaky-relu' | 'he-init' | 'pytorch-snippet';

/** One fix that applies to one ReLU layer of a report. */
export interface FixInfo {
  readonly id: FixId;
  readonly title: string;
  readonly description: string;
  /** The ReLU layer (report `node`) the fix targets. */
  readonly layer: string;
  /** True when the fix writes a new model (false for the PyTorch snippet). */
  readonly rewrites: boolean;
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
