// StringSplit (opset 20): splits each string by a delimiter (or, when it is empty or absent, by
// runs of spaces, ignoring leading and trailing ones), at most `maxsplit` times; returns the pieces
// padded with "" to the longest count, and the per-string counts. Where the ONNX reference and
// onnxruntime disagree (other whitespace, trailing spaces after maxsplit, empty strings with a
// delimiter) the op refuses.

import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { hasAttr, intAttr, need, nodeError, stringAttr, strings } from './common';

interface SplitAttrs { readonly delimiter: string; readonly maxsplit: number }

/** Whitespace other than ' ': the ONNX reference (Python str.split) splits on it, onnxruntime does not. */
const OTHER_SPACE = /[\t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Splits on runs of ' '; false when maxsplit leaves a remainder ending in ' ' (the two references differ). */
function splitSpace(s: string, max: number, out: string[]): boolean {
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    if (out.length === max) {
      out.push(s.slice(i));
      return s.charCodeAt(n - 1) !== 32;
    }
    const start = i;
    while (i < n && s.charCodeAt(i) !== 32) i++;
    out.push(s.slice(start, i));
  }
  return true;
}

function splitBy(s: string, d: string, max: number, out: string[]): void {
  let from = 0;
  while (out.length < max) {
    const k = s.indexOf(d, from);
    if (k < 0) break;
    out.push(s.slice(from, k));
    from = k + d.length;
  }
  out.push(s.slice(from));
}

/** StringSplit: outputs Y (strings, [...X.shape, max count]) and Z (int64 counts, X.shape). */
export const stringSplit: OpDef<SplitAttrs> = {
  domain: '', opType: 'StringSplit', since: 20, lowPrecision: 'native',
  parse(ctx) {
    const max = hasAttr(ctx.node, 'maxsplit') ? intAttr(ctx.node, 'maxsplit', -1) : -1;
    return { delimiter: stringAttr(ctx.node, 'delimiter', ''), maxsplit: max < 0 ? Infinity : max };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    const x = strings(node, X, 'X');
    const parts: string[][] = [];
    let most = 0;
    for (const s of x) {
      const out: string[] = [];
      if (a.delimiter === '') {
        if (OTHER_SPACE.test(s)) throw unsupported(nodeError(node, 'splitting on whitespace: only spaces are supported (the ONNX reference also splits on tabs, newlines etc., onnxruntime does not)'));
        if (!splitSpace(s, a.maxsplit, out)) throw unsupported(nodeError(node, 'a maxsplit remainder ending in spaces is not supported (the ONNX reference keeps them, onnxruntime drops them)'));
      } else if (s === '') {
        throw unsupported(nodeError(node, 'splitting an empty string by a delimiter is not supported (the ONNX reference gives [""], onnxruntime nothing)'));
      } else splitBy(s, a.delimiter, a.maxsplit, out);
      parts.push(out);
      if (out.length > most) most = out.length;
    }
    const shape = [...X.shape, most];
    const y = ctx.alloc(DataType.STRING, shape) as string[];
    const z = ctx.alloc(DataType.INT64, X.shape) as BigInt64Array;
    parts.forEach((p, i) => {
      for (let k = 0; k < most; k++) y[i * most + k] = k < p.length ? p[k] : '';
      z[i] = BigInt(p.length);
    });
    return [{ dtype: DataType.STRING, shape, data: y }, { dtype: DataType.INT64, shape: X.shape.slice(), data: z }];
  },
};
