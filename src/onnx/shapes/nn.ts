// Shape rules for network layers: convolutions (incl. transposed and onnxruntime's FusedConv),
// pooling, Gemm/MatMul/Einsum, Resize/Upsample, depth/space shuffles and recurrent layers.
import { DataType, Dim } from '../ir';
import { broadcast, InferCtx, isNum, ints, normAxes, ShapeRule, size } from './common';

/** Spatial attributes of a conv/pool node for `n` spatial dims. */
function windowAttrs(c: InferCtx, n: number, kernel: number[]) {
  const strides = c.ints('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.ints('dilations') ?? new Array<number>(n).fill(1);
  const pads = c.ints('pads') ?? new Array<number>(2 * n).fill(0);
  if (kernel.length !== n || strides.length !== n || dilations.length !== n || pads.length !== 2 * n) throw new Error('attribute length');
  return { strides, dilations, pads, autoPad: c.str('auto_pad', 'NOTSET') };
}

/** Output spatial size of a window op (conv or pool), or null when `d` is not a known size. */
function windowOut(d: Dim, k: number, s: number, dil: number, pb: number, pe: number, autoPad: string, ceil: boolean): Dim {
  const ek = (k - 1) * dil + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    if (s === 1) return d;
    return isNum(d) ? size(Math.ceil(d / s)) : null;
  }
  if (autoPad === 'VALID') {
    if (ek === 1 && s === 1) return d;
    return isNum(d) ? size(Math.ceil((d - ek + 1) / s)) : null;
  }
  if (ek === 1 && s === 1 && pb === 0 && pe === 0) return d;
  if (!isNum(d)) return null;
  const span = d + pb + pe - ek;
  if (span < 0) return null;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // In ceil mode the last window must start inside the input or its left padding.
  if (ceil && (out - 1) * s >= d + pb) out--;
  return size(out);
}

/** Conv / FusedConv / ConvInteger / QLinearConv: [N, M, spatial…]. */
function convRule(xi: number, wi: number, dtype: (c: InferCtx) => DataType | undefined): ShapeRule {
  return (c) => {
    const x = c.shape(xi);
    const w = c.shape(wi);
    if (!x || x.length < 2) return c.set(0, dtype(c), undefined);
    const n = x.length - 2;
    const kernel = c.ints('kernel_shape') ?? (w && w.length === n + 2 && w.slice(2).every(isNum) ? (w.slice(2) as number[]) : undefined);
    if (!kernel) return c.set(0, dtype(c), [x[0], w ? w[0] : null, ...new Array<Dim>(n).fill(null)]);
    const a = windowAttrs(c, n, kernel);
    const spatial = kernel.map((k, i) => windowOut(x[i + 2], k, a.strides[i], a.dilations[i], a.pads[i], a.pads[i + n], a.autoPad, false));
    c.set(0, dtype(c), [x[0], w ? w[0] : null, ...spatial]);
  };
}

/** ConvTranspose: [N, W[1]·group, stride·(in−1) + out_pad + dilated kernel − pads], or output_shape. */
const convTranspose: ShapeRule = (c) => {
  const x = c.shape(0);
  const w = c.shape(1);
  if (!x || x.length < 2) return c.set(0, c.dtype(0), undefined);
  const n = x.length - 2;
  const group = c.int('group', 1);
  const ch = w && isNum(w[1]) ? w[1] * group : null;
  const kernel = c.ints('kernel_shape') ?? (w && w.length === n + 2 && w.slice(2).every(isNum) ? (w.slice(2) as number[]) : undefined);
  const outShape = c.ints('output_shape');
  if (outShape && outShape.length >= n) return c.set(0, c.dtype(0), [x[0], ch, ...outShape.slice(outShape.length - n)]);
  if (!kernel) return c.set(0, c.dtype(0), [x[0], ch, ...new Array<Dim>(n).fill(null)]);
  const a = windowAttrs(c, n, kernel);
  const outPad = c.ints('output_padding') ?? new Array<number>(n).fill(0);
  const spatial = kernel.map((k, i): Dim => {
    const d = x[i + 2];
    if (!isNum(d)) return null;
    if (a.autoPad === 'SAME_UPPER' || a.autoPad === 'SAME_LOWER') return size(d * a.strides[i]);
    const pads = a.autoPad === 'VALID' ? 0 : a.pads[i] + a.pads[i + n];
    return size(a.strides[i] * (d - 1) + (outPad[i] ?? 0) + (k - 1) * a.dilations[i] + 1 - pads);
  });
  c.set(0, c.dtype(0), [x[0], ch, ...spatial]);
};

/** MaxPool / AveragePool / LpPool: window sizes from kernel_shape; MaxPool's Indices are int64. */
const pool: ShapeRule = (c) => {
  const x = c.shape(0);
  const kernel = c.ints('kernel_shape');
  let out: Dim[] | undefined;
  if (x && x.length >= 2 && kernel) {
    const n = x.length - 2;
    const a = windowAttrs(c, n, kernel);
    const ceil = c.int('ceil_mode', 0) === 1;
    out = [x[0], x[1], ...kernel.map((k, i) => windowOut(x[i + 2], k, a.strides[i], a.dilations[i], a.pads[i], a.pads[i + n], a.autoPad, ceil))];
  }
  c.set(0, c.dtype(0), out);
  if (c.node.outputs.length > 1) c.set(1, DataType.INT64, out);
};

/** Global pools: [N, C, 1, …]. */
const globalPool: ShapeRule = (c) => {
  const x = c.shape(0);
  c.set(0, c.dtype(0), x && x.length >= 2 ? [x[0], x[1], ...x.slice(2).map(() => 1)] : undefined);
};

/** MaxUnpool: output_shape input when known, else (in−1)·stride + kernel − pads. */
const maxUnpool: ShapeRule = (c) => {
  const x = c.shape(0);
  const given = c.has(2) ? ints(c.value(2)) : undefined;
  if (given) return c.set(0, c.dtype(0), given.map(size));
  const kernel = c.ints('kernel_shape');
  if (c.has(2)) return c.set(0, c.dtype(0), x && x.map(() => null));
  if (!x || !kernel || x.length !== kernel.length + 2) return c.set(0, c.dtype(0), x && x.map(() => null));
  const n = kernel.length;
  const a = windowAttrs(c, n, kernel);
  c.set(0, c.dtype(0), [x[0], x[1], ...kernel.map((k, i) => { const d = x[i + 2]; return isNum(d) ? size((d - 1) * a.strides[i] + k - a.pads[i] - a.pads[i + n]) : null; })]);
};

/** Gemm / FusedGemm: [M, N] from A (transA) and B (transB). */
const gemm: ShapeRule = (c) => {
  const a = c.shape(0);
  const b = c.shape(1);
  const m = a && a.length === 2 ? a[c.int('transA', 0) ? 1 : 0] : null;
  const n = b && b.length === 2 ? b[c.int('transB', 0) ? 0 : 1] : null;
  c.set(0, c.dtype(0), [m, n]);
};

/** numpy matmul shapes, including the 1-D promotions. */
function matmulShape(a: Dim[] | undefined, b: Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return undefined;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function matmulRule(dtype: (c: InferCtx) => DataType | undefined, ai = 0, bi = 1): ShapeRule {
  return (c) => c.set(0, dtype(c), matmulShape(c.shape(ai), c.shape(bi)));
}

/** Einsum: letters take their sizes from the operands; implicit output is the sorted once-used letters. */
const einsum: ShapeRule = (c) => {
  const eq = c.str('equation', '').replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  const terms = lhs.split(',');
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: Dim[] | undefined;
  for (let t = 0; t < terms.length; t++) {
    const s = c.shape(t);
    if (!s) return c.set(0, c.dtype(0), undefined);
    const term = terms[t];
    const letters = term.replace('...', '');
    const nEll = s.length - letters.length;
    if (nEll < 0 || (nEll > 0 && !term.includes('...'))) return c.set(0, c.dtype(0), undefined);
    let k = 0;
    for (let i = 0; i < term.length; i++) {
      if (term.startsWith('...', i)) {
        const e = s.slice(k, k + nEll);
        ellipsis = ellipsis ? broadcast([ellipsis, e]) : e;
        k += nEll;
        i += 2;
        continue;
      }
      const ch = term[i];
      const d = s[k++];
      const prev = sizes.get(ch);
      sizes.set(ch, prev === undefined || prev === 1 ? d : prev);
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  const outTerm = rhs ?? ((ellipsis ? '...' : '') + [...counts.keys()].filter((k) => counts.get(k) === 1).sort().join(''));
  const out: Dim[] = [];
  for (let i = 0; i < outTerm.length; i++) {
    if (outTerm.startsWith('...', i)) {
      out.push(...(ellipsis ?? []));
      i += 2;
    } else out.push(sizes.get(outTerm[i]) ?? null);
  }
  c.set(0, c.dtype(0), out);
};

/** Resize (opset 10+: scales or sizes inputs) and Upsample (scales attribute or input). */
const resize: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return c.set(0, c.dtype(0), undefined);
  const r = x.length;
  const axes = c.ints('axes') ? normAxes(c.ints('axes') as number[], r) : x.map((_, i) => i);
  if (!axes) return c.set(0, c.dtype(0), undefined);
  const scalesIn = c.node.opType === 'Upsample' ? (c.opset >= 9 ? 1 : -1) : c.opset >= 11 ? 2 : 1;
  const sizesIn = c.node.opType === 'Resize' && c.opset >= 11 ? 3 : -1;
  const out: Dim[] = x.slice();
  const sizesV = sizesIn >= 0 && c.has(sizesIn) ? c.value(sizesIn) : undefined;
  if (sizesIn >= 0 && c.has(sizesIn)) {
    const sz = ints(sizesV);
    if (!sz || sz.length !== axes.length) return c.set(0, c.dtype(0), x.map(() => null));
    const policy = c.str('keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') {
      axes.forEach((a, i) => (out[a] = size(sz[i])));
    } else {
      let scale = policy === 'not_larger' ? Infinity : -Infinity;
      for (let i = 0; i < axes.length; i++) {
        const d = x[axes[i]];
        if (!isNum(d)) return c.set(0, c.dtype(0), x.map(() => null));
        scale = policy === 'not_larger' ? Math.min(scale, sz[i] / d) : Math.max(scale, sz[i] / d);
      }
      for (const a of axes) out[a] = size(Math.round(scale * (x[a] as number)));
    }
    return c.set(0, c.dtype(0), out);
  }
  const sc = scalesIn >= 0 ? (c.has(scalesIn) ? ints(c.value(scalesIn)) : undefined) : (c.attr('scales')?.value as number[] | undefined);
  if (!sc || sc.length !== axes.length) return c.set(0, c.dtype(0), x.map(() => null));
  axes.forEach((a, i) => {
    const d = x[a];
    const s = Math.fround(sc[i]);
    out[a] = s === 1 ? d : isNum(d) ? size(Math.floor(d * s)) : null;
  });
  c.set(0, c.dtype(0), out);
};

/** DepthToSpace / SpaceToDepth on NCHW. */
function shuffle(toSpace: boolean): ShapeRule {
  return (c) => {
    const x = c.shape(0);
    const b = c.int('blocksize', 1);
    if (!x || x.length !== 4) return c.set(0, c.dtype(0), x && x.map(() => null));
    const mul = (d: Dim, k: number): Dim => (isNum(d) ? size(d * k) : k === 1 ? d : null);
    const div = (d: Dim, k: number): Dim => (isNum(d) ? size(Math.floor(d / k)) : k === 1 ? d : null);
    c.set(0, c.dtype(0), toSpace ? [x[0], div(x[1], b * b), mul(x[2], b), mul(x[3], b)] : [x[0], mul(x[1], b * b), div(x[2], b), div(x[3], b)]);
  };
}

/** RNN / GRU / LSTM: Y [seq, dirs, batch, hidden] and Y_h / Y_c [dirs, batch, hidden] (layout 0). */
const recurrent: ShapeRule = (c) => {
  const x = c.shape(0);
  const hidden = c.int('hidden_size', 0) || null;
  const dirs = c.str('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const layout = c.int('layout', 0);
  const seq = x && x.length === 3 ? x[layout ? 1 : 0] : null;
  const batch = x && x.length === 3 ? x[layout ? 0 : 1] : null;
  c.set(0, c.dtype(0), layout ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden]);
  for (let i = 1; i < c.node.outputs.length; i++) c.set(i, c.dtype(0), layout ? [batch, dirs, hidden] : [dirs, batch, hidden]);
};

/** GridSample: [N, C, grid spatial…]. */
const gridSample: ShapeRule = (c) => {
  const x = c.shape(0);
  const g = c.shape(1);
  c.set(0, c.dtype(0), x && g && g.length === x.length ? [x[0], x[1], ...g.slice(1, -1)] : undefined);
};

/** RoiAlign: [num_rois, C, output_height, output_width]. */
const roiAlign: ShapeRule = (c) => {
  const x = c.shape(0);
  const rois = c.shape(1);
  c.set(0, c.dtype(0), [rois ? rois[0] : null, x && x.length === 4 ? x[1] : null, c.int('output_height', 1), c.int('output_width', 1)]);
};

/** Attention (opset 23): 4-D [B, heads, seq, head] or 3-D [B, seq, heads·head] Q/K/V, optional past. */
const attention: ShapeRule = (c) => {
  const [q, k, v] = [c.shape(0), c.shape(1), c.shape(2)];
  if (!q || !k || !v || q.length !== k.length || q.length !== v.length || (q.length !== 3 && q.length !== 4)) return c.set(0, c.dtype(0), undefined);
  const div = (d: Dim, n: number): Dim => (isNum(d) && n > 0 ? size(d / n) : null);
  const qh = c.int('q_num_heads', 0);
  const kvh = c.int('kv_num_heads', 0);
  const to4 = (x: Dim[], h: number): Dim[] => (x.length === 4 ? x : [x[0], h || null, x[1], div(x[2], h)]);
  const [q4, k4, v4] = [to4(q, qh), to4(k, kvh), to4(v, kvh)];
  const past = c.has(4) ? c.shape(4) : undefined;
  const total = c.has(4) ? (past && past.length === 4 ? (isNum(past[2]) && isNum(k4[2]) ? size(past[2] + k4[2]) : null) : null) : k4[2];
  c.set(0, c.dtype(0), q.length === 4 ? [q4[0], q4[1], q4[2], v4[3]] : [q[0], q[1], isNum(q4[1]) && isNum(v4[3]) ? size(q4[1] * v4[3]) : null]);
  c.set(1, c.dtype(1), [k4[0], k4[1], total, k4[3]]);
  c.set(2, c.dtype(2), [v4[0], v4[1], total, v4[3]]);
  c.set(3, c.dtype(0), [q4[0], q4[1], q4[2], total]);
};

/** NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: scalar unless reduction is 'none'. */
const loss: ShapeRule = (c) => {
  const none = c.str('reduction', 'mean') === 'none';
  c.set(0, c.dtype(0), none ? c.shape(1) : []);
  if (c.node.outputs.length > 1) c.set(1, c.dtype(0), c.shape(0));
};

/** Registers the layer rules. */
export function nnRules(r: Record<string, ShapeRule>): void {
  const x0 = (c: InferCtx) => c.dtype(0);
  r.Conv = convRule(0, 1, x0);
  r['com.microsoft:FusedConv'] = r.Conv;
  r.ConvInteger = convRule(0, 1, () => DataType.INT32);
  r.QLinearConv = convRule(0, 3, (c) => c.dtype(7));
  r.ConvTranspose = convTranspose;
  for (const op of ['MaxPool', 'AveragePool', 'LpPool']) r[op] = pool;
  for (const op of ['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']) r[op] = globalPool;
  r.MaxUnpool = maxUnpool;
  r.Gemm = gemm;
  r['com.microsoft:FusedGemm'] = gemm;
  r.MatMul = matmulRule(x0);
  r.MatMulInteger = matmulRule(() => DataType.INT32);
  r.QLinearMatMul = matmulRule((c) => c.dtype(7), 0, 3);
  r.Einsum = einsum;
  r.Resize = resize;
  r.Upsample = resize;
  r.DepthToSpace = shuffle(true);
  r.SpaceToDepth = shuffle(false);
  for (const op of ['RNN', 'GRU', 'LSTM']) r[op] = recurrent;
  r.GridSample = gridSample;
  r.RoiAlign = roiAlign;
  r.Attention = attention;
  r.NegativeLogLikelihoodLoss = loss;
  r.SoftmaxCrossEntropyLoss = loss;
}
