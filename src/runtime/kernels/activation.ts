// In-place activation functions for fused ops (FusedConv, FusedGemm): one switch per call,
// then a tight loop; parameters are resolved at plan time.

import { clipF32InPlace, reluF32InPlace } from './relu-f32';

/** Activation kinds the fused ops support. */
export type ActivationKind =
  | 'None' | 'Relu' | 'Tanh' | 'Sigmoid' | 'LeakyRelu' | 'Clip' | 'HardSigmoid'
  | 'Elu' | 'Selu' | 'ThresholdedRelu' | 'Softsign' | 'Softplus' | 'ScaledTanh' | 'ParametricSoftplus';

/** A resolved activation: kind plus up to three parameters (meaning depends on the kind). */
export interface Activation {
  readonly kind: ActivationKind;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

/** Applies the activation to y[0..n) in place. */
export function applyActivation(y: Float32Array | Float64Array, n: number, act: Activation): void {
  const { alpha, beta, gamma } = act;
  switch (act.kind) {
    case 'None':
      return;
    case 'Relu':
      if (y instanceof Float32Array) reluF32InPlace(y, 0, n);
      else for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
      return;
    case 'Tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]);
      return;
    case 'Sigmoid':
      for (let i = 0; i < n; i++) {
        const v = y[i];
        y[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'LeakyRelu':
      for (let i = 0; i < n; i++) if (y[i] < 0) y[i] *= alpha;
      return;
    case 'Clip':
      if (y instanceof Float32Array && alpha <= beta) {
        clipF32InPlace(y, 0, n, alpha, beta);
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = y[i];
        y[i] = v < alpha ? alpha : v > beta ? beta : v;
      }
      return;
    case 'HardSigmoid':
      for (let i = 0; i < n; i++) y[i] = Math.max(0, Math.min(1, alpha * y[i] + beta));
      return;
    case 'Elu':
      for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = alpha * (Math.exp(y[i]) - 1);
      return;
    case 'Selu':
      for (let i = 0; i < n; i++) {
        const v = y[i];
        y[i] = v > 0 ? gamma * v : gamma * (alpha * Math.exp(v) - alpha);
      }
      return;
    case 'ThresholdedRelu':
      for (let i = 0; i < n; i++) if (!(y[i] > alpha)) y[i] = 0;
      return;
    case 'Softsign':
      for (let i = 0; i < n; i++) y[i] = y[i] / (1 + Math.abs(y[i]));
      return;
    case 'Softplus':
      for (let i = 0; i < n; i++) {
        const v = y[i];
        y[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      }
      return;
    case 'ScaledTanh':
      for (let i = 0; i < n; i++) y[i] = alpha * Math.tanh(beta * y[i]);
      return;
    case 'ParametricSoftplus':
      for (let i = 0; i < n; i++) {
        const v = beta * y[i];
        y[i] = alpha * (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
      }
      return;
  }
}
