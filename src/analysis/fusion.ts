// The plan-time fusion an observed analysis run may use: every site's observed value (the
// pre-activation a ReLU reads, or a fused activation's output) stays visible, and BatchNormalization
// is applied as an exact per-channel scale and shift rather than folded into copied weights, so the
// statistics are bit-identical to an unfused run and workers keep sharing the model's weights.
import type { FusionOptions } from '../runtime/fuse';
import type { ActivationSite } from './sites';

/** Fusion settings for a session observed by a statistics collector over `sites`. */
export function analysisFusion(sites: readonly ActivationSite[]): FusionOptions {
  const keep = new Set<string>();
  for (const s of sites) {
    if (s.input) keep.add(s.input);
    if (s.output) keep.add(s.output);
  }
  return { keep, foldWeights: false };
}
