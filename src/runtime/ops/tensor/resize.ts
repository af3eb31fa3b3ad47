// Resize (opset 10, 11, 13, 18, 19) and Upsample (opset 7, 9): output geometry from scales or sizes
// (axes, keep_aspect_ratio_policy), then nearest as a gather on any dtype, or linear / cubic as
// separable float64 passes — all following the ONNX reference's coordinate and tap rules.

import { DataType, Node } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { Tensor, sizeOf } from '../../tensor';
import { axisTable, AxisTable, CoordMode, interpPass, InterpMode, nearestGather, NearestMode, ResizeSpec } from '../../kernels/resize';
import { floatAttr, floatsAttr, intAttr, intsAttr, need, nodeError, normAxes, readInts, shapeStr, stringAttr } from './common';
import { unsupported } from '../../errors';

interface ResizeAttrs extends ResizeSpec {
  extrapolation: number;
  axes?: number[];
  policy: 'stretch' | 'not_larger' | 'not_smaller';
  /** Upsample-7 scales attribute. */
  scalesAttr?: number[];
}

const COORD: CoordMode[] = ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'];
const NEAREST: NearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

function oneOf<T extends string>(node: Node, name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw nodeError(node, `${name} '${v}' is not supported (one of ${allowed.join(', ')})`);
  return v as T;
}

function parseMode(node: Node, allowed: InterpMode[]): InterpMode {
  return oneOf(node, 'mode', stringAttr(node, 'mode', 'nearest'), allowed);
}

/** Float values of a scales tensor. */
function floats(node: Node, t: Tensor, what: string): number[] {
  if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) throw nodeError(node, `${what} must be a float tensor`);
  return Array.from(t.data);
}

/** Resolves output shape and per-axis scales (full rank) as the reference does. */
function geometry(node: Node, inShape: readonly number[], a: ResizeAttrs, scales: number[] | undefined, sizes: number[] | undefined): { out: number[]; scale: number[]; axes: number[] } {
  const r = inShape.length;
  const axes = a.axes ? normAxes(node, a.axes, r) : inShape.map((_, i) => i);
  const scale = new Array<number>(r).fill(1);
  const out = inShape.slice();
  if ((scales === undefined) === (sizes === undefined)) throw nodeError(node, 'exactly one of scales and sizes must be given');
  if (scales) {
    if (scales.length !== axes.length) throw nodeError(node, `scales has ${scales.length} entries for ${axes.length} axes (input ${shapeStr(inShape)})`);
    axes.forEach((ax, i) => {
      if (!(scales[i] > 0)) throw nodeError(node, `scale ${scales[i]} must be positive`);
      scale[ax] = scales[i];
      out[ax] = Math.floor(scales[i] * inShape[ax]);
    });
  } else if (sizes) {
    if (sizes.length !== axes.length) throw nodeError(node, `sizes has ${sizes.length} entries for ${axes.length} axes (input ${shapeStr(inShape)})`);
    if (sizes.some((s) => s < 0)) throw nodeError(node, `sizes [${sizes.join(',')}] must be non-negative`);
    const ratios = axes.map((ax, i) => sizes[i] / inShape[ax]);
    if (a.policy === 'stretch') {
      axes.forEach((ax, i) => { scale[ax] = ratios[i]; out[ax] = sizes[i]; });
    } else {
      const s = a.policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((ax) => { scale[ax] = s; out[ax] = Math.floor(s * inShape[ax] + 0.5); });
    }
  }
  if (sizeOf(out) > 2 ** 31) throw nodeError(node, `output ${shapeStr(out)} is too large`);
  return { out, scale, axes };
}

/** Runs the interpolation for resolved geometry. */
function interpolate(node: Node, x: Tensor, a: ResizeAttrs, out: number[], scale: number[], roiFull: number[] | undefined, ctx: RunContext): Tensor {
  const r = x.shape.length;
  const tables: AxisTable[] = x.shape.map((inW, ax) => {
    const roi: [number, number] = roiFull ? [roiFull[ax], roiFull[r + ax]] : [0, 1];
    if (inW === 0 && out[ax] > 0) throw nodeError(node, `cannot resize the empty axis ${ax}`);
    return axisTable(a, inW, out[ax], scale[ax], roi);
  });
  const data = ctx.alloc(x.dtype, out);
  if (a.mode === 'nearest') {
    const fill = x.data instanceof BigInt64Array || x.data instanceof BigUint64Array ? BigInt(Math.trunc(a.extrapolation)) : Array.isArray(x.data) ? '' : a.extrapolation;
    nearestGather(x.data, data, x.shape, out, tables, fill);
    return { dtype: x.dtype, shape: out, data };
  }
  if (Array.isArray(x.data) || x.data instanceof BigInt64Array || x.data instanceof BigUint64Array) {
    throw unsupported(nodeError(node, `${a.mode} resize of ${DataType[x.dtype]} is not supported`));
  }
  let cur = Float64Array.from(x.data as ArrayLike<number>);
  const shape = x.shape.slice();
  for (let ax = r - 1; ax >= 0; ax--) {
    if (tables[ax].identity) continue;
    const outer = sizeOf(shape.slice(0, ax)), inner = sizeOf(shape.slice(ax + 1));
    const next = new Float64Array(outer * out[ax] * inner);
    interpPass(cur, next, outer, shape[ax], inner, tables[ax], a.extrapolation);
    shape[ax] = out[ax];
    cur = next;
  }
  (data as Float32Array).set(cur);
  return { dtype: x.dtype, shape: out, data };
}

function isEmpty(t: Tensor | undefined): boolean {
  return !t || t.data.length === 0;
}

/** Resize opset 11+ (roi, scales, sizes inputs; axes/antialias/keep_aspect_ratio_policy from 18). */
export const resize11: OpDef<ResizeAttrs> = {
  domain: '', opType: 'Resize', since: 11,
  parse(ctx) {
    const n = ctx.node;
    const coords = ctx.opset >= 13 ? COORD.filter((c) => c !== 'tf_half_pixel_for_nn') : COORD.filter((c) => c !== 'half_pixel_symmetric');
    const a: ResizeAttrs = {
      mode: parseMode(n, ['nearest', 'linear', 'cubic']),
      coord: oneOf(n, 'coordinate_transformation_mode', stringAttr(n, 'coordinate_transformation_mode', 'half_pixel'), coords),
      nearest: oneOf(n, 'nearest_mode', stringAttr(n, 'nearest_mode', 'round_prefer_floor'), NEAREST),
      cubicA: floatAttr(n, 'cubic_coeff_a', -0.75),
      excludeOutside: intAttr(n, 'exclude_outside', 0) !== 0,
      antialias: ctx.opset >= 18 && intAttr(n, 'antialias', 0) !== 0,
      extrapolation: floatAttr(n, 'extrapolation_value', 0),
      axes: ctx.opset >= 18 ? intsAttr(n, 'axes') : undefined,
      policy: ctx.opset >= 18 ? oneOf(n, 'keep_aspect_ratio_policy', stringAttr(n, 'keep_aspect_ratio_policy', 'stretch'), ['stretch', 'not_larger', 'not_smaller'] as const) : 'stretch',
    };
    if (a.antialias && a.mode === 'nearest') throw unsupported(nodeError(n, 'antialias is not supported with mode nearest'));
    if (a.excludeOutside && a.mode === 'nearest') throw unsupported(nodeError(n, 'exclude_outside is not supported with mode nearest'));
    return a;
  },
  run(inputs, a, ctx) {
    const n = ctx.node;
    const x = need(n, inputs, 0, 'X');
    const scales = isEmpty(inputs[2]) ? undefined : floats(n, inputs[2] as Tensor, 'scales');
    const sizes = isEmpty(inputs[3]) ? undefined : readInts(n, inputs[3] as Tensor, 'sizes');
    const g = geometry(n, x.shape, a, scales, sizes);
    let roiFull: number[] | undefined;
    if (a.coord === 'tf_crop_and_resize') {
      if (isEmpty(inputs[1])) throw nodeError(n, 'tf_crop_and_resize needs the roi input');
      const roi = floats(n, inputs[1] as Tensor, 'roi');
      const r = x.shape.length;
      if (roi.length !== 2 * g.axes.length) throw nodeError(n, `roi has ${roi.length} entries; expected ${2 * g.axes.length}`);
      roiFull = [...new Array<number>(r).fill(0), ...new Array<number>(r).fill(1)];
      g.axes.forEach((ax, i) => { (roiFull as number[])[ax] = roi[i]; (roiFull as number[])[r + ax] = roi[g.axes.length + i]; });
    }
    return [interpolate(n, x, a, g.out, g.scale, roiFull, ctx)];
  },
};

/** Shared by Resize-10 and Upsample: asymmetric coordinates, nearest = floor, upsampling only for nearest. */
function legacy(node: Node, x: Tensor, a: ResizeAttrs, scales: number[], ctx: RunContext): Tensor {
  if (scales.length !== x.shape.length) throw nodeError(node, `scales has ${scales.length} entries for input ${shapeStr(x.shape)}`);
  if (a.mode === 'nearest' && scales.some((s) => s < 1)) {
    throw unsupported(nodeError(node, 'nearest downsampling (scale < 1) is not supported for this opset: its rounding is unspecified; use Resize-11 or later'));
  }
  const g = geometry(node, x.shape, a, scales, undefined);
  return interpolate(node, x, a, g.out, g.scale, undefined, ctx);
}

function legacyAttrs(node: Node, modes: InterpMode[]): ResizeAttrs {
  let mode = stringAttr(node, 'mode', 'nearest');
  if (mode === 'bilinear') mode = 'linear';
  return {
    mode: oneOf(node, 'mode', mode, modes), coord: 'asymmetric', nearest: 'floor', cubicA: -0.75,
    excludeOutside: false, antialias: false, extrapolation: 0, policy: 'stretch',
  };
}

/** Resize opset 10: X and scales inputs, nearest/linear with asymmetric coordinates. */
export const resize10: OpDef<ResizeAttrs> = {
  domain: '', opType: 'Resize', since: 10,
  parse(ctx) {
    return legacyAttrs(ctx.node, ['nearest', 'linear']);
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    return [legacy(ctx.node, x, a, floats(ctx.node, need(ctx.node, inputs, 1, 'scales'), 'scales'), ctx)];
  },
};

/** Upsample opset 7 (scales attribute) and 9 (scales input). */
export const upsample: OpDef<ResizeAttrs> = {
  domain: '', opType: 'Upsample', since: 7,
  parse(ctx) {
    const a = legacyAttrs(ctx.node, ['nearest', 'linear']);
    if (ctx.opset < 9) {
      a.scalesAttr = floatsAttr(ctx.node, 'scales');
      if (!a.scalesAttr) throw nodeError(ctx.node, "missing attribute 'scales'");
    }
    return a;
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    const scales = a.scalesAttr ?? floats(ctx.node, need(ctx.node, inputs, 1, 'scales'), 'scales');
    return [legacy(ctx.node, x, a, scales, ctx)];
  },
};
