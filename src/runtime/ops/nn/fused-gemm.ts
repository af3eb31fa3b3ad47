// com.microsoft FusedGemm: Gemm followed by an activation named by `activation`, with
// parameters activation_alpha / activation_beta / activation_gamma (onnxruntime defaults).

import { Activation, ActivationKind, applyActivation } from '../../kernels/activation';
import { OpDef, PlanContext } from '../../op';
import { makeTensor } from '../../tensor';
import { floatAttr, hasAttr, nodeError, stringAttr } from './attrs';
import { GemmAttrs, parseGemmAttrs, runGemm } from './gemm';

interface FusedGemmAttrs extends GemmAttrs { act: Activation }

const DEFAULTS: Partial<Record<ActivationKind, [number | undefined, number | undefined, number | undefined]>> = {
  Relu: [0, 0, 0], Tanh: [0, 0, 0], Sigmoid: [0, 0, 0], Softsign: [0, 0, 0], Softplus: [0, 0, 0],
  LeakyRelu: [0.01, 0, 0], HardSigmoid: [0.2, 0.5, 0], Elu: [1, 0, 0],
  Selu: [1.67326319217681884765625, 0, 1.05070102214813232421875], ThresholdedRelu: [1, 0, 0],
  ScaledTanh: [undefined, undefined, 0], ParametricSoftplus: [undefined, undefined, 0],
};

function parse(ctx: PlanContext): FusedGemmAttrs {
  const node = ctx.node;
  const name = stringAttr(node, 'activation', '');
  let act: Activation = { kind: 'None', alpha: 0, beta: 0, gamma: 0 };
  if (name !== '') {
    const d = DEFAULTS[name as ActivationKind];
    if (!d) throw nodeError(node, `activation '${name}' is not supported (${Object.keys(DEFAULTS).join(', ')})`);
    const get = (key: string, def: number | undefined): number => {
      if (hasAttr(node, `activation_${key}`)) return floatAttr(node, `activation_${key}`, 0);
      if (name === 'LeakyRelu' && key === 'alpha' && hasAttr(node, 'leaky_relu_alpha')) return floatAttr(node, 'leaky_relu_alpha', 0.01);
      if (def === undefined) throw nodeError(node, `activation ${name} needs attribute activation_${key}`);
      return def;
    };
    act = { kind: name as ActivationKind, alpha: get('alpha', d[0]), beta: get('beta', d[1]), gamma: get('gamma', d[2]) };
  }
  return { ...parseGemmAttrs(ctx), act };
}

/** com.microsoft FusedGemm, version 1. */
export const fusedGemm: OpDef<FusedGemmAttrs> = {
  domain: 'com.microsoft', opType: 'FusedGemm', since: 1, parse,
  run: (inputs, a, ctx) => {
    const y = runGemm(inputs, a, ctx);
    const d = y.data as Float32Array | Float64Array;
    applyActivation(d, d.length, a.act);
    return [makeTensor(y.dtype, y.shape, d)];
  },
};
