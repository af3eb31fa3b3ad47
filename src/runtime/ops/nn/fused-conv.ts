// com.microsoft FusedConv: Conv, then optional Z added, then an activation
// (Relu, Tanh, Sigmoid, LeakyRelu, Clip, HardSigmoid with activation_params).

import { applyActivation, Activation } from '../../kernels/activation';
import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatData, floatsAttr, nodeError, shapeStr, stringAttr } from './attrs';
import { ConvAttrs, parseConvAttrs } from './conv-attrs';
import { runConv } from './conv';
import { unsupported } from '../../errors';

interface FusedConvAttrs extends ConvAttrs { act: Activation }

function parse(ctx: PlanContext): FusedConvAttrs {
  const node = ctx.node;
  const name = stringAttr(node, 'activation', '');
  const params = floatsAttr(node, 'activation_params') ?? [];
  const need = (n: number): void => {
    if (params.length < n) throw nodeError(node, `activation ${name} needs ${n} activation_params, got ${params.length}`);
  };
  let act: Activation;
  switch (name) {
    case '': act = { kind: 'None', alpha: 0, beta: 0, gamma: 0 }; break;
    case 'Relu': case 'Tanh': case 'Sigmoid': act = { kind: name, alpha: 0, beta: 0, gamma: 0 }; break;
    case 'LeakyRelu': need(1); act = { kind: 'LeakyRelu', alpha: params[0], beta: 0, gamma: 0 }; break;
    case 'Clip': need(2); act = { kind: 'Clip', alpha: params[0], beta: params[1], gamma: 0 }; break;
    case 'HardSigmoid': need(2); act = { kind: 'HardSigmoid', alpha: params[0], beta: params[1], gamma: 0 }; break;
    default: throw unsupported(nodeError(node, `activation '${name}' is not supported (Relu, Tanh, Sigmoid, LeakyRelu, Clip, HardSigmoid)`));
  }
  return { ...parseConvAttrs(node), act };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: FusedConvAttrs, ctx: RunContext): Tensor[] {
  const y = runConv(inputs, a, ctx);
  const yd = y.data as Float32Array | Float64Array;
  const Z = inputs[3];
  if (Z) {
    const z = floatData(ctx.node, Z, 'input Z');
    if (Z.shape.join(',') !== y.shape.join(',')) {
      throw nodeError(ctx.node, `input Z has shape ${shapeStr(Z.shape)}, expected the output shape ${shapeStr(y.shape)}`);
    }
    for (let i = 0; i < yd.length; i++) yd[i] += z[i];
  }
  applyActivation(yd, yd.length, a.act);
  return [makeTensor(y.dtype, y.shape, yd)];
}

/** com.microsoft FusedConv, version 1. */
export const fusedConv: OpDef<FusedConvAttrs> = { domain: 'com.microsoft', opType: 'FusedConv', since: 1, parse, run };
