// MaxRoiPool: max over a pooled_shape grid of bins inside each region of interest
// (rois rows are [batch, x1, y1, x2, y2], scaled by spatial_scale and rounded; empty bins give 0).

import { OpDef, PlanContext, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { floatAttr, floatData, intsAttr, need, nodeError, shapeStr } from './attrs';

interface RoiAttrs { ph: number; pw: number; scale: number }

function parse(ctx: PlanContext): RoiAttrs {
  const ps = intsAttr(ctx.node, 'pooled_shape');
  if (!ps || ps.length !== 2 || ps.some((v) => v < 1)) throw nodeError(ctx.node, 'attribute pooled_shape must be two positive ints');
  return { ph: ps[0], pw: ps[1], scale: floatAttr(ctx.node, 'spatial_scale', 1) };
}

function run(inputs: ReadonlyArray<Tensor | undefined>, a: RoiAttrs, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const X = need(node, inputs, 0, 'X');
  const R = need(node, inputs, 1, 'rois');
  const x = floatData(node, X, 'input X');
  const rois = floatData(node, R, 'rois');
  if (X.shape.length !== 4) throw nodeError(node, `input X has shape ${shapeStr(X.shape)}; needs [N, C, H, W]`);
  if (R.shape.length !== 2 || R.shape[1] !== 5) throw nodeError(node, `rois has shape ${shapeStr(R.shape)}; needs [num_rois, 5]`);
  const [N, C, H, W] = X.shape;
  const nr = R.shape[0];
  const { ph: PH, pw: PW } = a;
  const outShape = [nr, C, PH, PW];
  const y = ctx.alloc(X.dtype, outShape) as Float32Array | Float64Array;
  for (let r = 0; r < nr; r++) {
    const b = rois[r * 5];
    if (!(b >= 0 && b < N) || b !== Math.floor(b)) throw nodeError(node, `roi ${r} has batch index ${b} outside [0, ${N})`);
    const x1 = Math.round(rois[r * 5 + 1] * a.scale);
    const y1 = Math.round(rois[r * 5 + 2] * a.scale);
    const x2 = Math.round(rois[r * 5 + 3] * a.scale);
    const y2 = Math.round(rois[r * 5 + 4] * a.scale);
    const rh = Math.max(y2 - y1 + 1, 1);
    const rw = Math.max(x2 - x1 + 1, 1);
    const bh = rh / PH;
    const bw = rw / PW;
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W;
      const out = ((r * C + c) * PH) * PW;
      for (let i = 0; i < PH; i++) {
        const hs = Math.min(Math.max(Math.floor(i * bh) + y1, 0), H);
        const he = Math.min(Math.max(Math.ceil((i + 1) * bh) + y1, 0), H);
        for (let j = 0; j < PW; j++) {
          const ws = Math.min(Math.max(Math.floor(j * bw) + x1, 0), W);
          const we = Math.min(Math.max(Math.ceil((j + 1) * bw) + x1, 0), W);
          let m = -Infinity;
          for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) if (x[plane + h * W + w] > m) m = x[plane + h * W + w];
          y[out + i * PW + j] = he <= hs || we <= ws ? 0 : m;
        }
      }
    }
  }
  return [makeTensor(X.dtype, outShape, y)];
}

/** MaxRoiPool from opset 1 on. */
export const maxRoiPool: OpDef<RoiAttrs> = { domain: '', opType: 'MaxRoiPool', since: 1, parse, run };
