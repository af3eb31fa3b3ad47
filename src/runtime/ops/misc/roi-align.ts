// RoiAlign (opsets 10, 16, 22): average or max of bilinear samples on a regular grid inside each
// bin of each region of interest. Opset 16 adds coordinate_transformation_mode (default
// half_pixel); opset 10 behaves as output_half_pixel. Max mode follows the ONNX reference (the
// largest weighted corner value per sample).

import { OpDef } from '../../op';
import { floatAttr, floatData, intAttr, need, nodeError, shapeStr, stringAttr } from '../nn/attrs';
import { readInts } from '../tensor/common';

/** RoiAlign attributes. */
interface RoiAttrs { max: boolean; oh: number; ow: number; ratio: number; scale: number; halfPixel: boolean }

function def(since: number): OpDef<RoiAttrs> {
  return {
    domain: '', opType: 'RoiAlign', since,
    parse(ctx) {
      const n = ctx.node;
      const mode = stringAttr(n, 'mode', 'avg');
      if (mode !== 'avg' && mode !== 'max') throw nodeError(n, `mode '${mode}' is not avg or max`);
      const ctm = since >= 16 ? stringAttr(n, 'coordinate_transformation_mode', 'half_pixel') : 'output_half_pixel';
      if (ctm !== 'half_pixel' && ctm !== 'output_half_pixel') throw nodeError(n, `coordinate_transformation_mode '${ctm}' is not half_pixel or output_half_pixel`);
      const a = {
        max: mode === 'max', oh: intAttr(n, 'output_height', 1), ow: intAttr(n, 'output_width', 1),
        ratio: intAttr(n, 'sampling_ratio', 0), scale: floatAttr(n, 'spatial_scale', 1), halfPixel: ctm === 'half_pixel',
      };
      if (a.oh < 1 || a.ow < 1 || a.ratio < 0) throw nodeError(n, 'output_height/width must be >= 1 and sampling_ratio >= 0');
      return a;
    },
    run(inputs, a, ctx) {
      const node = ctx.node;
      const X = need(node, inputs, 0, 'X');
      const R = need(node, inputs, 1, 'rois');
      const xd = floatData(node, X, 'X');
      const rd = floatData(node, R, 'rois');
      const bi = readInts(node, need(node, inputs, 2, 'batch_indices'), 'batch_indices');
      if (X.shape.length !== 4) throw nodeError(node, `X must be [N, C, H, W], got ${shapeStr(X.shape)}`);
      const [N, C, H, W] = X.shape;
      if (R.shape.length !== 2 || R.shape[1] !== 4 || bi.length !== R.shape[0]) {
        throw nodeError(node, `rois ${shapeStr(R.shape)} must be [num_rois, 4] with one batch index each`);
      }
      const nr = R.shape[0];
      const shape = [nr, C, a.oh, a.ow];
      const y = ctx.alloc(X.dtype, shape) as Float32Array | Float64Array;
      const off = a.halfPixel ? 0.5 : 0;
      for (let r = 0; r < nr; r++) {
        const b = bi[r];
        if (b < 0 || b >= N) throw nodeError(node, `batch index ${b} of roi ${r} is outside [0, ${N - 1}]`);
        const sw = rd[r * 4] * a.scale - off;
        const sh = rd[r * 4 + 1] * a.scale - off;
        let rw = rd[r * 4 + 2] * a.scale - off - sw;
        let rh = rd[r * 4 + 3] * a.scale - off - sh;
        if (!a.halfPixel) { rw = Math.max(rw, 1); rh = Math.max(rh, 1); }
        const bh = rh / a.oh;
        const bw = rw / a.ow;
        const gh = a.ratio > 0 ? a.ratio : Math.ceil(rh / a.oh);
        const gw = a.ratio > 0 ? a.ratio : Math.ceil(rw / a.ow);
        const count = Math.max(gh * gw, 1);
        for (let c = 0; c < C; c++) {
          const base = (b * C + c) * H * W;
          for (let ph = 0; ph < a.oh; ph++) {
            for (let pw = 0; pw < a.ow; pw++) {
              let acc = 0;
              let first = true;
              for (let iy = 0; iy < gh; iy++) {
                let yy = sh + ph * bh + ((iy + 0.5) * bh) / gh;
                for (let ix = 0; ix < gw; ix++) {
                  let xx = sw + pw * bw + ((ix + 0.5) * bw) / gw;
                  let v1 = 0, v2 = 0, v3 = 0, v4 = 0;
                  const yv = yy;
                  if (!(yv < -1 || yv > H || xx < -1 || xx > W)) {
                    yy = Math.max(yv, 0);
                    xx = Math.max(xx, 0);
                    let yl = Math.floor(yy);
                    let xl = Math.floor(xx);
                    let yh: number, xh: number;
                    if (yl >= H - 1) { yh = yl = H - 1; yy = yl; } else yh = yl + 1;
                    if (xl >= W - 1) { xh = xl = W - 1; xx = xl; } else xh = xl + 1;
                    const ly = yy - yl, lx = xx - xl, hy = 1 - ly, hx = 1 - lx;
                    v1 = hy * hx * xd[base + yl * W + xl];
                    v2 = hy * lx * xd[base + yl * W + xh];
                    v3 = ly * hx * xd[base + yh * W + xl];
                    v4 = ly * lx * xd[base + yh * W + xh];
                  }
                  yy = yv;
                  if (a.max) {
                    const v = Math.max(v1, v2, v3, v4);
                    acc = first ? v : Math.max(acc, v);
                    first = false;
                  } else acc += v1 + v2 + v3 + v4;
                }
              }
              y[((r * C + c) * a.oh + ph) * a.ow + pw] = a.max ? acc : acc / count;
            }
          }
        }
      }
      return [{ dtype: X.dtype, shape, data: y }];
    },
  };
}

/** RoiAlign 10, 16 (coordinate_transformation_mode), 22. */
export const roiAlignOps = [def(10), def(16), def(22)];
