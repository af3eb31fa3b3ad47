// Explains dead units from the numbers: the producer's weights and bias, the BatchNorm between,
// dead units upstream, the input range and the weight scale. Each cause carries the units it
// explains, one sentence with the numbers, and the remedies that address it.
import { Graph, Model, Node, OnnxTensor } from '../onnx/ir';
import { attrFloat, attrInt } from '../onnx/attrs';
import { toFloat32Array } from '../onnx/dtype';
import { tensorValues } from '../onnx/tensor-data';
import { constantLookup } from '../onnx/summary';
import { ActivationSite } from './sites';
import { SiteStats } from './stats';
import { LayerVerdicts } from './verdicts';

export type CauseId = 'bias-below-reach' | 'weights-nonpositive' | 'negative-weighted-sum' | 'batchnorm-shift' | 'upstream-dead' | 'inputs-not-normalized' | 'weight-scale';
export type Remedy = 'leaky-relu' | 'he-init' | 'revive' | 'prune' | 'lower-lr' | 'batchnorm';

/** One explanation for some of a layer's dead units. */
export interface Cause {
  id: CauseId;
  /** The dead units it explains (ascending). */
  units: number[];
  message: string;
  remedies: Remedy[];
}

/** Range of the values feeding a layer that reads a model input directly. */
export interface InputRange {
  name: string;
  min: number;
  max: number;
  mean: number;
  std: number;
  random: boolean;
}

/** What causes need to know beyond the site itself. */
export interface CauseContext {
  model: Model;
  site: ActivationSite;
  stats: SiteStats;
  verdicts: LayerVerdicts;
  /** The site whose units are the producer's input channels (1:1), when there is one. */
  upstream?: { site: ActivationSite; verdicts: LayerVerdicts };
  /** The producer's input is ≥ 0 (a ReLU output, or a model input whose samples are all ≥ 0). */
  inputNonNegative: boolean;
  /** Set when the producer reads a model input (possibly through Flatten/Reshape). */
  input?: InputRange;
}

/** The producer's weights, as one row of `fanIn` weights per unit, the bias per unit and the input channel of each weight. */
interface Weights {
  rows: Float64Array[];
  bias: Float64Array;
  fanIn: number;
  /** Input channels (or features) the layer reads. */
  channels: number;
  /** Input channel (or feature) that weight j of unit c reads. */
  channelOf: (c: number, j: number) => number;
  std: number;
}

function floats(t: OnnxTensor | undefined, model: Model): Float32Array | undefined {
  if (!t) return undefined;
  try {
    const v = tensorValues(t, model);
    if (Array.isArray(v) || v instanceof BigInt64Array || v instanceof BigUint64Array) return undefined;
    return v instanceof Float32Array ? v : toFloat32Array(v, t.dataType);
  } catch {
    return undefined;
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}

/** Reads a Conv/FusedConv/Gemm/FusedGemm/MatMul producer's weights; undefined when they are not constants. */
function producerWeights(node: Node, graph: Graph, model: Model, units: number): Weights | undefined {
  const constOf = constantLookup(graph);
  const wt = constOf(node.inputs[1]);
  const w = floats(wt, model);
  if (!w || !wt) return undefined;
  const rows: Float64Array[] = [];
  const bias = new Float64Array(units);
  let channelOf: Weights['channelOf'];
  let fanIn: number;
  let channels: number;
  const op = node.opType;
  if (op === 'Conv' || op === 'FusedConv') {
    if (wt.dims.length < 3 || wt.dims[0] !== units) return undefined;
    fanIn = w.length / units;
    const cPerGroup = wt.dims[1];
    let kernel = 1;
    for (let i = 2; i < wt.dims.length; i++) kernel *= wt.dims[i];
    const group = attrInt(node, 'group', 1);
    const mPerGroup = units / group;
    channels = cPerGroup * group;
    for (let c = 0; c < units; c++) rows.push(Float64Array.from(w.subarray(c * fanIn, (c + 1) * fanIn)));
    channelOf = (c, j) => Math.floor(c / mPerGroup) * cPerGroup + Math.floor(j / kernel);
    const b = floats(node.inputs[2] ? constOf(node.inputs[2]) : undefined, model);
    if (b && b.length === units) bias.set(b);
  } else if (op === 'Gemm' || op === 'FusedGemm' || op === 'MatMul') {
    if (wt.dims.length !== 2) return undefined;
    const transB = op === 'MatMul' ? 0 : attrInt(node, 'transB', 0);
    const alpha = op === 'MatMul' ? 1 : attrFloat(node, 'alpha', 1);
    const beta = op === 'MatMul' ? 1 : attrFloat(node, 'beta', 1);
    const [r, k] = wt.dims;
    const n = transB ? r : k;
    fanIn = transB ? k : r;
    if (n !== units) return undefined;
    for (let c = 0; c < units; c++) {
      const row = new Float64Array(fanIn);
      for (let j = 0; j < fanIn; j++) row[j] = alpha * (transB ? w[c * fanIn + j] : w[j * units + c]);
      rows.push(row);
    }
    channelOf = (_c, j) => j;
    channels = fanIn;
    let b = op === 'MatMul' ? undefined : floats(node.inputs[2] ? constOf(node.inputs[2]) : undefined, model);
    if (op === 'MatMul') {
      // A bias added right after the MatMul (MatMul → Add(constant)).
      const add = graph.nodes.find((x) => x.opType === 'Add' && x.inputs.includes(node.outputs[0]));
      const other = add?.inputs.find((i) => i !== node.outputs[0]);
      b = other ? floats(constOf(other), model) : undefined;
    }
    if (b && b.length === units) for (let c = 0; c < units; c++) bias[c] = beta * b[c];
    else if (b && b.length === 1) bias.fill(beta * b[0]);
  } else return undefined;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i];
    s2 += w[i] * w[i];
  }
  const mean = s / w.length;
  return { rows, bias, fanIn, channels, channelOf, std: Math.sqrt(Math.max(0, s2 / w.length - mean * mean)) };
}

/** BatchNormalization parameters per channel. */
function bnParams(node: Node, graph: Graph, model: Model, units: number) {
  const constOf = constantLookup(graph);
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k) => floats(constOf(node.inputs[k]), model));
  if (!gamma || !beta || !mean || !variance || gamma.length !== units) return undefined;
  return { gamma, beta, mean, variance, eps: attrFloat(node, 'epsilon', 1e-5) };
}

function withPrune(units: number[], proven: Set<number>, remedies: Remedy[]): Remedy[] {
  return units.length > 0 && units.every((u) => proven.has(u)) ? [...remedies, 'prune'] : remedies;
}

/** The causes of a layer's dead units, most units first. */
export function explainDeadUnits(ctx: CauseContext): Cause[] {
  const { model, site, stats, verdicts } = ctx;
  const deadList = [...new Set([...verdicts.dead, ...verdicts.provenDead])].sort((a, b) => a - b);
  if (deadList.length === 0) return [];
  const proven = new Set(verdicts.provenDead);
  const causes: Cause[] = [];
  const graph = site.graphPath === '' ? model.graph : undefined;
  const producerNode = graph && site.producer ? graph.nodes[site.producer.nodeIndex] : undefined;
  const bnNode = graph && site.batchNorm ? graph.nodes[site.batchNorm.nodeIndex] : undefined;
  const weights = producerNode && graph ? producerWeights(producerNode, graph, model, stats.units) : undefined;
  const bn = bnNode && graph ? bnParams(bnNode, graph, model, stats.units) : undefined;
  const plainPath = site.affine && site.path.every((p) => p === 'Identity' || p === 'Dropout' || p === 'BatchNormalization' || (p === 'Add' && producerNode?.opType === 'MatMul'));
  const observed = site.observation === 'pre-activation' && stats.positions > 0;
  const add = (id: CauseId, units: number[], message: string, remedies: Remedy[]): void => {
    if (units.length) causes.push({ id, units, message, remedies: withPrune(units, proven, remedies) });
  };

  // BatchNorm: β + 3|γ| < 0 keeps the unit below zero for any input within 3 standard deviations.
  if (bn) {
    const units = deadList.filter((c) => bn.beta[c] < 0 && bn.beta[c] + 3 * Math.abs(bn.gamma[c]) < 0);
    const c = units[0];
    if (units.length) {
      add('batchnorm-shift', units, `BatchNorm '${site.batchNorm?.node}' shifts ${units.length} unit(s) below zero: e.g. unit ${c} has β = ${fmt(bn.beta[c])}, γ = ${fmt(bn.gamma[c])}, so β + 3|γ| = ${fmt(bn.beta[c] + 3 * Math.abs(bn.gamma[c]))} < 0 for any normalized input within ±3σ`, ['revive', 'leaky-relu', 'lower-lr']);
    }
  }

  // A cascade: every input channel the unit reads is dead upstream, and its constant term is ≤ 0.
  const cascade = new Set<number>();
  if (weights && plainPath && ctx.upstream && weights.channels === ctx.upstream.verdicts.units) {
    const up = ctx.upstream.verdicts;
    const upDead = new Set([...up.dead, ...up.provenDead]);
    const units = deadList.filter((c) => {
      let reads = 0;
      const row = weights.rows[c];
      for (let j = 0; j < row.length; j++) {
        if (row[j] === 0) continue;
        reads++;
        if (!upDead.has(weights.channelOf(c, j))) return false;
      }
      const b = weights.bias[c];
      const k = bn ? bn.gamma[c] * (b - bn.mean[c]) / Math.sqrt(bn.variance[c] + bn.eps) + bn.beta[c] : b;
      return reads > 0 && k <= 0;
    });
    units.forEach((c) => cascade.add(c));
    if (units.length) add('upstream-dead', units, `${units.length} unit(s) read only channels that are dead in '${ctx.upstream.site.id}' (${upDead.size} of ${up.units} dead there), and their constant term is ≤ 0`, ['revive']);
  }

  if (weights && plainPath && !bn) {
    // Weighted sums never positive over non-negative inputs: all incoming weights ≤ 0.
    const nonPos = ctx.inputNonNegative ? deadList.filter((c) => weights.rows[c].every((x) => x <= 0)) : [];
    if (nonPos.length) {
      const c = nonPos[0];
      add('weights-nonpositive', nonPos, `${nonPos.length} unit(s) have every incoming weight ≤ 0 over non-negative inputs (e.g. unit ${c}: largest of ${weights.fanIn} weights ${fmt(Math.max(...weights.rows[c]))}, bias ${fmt(weights.bias[c])}), so the weighted sum is never positive`, ['revive', 'he-init', 'leaky-relu']);
    }
    // Bias below what the weighted inputs ever reach.
    if (observed) {
      const np = new Set(nonPos);
      const units = deadList.filter((c) => !np.has(c) && weights.bias[c] < 0 && stats.max[c] <= 0 && stats.max[c] - weights.bias[c] > 0);
      if (units.length) {
        const c = units[0];
        add('bias-below-reach', units, `bias below what the inputs reach for ${units.length} unit(s): e.g. unit ${c} has bias ${fmt(weights.bias[c])} while its weighted input sum peaks at ${fmt(stats.max[c] - weights.bias[c])} over ${stats.samples} samples, so its pre-activation never exceeds ${fmt(stats.max[c])}`, ['leaky-relu', 'revive', 'lower-lr']);
      }
      // The weighted input sum itself never positive on the data (weights mostly negative where inputs live).
      const neg = deadList.filter((c) => !np.has(c) && !cascade.has(c) && stats.max[c] - weights.bias[c] <= 0);
      if (neg.length) {
        const c = neg[0];
        const positive = weights.rows[c].reduce((k, x) => k + (x > 0 ? 1 : 0), 0);
        add('negative-weighted-sum', neg, `the weighted input sum of ${neg.length} unit(s) stayed ≤ 0 on all ${stats.samples} samples: e.g. unit ${c} (${positive} of ${weights.fanIn} weights positive) peaks at ${fmt(stats.max[c] - weights.bias[c])} before adding its bias ${fmt(weights.bias[c])}, so its negative weights outweigh the positive ones on these inputs`, ['revive', 'lower-lr', 'leaky-relu', 'he-init']);
      }
    }
  }

  // Inputs far from N(0,1) or [0,1].
  const inp = ctx.input;
  if (inp && !inp.random && (Math.max(Math.abs(inp.min), Math.abs(inp.max)) > 4 || inp.std > 3)) {
    add('inputs-not-normalized', deadList, `input '${inp.name}' is not normalized: values range over [${fmt(inp.min)}, ${fmt(inp.max)}] (mean ${fmt(inp.mean)}, sd ${fmt(inp.std)}) instead of about N(0,1) or [0,1]; large inputs make large updates that can push units dead`, ['batchnorm', 'lower-lr', 'leaky-relu']);
  }

  // Weight scale far from He's √(2/fan_in).
  if (weights && weights.fanIn > 0) {
    const he = Math.sqrt(2 / weights.fanIn);
    const ratio = weights.std / he;
    if (ratio > 3 || ratio < 1 / 3) {
      add('weight-scale', deadList, `weights of '${site.producer?.node}' have sd ${fmt(weights.std)}, ${fmt(ratio)}× He's √(2/fan_in) = ${fmt(he)} (fan_in ${weights.fanIn})`, ['he-init', 'lower-lr']);
    }
  }
  return causes.sort((a, b) => b.units.length - a.units.length);
}
