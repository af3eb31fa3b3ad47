// NonMaxSuppression (opsets 10, 11): greedy per-batch, per-class selection of boxes in score
// order (ties: lower index first), dropping boxes whose IoU with a kept box exceeds the threshold.
// Boxes are corner pairs in any order (center_point_box 0) or [xc, yc, w, h] (1).

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { floatData, intAttr, need, nodeError, shapeStr } from '../nn/attrs';
import { argsort } from '../../kernels/argsort';
import { readInts } from '../tensor/common';

/** Corner extents of box i: [xmin, xmax, ymin, ymax] written into out. */
function extents(b: Float32Array | Float64Array, o: number, center: boolean, out: Float64Array, k: number): void {
  if (center) {
    const hw = b[o + 2] / 2;
    const hh = b[o + 3] / 2;
    out[k] = b[o] - hw; out[k + 1] = b[o] + hw; out[k + 2] = b[o + 1] - hh; out[k + 3] = b[o + 1] + hh;
  } else {
    out[k] = Math.min(b[o + 1], b[o + 3]); out[k + 1] = Math.max(b[o + 1], b[o + 3]);
    out[k + 2] = Math.min(b[o], b[o + 2]); out[k + 3] = Math.max(b[o], b[o + 2]);
  }
}

/** True when boxes i and j (extents at i·4, j·4) overlap with IoU above the threshold. */
function suppresses(e: Float64Array, i: number, j: number, thr: number): boolean {
  const ix = Math.min(e[i + 1], e[j + 1]) - Math.max(e[i], e[j]);
  if (ix <= 0) return false;
  const iy = Math.min(e[i + 3], e[j + 3]) - Math.max(e[i + 2], e[j + 2]);
  if (iy <= 0) return false;
  const inter = ix * iy;
  const a1 = (e[i + 1] - e[i]) * (e[i + 3] - e[i + 2]);
  const a2 = (e[j + 1] - e[j]) * (e[j + 3] - e[j + 2]);
  const uni = a1 + a2 - inter;
  if (a1 <= 0 || a2 <= 0 || uni <= 0) return false;
  return inter / uni > thr;
}

function def(since: number): OpDef<boolean> {
  return {
    domain: '', opType: 'NonMaxSuppression', since,
    parse(ctx) {
      const c = intAttr(ctx.node, 'center_point_box', 0);
      if (c !== 0 && c !== 1) throw nodeError(ctx.node, `center_point_box must be 0 or 1, got ${c}`);
      return c === 1;
    },
    run(inputs, center, ctx) {
      const node = ctx.node;
      const boxes = need(node, inputs, 0, 'boxes');
      const scores = need(node, inputs, 1, 'scores');
      const bd = floatData(node, boxes, 'boxes');
      const sd = floatData(node, scores, 'scores');
      if (boxes.shape.length !== 3 || boxes.shape[2] !== 4) throw nodeError(node, `boxes must be [batches, boxes, 4], got ${shapeStr(boxes.shape)}`);
      const [B, N] = boxes.shape;
      if (scores.shape.length !== 3 || scores.shape[0] !== B || scores.shape[2] !== N) {
        throw nodeError(node, `scores ${shapeStr(scores.shape)} must be [${B}, classes, ${N}]`);
      }
      const C = scores.shape[1];
      const maxT = inputs[2];
      const maxOut = maxT && maxT.data.length ? Math.max(0, readInts(node, maxT, 'max_output_boxes_per_class')[0]) : 0;
      const iouT = inputs[3];
      const iou = iouT && iouT.data.length ? Number(floatData(node, iouT, 'iou_threshold')[0]) : 0;
      const scT = inputs[4];
      const hasScore = !!scT && scT.data.length > 0;
      const scoreThr = hasScore ? Number(floatData(node, scT, 'score_threshold')[0]) : 0;
      const ext = new Float64Array(N * 4);
      const order = new Int32Array(N);
      const kept = new Int32Array(N);
      const tmp = new Int32Array(N);
      const out: number[] = [];
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < N; i++) extents(bd, (b * N + i) * 4, center, ext, i * 4);
        for (let c = 0; c < C; c++) {
          const so = (b * C + c) * N;
          let m = 0;
          for (let i = 0; i < N; i++) if (!hasScore || sd[so + i] > scoreThr) order[m++] = i;
          argsort(sd.subarray(so, so + N), order, tmp, m, true);
          let nk = 0;
          for (let q = 0; q < m && nk < maxOut; q++) {
            const i = order[q];
            let ok = true;
            for (let s = 0; s < nk; s++) if (suppresses(ext, i * 4, kept[s] * 4, iou)) { ok = false; break; }
            if (ok) { kept[nk++] = i; out.push(b, c, i); }
          }
        }
      }
      const shape = [out.length / 3, 3];
      const y = ctx.alloc(DataType.INT64, shape) as BigInt64Array;
      for (let i = 0; i < out.length; i++) y[i] = BigInt(out[i]);
      return [{ dtype: DataType.INT64, shape, data: y }];
    },
  };
}

/** NonMaxSuppression 10 and 11. */
export const nmsOps = [def(10), def(11)];
