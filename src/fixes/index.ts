// Model rewrites that treat dead ReLU units (core, no `vscode`): which fixes apply to the layers
// of a report, and applying one. Each fix lives in its own file; this is the table.
import { Model } from '../onnx/ir';
import { inferShapes, ShapeMap } from '../onnx/shapes';
import { LayerReport, Report } from '../analysis/report';
import { heInitProducer, heTarget } from './he-init';
import { replaceWithLeakyRelu } from './leaky-relu';
import { planPrune, pruneUnits } from './prune';
import { deadUnits, planRevive, reviveUnits } from './revive';
import { findLayerIn } from './layers';
import { FixError, FixId, FixInfo, FixOptions, FixResult, FixTarget } from './types';

export { FixError } from './types';
export type { FixId, FixInfo, FixOptions, FixResult, FixTarget } from './types';
export { writeFixedModel, fixedModelPath } from './write';
export { pytorchSnippet } from './pytorch';

const REWRITABLE_KINDS = new Set(['relu', 'relu6', 'clip', 'max0', 'fused-relu']);
const HE_PRODUCERS = /^(Conv|Gemm|MatMul|FusedConv|FusedGemm)$/;

/** Whether `check` passes (a FixError means the fix does not apply; other errors propagate). */
function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof FixError) return false;
    throw e;
  }
}

/** The fixes for one layer (none for a layer without dead units). */
function layerFixes(model: Model, layer: LayerReport, types: () => ShapeMap): FixInfo[] {
  const dead = deadUnits(layer);
  if (dead.length === 0) return [];
  const at = { layer: layer.node };
  const fixes: FixInfo[] = [];
  const main = !layer.graphPath && model.graph.nodes[layer.nodeIndex] !== undefined;
  // A quantized clamp (QLinearConv with zero point 0) has no activation to swap.
  if (main && REWRITABLE_KINDS.has(layer.kind) && !layer.op.startsWith('QLinear')) {
    fixes.push({ id: 'leaky-relu', ...at, rewrites: true, title: 'Replace with Leaky ReLU', description: 'Gives the units a small negative slope so gradients reach them again (a ReLU6 keeps its cap of 6). Outputs change slightly wherever the pre-activation is negative.' });
  }
  if (main && layer.producer && HE_PRODUCERS.test(layer.producer.op) && passes(() => heTarget(model, layer))) {
    fixes.push({ id: 'he-init', ...at, rewrites: true, title: `He-initialize ${layer.producer.node}`, description: `Re-draws the weights of ${layer.producer.node} from N(0, 2/fan_in) and zeroes its bias. This discards that layer's training: for untrained models or before retraining.` });
  }
  if (main && passes(() => planRevive(model, layer, types()))) {
    fixes.push({ id: 'revive', ...at, rewrites: true, title: `Revive ${dead.length} dead unit(s)`, description: 'Re-initializes only the dead units (He weights, zero bias, BatchNorm reset) and zeroes their outgoing weights, so the outputs stay the same while the units can learn again (ReDo).' });
  }
  if (main && layer.provenDead.length > 0 && passes(() => planPrune(model, layer, types()))) {
    fixes.push({ id: 'prune', ...at, rewrites: true, title: `Prune ${layer.provenDead.length} proven-dead unit(s)`, description: 'Removes the units that can never fire from this layer and the layers reading them: same outputs, fewer parameters.' });
  }
  fixes.push({ id: 'pytorch-snippet', ...at, rewrites: false, title: 'Copy the PyTorch fix', description: 'nn.LeakyReLU and nn.init.kaiming_normal_ lines for users who retrain from code.' });
  return fixes;
}

/** The fixes that apply to one layer (by report `node` or index), or to every layer with dead units when `layer` is omitted. */
export function applicableFixes(model: Model, report: Report, layer?: string | number): FixInfo[] {
  let types: ShapeMap | undefined;
  const lazyTypes = (): ShapeMap => (types ??= inferShapes(model));
  const layers = layer === undefined ? report.layers : [findLayer(report, layer)];
  return layers.flatMap((l) => layerFixes(model, l, lazyTypes));
}

/** Applies a rewriting fix to a layer (or, Leaky ReLU with `target.all`, to every dying layer); the input model is not modified. */
export function applyFix(model: Model, fixId: FixId, target: FixTarget, options: FixOptions): FixResult {
  const { report } = options;
  if (!report) throw new FixError('applyFix needs the analysis report (options.report)');
  if (fixId === 'leaky-relu' && target.all) return leakyAll(model, report, options.alpha ?? 0.01);
  const layer = findLayer(report, target.layer);
  switch (fixId) {
    case 'leaky-relu':
      return replaceWithLeakyRelu(model, layer, options.alpha ?? 0.01);
    case 'he-init':
      return heInitProducer(model, layer, options.seed ?? 0);
    case 'revive':
      return reviveUnits(model, layer, options.seed ?? 0);
    case 'prune':
      return pruneUnits(model, layer, options.force === true);
    case 'pytorch-snippet':
      throw new FixError('the PyTorch fix is text, not a rewrite: use pytorchSnippet()');
    default:
      throw new FixError(`unknown fix "${String(fixId)}"`);
  }
}

/** Leaky ReLU on every main-graph layer with dead units, last node first so earlier indices stay valid. */
function leakyAll(model: Model, report: Report, alpha: number): FixResult {
  const layers = report.layers.filter((l) => !l.graphPath && deadUnits(l).length > 0 && REWRITABLE_KINDS.has(l.kind) && !l.op.startsWith('QLinear')).sort((a, b) => b.nodeIndex - a.nodeIndex);
  if (layers.length === 0) throw new FixError('no layer of the report has dead units a Leaky ReLU could fix');
  let current = model;
  const changes: string[] = [];
  for (const l of layers) {
    const r = replaceWithLeakyRelu(current, l, alpha);
    current = r.model;
    changes.unshift(...r.changes);
  }
  return { model: current, changes };
}

/** A report layer by `node` or index. */
export const findLayer = findLayerIn;
