// com.microsoft FusedGemm: Gemm followed by an activation named by `activation`, with
// parameters activation_alpha / activation_beta / activation_gamma (required where read, as in
// onnxruntime).

import { Activation, ActivationKind, applyActivation } from '../../kernels/activation';
import { OpDef, PlanContext } from '../../op';
import { makeTensor } from '../../tensor';
import { floatAttr, hasAttr, nodeError, stringAttr } from './attrs';
import { GemmAttrs, parseGemmAttrs, runGemm } from './gemm';
import { unsupported } from '../../errors';

interface FusedGemmAttrs extends GemmAttrs { act: Activation }

// Parameters each activation reads; as in onnxruntime, a parameter it reads has no default.
const PARAMS: Partial<Record<ActivationKind, ReadonlyArray<'alpha' | 'beta' | 'gamma'>>> = {
  Relu: [], Tanh: [], Sigmoid: [], Softsign: [], Softplus: [],
  LeakyRelu: ['alpha'], Elu: ['alpha'], ThresholdedRelu: ['alpha'], HardSigmoid: ['alpha', 'beta'],
  Selu: ['alpha', 'gamma'], ScaledTanh: ['alpha', 'beta'], ParametricSoftplus: ['alpha', 'beta'],
};

function parse(ctx: PlanContext): FusedGemmAttrs {
  const node = ctx.node;
  const name = stringAttr(node, 'activation', '');
  let act: Activation = { kind: 'None', alpha: 0, beta: 0, gamma: 0 };
  if (name !== '') {
    const used = PARAMS[name as ActivationKind];
    if (!used) throw unsupported(nodeError(node, `activation '${name}' is not supported (${Object.keys(PARAMS).join(', ')})`));
    const get = (key: 'alpha' | 'beta' | 'gamma'): number => {
      if (!used.includes(key)) return 0;
      if (hasAttr(node, `activation_${key}`)) return floatAttr(node, `activation_${key}`, 0);
      if (name === 'LeakyRelu' && hasAttr(node, 'leaky_relu_alpha')) return floatAttr(node, 'leaky_relu_alpha', 0);
      throw nodeError(node, `activation ${name} needs attribute activation_${key}`);
    };
    act = { kind: name as ActivationKind, alpha: get('alpha'), beta: get('beta'), gamma: get('gamma') };
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
