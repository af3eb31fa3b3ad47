// Fix "Replace with Leaky ReLU": the dead units get a small negative slope, so gradients reach
// them again. Relu → LeakyRelu(alpha); Clip(0, 6) (ReLU6) → LeakyRelu then Clip with the cap only;
// Max(x, 0) → LeakyRelu; FusedConv/FusedGemm activation "Relu" → "LeakyRelu".
import { Attribute, Model, Node } from '../onnx/ir';
import { findAttr } from '../onnx/attrs';
import { LayerReport } from '../analysis/report';
import { constantLookup } from '../onnx/summary';
import { tensorValues } from '../onnx/tensor-data';
import { defaultOpset, dropOrphans, editableCopy, freshName, layerNode } from './edit';
import { FixError, FixResult } from './types';

const alphaAttr = (alpha: number): Attribute => ({ name: 'alpha', type: 'float', value: alpha });
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Rewrites one ReLU layer into a Leaky ReLU with slope `alpha`; constants only the ReLU read (a Clip's 0, Max's 0) go too. */
export function replaceWithLeakyRelu(model: Model, layer: LayerReport, alpha: number): FixResult {
  const r = rewrite(model, layer, alpha);
  const gone = dropOrphans(r.model, model.graph.nodes[layer.nodeIndex].inputs);
  return gone.length ? { model: r.model, changes: [...r.changes, `unused constant${gone.length > 1 ? 's' : ''} ${gone.map((n) => `"${n}"`).join(', ')} removed`] } : r;
}

function rewrite(model: Model, layer: LayerReport, alpha: number): FixResult {
  if (!(alpha > 0 && alpha < 1)) throw new FixError(`Leaky ReLU alpha must be in (0, 1), got ${alpha}`);
  if (defaultOpset(model) < 6) throw new FixError('the model imports ai.onnx opset < 6, where LeakyRelu differs; re-export with a newer opset');
  const out = editableCopy(model);
  const node = layerNode(out, layer);
  const i = layer.nodeIndex;
  const std = node.domain === '' || node.domain === 'ai.onnx';
  const label = node.name || node.outputs[0];
  if (std && node.opType === 'Relu') {
    out.graph.nodes[i] = { ...node, opType: 'LeakyRelu', attributes: [alphaAttr(alpha)] };
    return { model: out, changes: [`${label}: Relu → LeakyRelu(alpha=${alpha})`] };
  }
  if (std && node.opType === 'Max') {
    const constOf = constantLookup(model.graph);
    const isZero = (name: string) => {
      const t = constOf(name);
      if (!t || t.dims.reduce((a, b) => a * b, 1) !== 1) return false;
      return Number((tensorValues(t, model) as ArrayLike<number | bigint>)[0]) === 0;
    };
    const x = node.inputs.filter((n) => n && !isZero(n));
    if (node.inputs.length !== 2 || x.length !== 1) throw new FixError(`${label}: only Max(x, 0) with a scalar 0 can become a LeakyRelu`);
    out.graph.nodes[i] = { ...node, opType: 'LeakyRelu', inputs: x, attributes: [alphaAttr(alpha)] };
    return { model: out, changes: [`${label}: Max(x, 0) → LeakyRelu(alpha=${alpha})`] };
  }
  if (std && node.opType === 'Clip') return clipToLeaky(out, node, i, alpha, label);
  if (node.domain === 'com.microsoft' && (node.opType === 'FusedConv' || node.opType === 'FusedGemm')) {
    const keep = node.attributes.filter((a) => !['activation', 'activation_params', 'activation_alpha'].includes(a.name));
    const act: Attribute[] = [{ name: 'activation', type: 'string', value: utf8('LeakyRelu') }];
    act.push(node.opType === 'FusedConv' ? { name: 'activation_params', type: 'floats', value: [alpha] } : { name: 'activation_alpha', type: 'float', value: alpha });
    out.graph.nodes[i] = { ...node, attributes: [...keep, ...act] };
    return { model: out, changes: [`${label}: ${node.opType} activation Relu → LeakyRelu(alpha=${alpha})`] };
  }
  throw new FixError(`${label}: ${node.opType} is not a ReLU this fix can rewrite`);
}

/** Clip(x, 0, cap) → LeakyRelu(x) → Clip(·, cap); Clip(x, 0) → LeakyRelu(x). */
function clipToLeaky(out: Model, node: Node, i: number, alpha: number, label: string): FixResult {
  const opset = defaultOpset(out);
  const x = node.inputs[0];
  let capInput = '';
  let capAttr: Attribute | undefined;
  if (opset >= 11) capInput = node.inputs[2] ?? '';
  else {
    const max = findAttr(node, 'max');
    if (max && max.type === 'float' && max.value < 3.4e38) capAttr = { name: 'max', type: 'float', value: max.value };
  }
  if (!capInput && !capAttr) {
    out.graph.nodes[i] = { ...node, opType: 'LeakyRelu', inputs: [x], attributes: [alphaAttr(alpha)] };
    return { model: out, changes: [`${label}: Clip(x, 0) → LeakyRelu(alpha=${alpha})`] };
  }
  const mid = freshName(out, `${node.outputs[0]}_leaky`);
  const leaky: Node = { name: freshName(out, `${node.name || node.outputs[0]}_leaky`), opType: 'LeakyRelu', domain: node.domain, inputs: [x], outputs: [mid], attributes: [alphaAttr(alpha)], docString: '' };
  const cap: Node = opset >= 11
    ? { ...node, inputs: [mid, '', capInput] }
    : { ...node, inputs: [mid], attributes: node.attributes.filter((a) => a.name !== 'min') };
  out.graph.nodes.splice(i, 1, leaky, cap);
  return { model: out, changes: [`${label}: Clip(x, 0, cap) → LeakyRelu(alpha=${alpha}) then Clip(·, cap), keeping the cap`] };
}
