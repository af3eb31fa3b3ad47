// Model rewrites that treat dead ReLU units (core, no `vscode`): which fixes apply to a layer of a
// report, and applying one. Each fix lives in its own file; this is the table.
import { Model } from '../onnx/ir';
import { LayerReport, Report } from '../analysis/report';
import { heInitProducer } from './he-init';
import { replaceWithLeakyRelu } from './leaky-relu';
import { FixError, FixId, FixInfo, FixResult } from './types';

export { FixError } from './types';
export type { FixId, FixInfo, FixResult } from './types';
export { writeFixedModel, fixedModelPath } from './write';
export { pytorchSnippet } from './pytorch';

/** Options a fix may use. */
export interface FixOptions {
  /** Leaky ReLU slope (default 0.01). */
  alpha?: number;
  /** Seed of re-drawn weights (default 0). */
  seed?: number;
}

const REWRITABLE_KINDS = new Set(['relu', 'relu6', 'clip', 'max0', 'fused-relu']);

/** The fixes that apply to a layer (by report index or node name); none for healthy layers. */
export function applicableFixes(model: Model, report: Report, layerRef: number | string): FixInfo[] {
  const layer = findLayer(report, layerRef);
  if (layer.dead.length === 0 && layer.provenDead.length === 0) return [];
  const fixes: FixInfo[] = [];
  const main = !layer.graphPath && model.graph.nodes[layer.nodeIndex] !== undefined;
  if (main && REWRITABLE_KINDS.has(layer.kind)) {
    fixes.push({ id: 'leaky-relu', layer: layer.node, rewrites: true, title: 'Replace with Leaky ReLU', description: 'Gives the units a small negative slope so gradients reach them again; keeps a ReLU6 cap.' });
  }
  if (main && layer.producer && /^(Conv|Gemm|MatMul|FusedConv|FusedGemm)$/.test(layer.producer.op)) {
    fixes.push({ id: 'he-init', layer: layer.node, rewrites: true, title: `He-initialize ${layer.producer.node} (discards its training)`, description: 'Re-draws the producing layer\'s weights from N(0, 2/fan_in) and zeroes its bias: for untrained models.' });
  }
  fixes.push({ id: 'pytorch-snippet', layer: layer.node, rewrites: false, title: 'Copy the PyTorch fix', description: 'nn.LeakyReLU and nn.init.kaiming_normal_ for users who retrain from code.' });
  return fixes;
}

/** Applies a rewriting fix to a layer; the input model is not modified. */
export function applyFix(model: Model, fixId: FixId, report: Report, layerRef: number | string, options: FixOptions = {}): FixResult {
  const layer = findLayer(report, layerRef);
  switch (fixId) {
    case 'leaky-relu':
      return replaceWithLeakyRelu(model, layer, options.alpha ?? 0.01);
    case 'he-init':
      return heInitProducer(model, layer, options.seed ?? 0);
    default:
      throw new FixError(`fix "${fixId}" does not rewrite the model`);
  }
}

function findLayer(report: Report, ref: number | string): LayerReport {
  const layer = typeof ref === 'number' ? report.layers[ref] : report.layers.find((l) => l.node === ref);
  if (!layer) throw new FixError(`no ReLU layer ${typeof ref === 'number' ? `#${ref}` : `"${ref}"`} in the report`);
  return layer;
}
