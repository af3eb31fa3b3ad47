// TensorScatter (opset 24): a KV-cache update. A copy of `past_cache` with, for each batch entry b,
// the `update` slices along `axis` written at positions write_indices[b] + j; mode "circular" wraps
// the positions modulo the cache length, "linear" requires them to fit. Any dtype (plain copies).
import { OpDef } from '../../op';
import { sizeOf } from '../../tensor';
import { readInts } from '../tensor/common';
import { intAttr, need, nodeError } from './common';
import { stringAttr } from '../nn/attrs';

interface TensorScatterAttrs { readonly axis: number; readonly circular: boolean }

/** TensorScatter (opset 24). */
export const tensorScatter: OpDef<TensorScatterAttrs> = {
  domain: '', opType: 'TensorScatter', since: 24, lowPrecision: 'native',
  parse(ctx) {
    const mode = stringAttr(ctx.node, 'mode', 'linear');
    if (mode !== 'linear' && mode !== 'circular') throw nodeError(ctx.node, `mode "${mode}" is not "linear" or "circular"`);
    return { axis: intAttr(ctx.node, 'axis', -2), circular: mode === 'circular' };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const past = need(node, inputs, 0, 'past_cache');
    const update = need(node, inputs, 1, 'update');
    const r = past.shape.length;
    const axis = a.axis < 0 ? a.axis + r : a.axis;
    if (r < 2 || axis < 1 || axis >= r) throw nodeError(node, `axis ${a.axis} must name a dimension after the batch of past_cache [${past.shape.join(',')}]`);
    if (update.dtype !== past.dtype) throw nodeError(node, 'update and past_cache must have the same dtype');
    if (update.shape.length !== r || update.shape.some((d, i) => i !== axis && d !== past.shape[i])) {
      throw nodeError(node, `update [${update.shape.join(',')}] must match past_cache [${past.shape.join(',')}] except on axis ${axis}`);
    }
    const batch = past.shape[0];
    const maxLen = past.shape[axis];
    const len = update.shape[axis];
    const starts = inputs[2] ? readInts(node, inputs[2], 'write_indices') : new Array<number>(batch).fill(0);
    if (starts.length !== batch) throw nodeError(node, `write_indices has ${starts.length} entries for a batch of ${batch}`);
    const mid = sizeOf(past.shape.slice(1, axis));
    const inner = sizeOf(past.shape.slice(axis + 1));
    const out = ctx.alloc(past.dtype, past.shape);
    const src = past.data as unknown as { [i: number]: unknown; length: number };
    const dst = out as unknown as { [i: number]: unknown };
    if (Array.isArray(out)) for (let i = 0; i < src.length; i++) dst[i] = src[i];
    else (out as unknown as { set(a: ArrayLike<unknown>): void }).set(past.data as unknown as ArrayLike<unknown>);
    const upd = update.data as unknown as { [i: number]: unknown };
    for (let b = 0; b < batch; b++) {
      const start = starts[b];
      if (start < 0 || (!a.circular && start + len > maxLen) || (a.circular && start >= maxLen)) {
        throw nodeError(node, `write_indices[${b}] = ${start} with ${len} new entries does not fit a cache of ${maxLen} (mode ${a.circular ? 'circular' : 'linear'})`);
      }
      for (let m = 0; m < mid; m++) {
        for (let j = 0; j < len; j++) {
          const pos = a.circular ? (start + j) % maxLen : start + j;
          const d0 = ((b * mid + m) * maxLen + pos) * inner;
          const s0 = ((b * mid + m) * len + j) * inner;
          for (let k = 0; k < inner; k++) dst[d0 + k] = upd[s0 + k];
        }
      }
    }
    return [{ dtype: past.dtype, shape: past.shape.slice(), data: out }];
  },
};
