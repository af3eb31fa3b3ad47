// Shape rules for elementwise ops: unary maths and activations (shape kept), numpy-broadcasting
// binary and variadic ops, comparisons (bool), casts, and the normalizations that keep X's shape.
import { DataType } from '../ir';
import { broadcast, InferCtx, normAxis, ShapeRule } from './common';

/** Output 0 has input 0's type. */
const same: ShapeRule = (c) => c.setType(0, c.type(0));

/** Ops whose output 0 equals input 0 in type and shape. */
const UNARY = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Celu', 'Gelu', 'HardSigmoid', 'HardSwish',
  'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Abs', 'Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal',
  'Floor', 'Ceil', 'Round', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh',
  'Asinh', 'Acosh', 'Atanh', 'Erf', 'Not', 'BitwiseNot', 'Identity', 'Softmax', 'LogSoftmax',
  'Hardmax', 'Clip', 'LpNormalization', 'MeanVarianceNormalization', 'InstanceNormalization', 'LRN',
  'Shrink', 'Trilu', 'CumSum', 'Swish', 'ReverseSequence', 'Scatter', 'ScatterElements',
  'ScatterND', 'Binarizer', 'FastGelu', 'QuickGelu', 'BiasGelu', 'ImageScaler', 'GroupNormalization',
  'CumProd', 'RMSNormalization',
];

/** Shape of input 0 with the dtype from the `dtype` attribute (input 0's when absent). */
const LIKE = ['Bernoulli', 'RandomNormalLike', 'RandomUniformLike', 'EyeLike'];

/** numpy-broadcasting ops whose dtype is input 0's. */
const BINARY = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor',
  'PRelu', 'Max', 'Min', 'Sum', 'Mean',
];

/** Broadcasting comparisons and logic: bool outputs. */
const COMPARE = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'];

function allShapes(c: InferCtx, from = 0): Array<ReturnType<InferCtx['shape']>> {
  const out: Array<ReturnType<InferCtx['shape']>> = [];
  for (let i = from; i < c.node.inputs.length; i++) if (c.has(i)) out.push(c.shape(i));
  return out;
}

/** Binary ops before opset 7 broadcast B into A (legacy `broadcast` attribute): A's shape wins. */
function broadcastOp(dtypeOf: (c: InferCtx) => DataType | undefined): ShapeRule {
  return (c) => {
    const legacy = c.opset > 0 && c.opset < 7 && ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Less', 'Greater'].includes(c.node.opType);
    c.set(0, dtypeOf(c), legacy ? c.shape(0) : broadcast(allShapes(c)));
  };
}

const bool = (): DataType => DataType.BOOL;

const castTo: ShapeRule = (c) => c.set(0, c.int('to', 0) || undefined, c.shape(0));

const castLike: ShapeRule = (c) => c.set(0, c.dtype(1), c.shape(0));

const where: ShapeRule = (c) => c.set(0, c.dtype(1) ?? c.dtype(2), broadcast([c.shape(0), c.shape(1), c.shape(2)]));

/** Dropout: output 0 like X, optional mask bool of X's shape. */
const dropout: ShapeRule = (c) => {
  c.setType(0, c.type(0));
  if (c.node.outputs.length > 1) c.set(1, c.opset >= 10 ? DataType.BOOL : c.dtype(0), c.shape(0));
};

/** BatchNormalization: Y like X; training-mode outputs are per-channel like the mean input. */
const batchNorm: ShapeRule = (c) => {
  c.setType(0, c.type(0));
  const x = c.shape(0);
  for (let i = 1; i < c.node.outputs.length; i++) c.set(i, c.dtype(3) ?? c.dtype(0), c.shape(3) ?? (x && x.length > 1 ? [x[1]] : undefined));
};

/** LayerNormalization: Y like X; Mean and InvStdDev keep X[:axis] and 1 elsewhere. */
const layerNorm: ShapeRule = (c) => {
  c.setType(0, c.type(0));
  const x = c.shape(0);
  const axis = x ? normAxis(c.int('axis', -1), x.length) : undefined;
  const stat = x && axis !== undefined ? x.map((d, i) => (i < axis ? d : 1)) : undefined;
  const st = c.int('stash_type', 1);
  for (let i = 1; i < c.node.outputs.length; i++) c.set(i, st === 1 ? DataType.FLOAT : st, stat);
};

/** IsNaN / IsInf: bool of X's shape. */
const boolLike: ShapeRule = (c) => c.set(0, DataType.BOOL, c.shape(0));

/** QuantizeLinear: the zero point's dtype (or output_dtype), default uint8. */
const quantize: ShapeRule = (c) => {
  const dt = c.has(2) ? c.dtype(2) : c.int('output_dtype', 0) || DataType.UINT8;
  c.set(0, dt, c.shape(0));
};

/** DequantizeLinear: the scale's dtype (float by default), X's shape. */
const dequantize: ShapeRule = (c) => c.set(0, c.int('output_dtype', 0) || c.dtype(1) || DataType.FLOAT, c.shape(0));

const dynQuantize: ShapeRule = (c) => {
  c.set(0, DataType.UINT8, c.shape(0));
  c.set(1, DataType.FLOAT, []);
  c.set(2, DataType.UINT8, []);
};

/** Registers the elementwise rules. */
export function elementwiseRules(r: Record<string, ShapeRule>): void {
  for (const op of UNARY) r[op] = same;
  for (const op of LIKE) r[op] = (c) => c.set(0, c.int('dtype', 0) || c.dtype(0), c.shape(0));
  r.Dropout = dropout;
  for (const op of BINARY) r[op] = broadcastOp((c) => c.dtype(0));
  for (const op of COMPARE) r[op] = broadcastOp(bool);
  r.Where = where;
  r.Cast = castTo;
  r.CastLike = castLike;
  r.BatchNormalization = batchNorm;
  r.LayerNormalization = layerNorm;
  r.SimplifiedLayerNormalization = layerNorm;
  r.IsNaN = boolLike;
  r.IsInf = boolLike;
  r.QuantizeLinear = quantize;
  r.DequantizeLinear = dequantize;
  r.DynamicQuantizeLinear = dynQuantize;
}
