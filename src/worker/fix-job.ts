// The model-rewrite jobs dist/worker.js runs for the extension: which fixes apply to each layer of
// a report, and applying one (src/fixes) and writing the result beside the model. Loading, the
// rewrite and the encoding all happen here, off the extension host's thread.
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import { applicableFixes, applyFix, FixId, writeFixedModel } from '../fixes';
import { loadModelAsync } from '../onnx/load';

/** Arguments of `fixApplicable`. */
export interface FixApplicableArgs {
  /** Absolute model path. */
  readonly path: string;
  readonly report: Report;
}

/** Arguments of `fixApply`. */
export interface FixApplyArgs {
  /** Absolute path of the model to fix. */
  readonly path: string;
  readonly report: Report;
  /** Index of the layer in `report.layers`. */
  readonly layer: number;
  readonly fixId: string;
  /** Where to write the fixed model (in the model's folder, never the model itself). */
  readonly out: string;
  /** Replace `out` when it exists (the host asked the user). */
  readonly overwrite: boolean;
  readonly alpha: number;
  readonly seed: number;
}

/** Per layer of the report, the ids of the fixes the core can apply to it. */
export async function fixApplicable(req: FixApplicableArgs): Promise<{ applicable: string[][] }> {
  const model = await loadModelAsync(req.path);
  const byLayer = new Map<string, string[]>();
  for (const f of applicableFixes(model, req.report)) {
    const ids = byLayer.get(f.layer) ?? [];
    ids.push(f.id);
    byLayer.set(f.layer, ids);
  }
  return { applicable: req.report.layers.map((l) => byLayer.get(l.node) ?? []) };
}

/** Applies one rewriting fix to one layer and writes the model (the core refuses unknown ids and the text-only PyTorch fix). */
export async function fixApply(req: FixApplyArgs): Promise<{ summary: string; written: string }> {
  const layer = req.report.layers[req.layer];
  if (!layer) throw new Error(`${req.path}: the report has no layer ${req.layer}; analyse the model again`);
  const model = await loadModelAsync(req.path);
  let result;
  try {
    result = applyFix(model, req.fixId as FixId, { layer: req.layer }, { report: req.report, alpha: req.alpha, seed: req.seed });
  } catch (e) {
    throw new Error(`${req.path} (${layer.node}): ${(e as Error).message}`);
  }
  const written = writeFixedModel(req.path, result.model, { target: path.resolve(req.out), overwrite: req.overwrite });
  const summary = result.changes.length > 0 ? result.changes.join('; ') : `${req.fixId} applied to ${layer.node}`;
  return { summary, written };
}
