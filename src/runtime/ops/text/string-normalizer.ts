// StringNormalizer (opset 10): removes stop words (whole elements, compared with or without case)
// from a [C] or [1, C] string tensor, then changes case (LOWER / UPPER / NONE). An all-removed
// input gives one empty string. Only the default (English) locale is supported; empty and
// multi-word elements are refused because the ONNX reference and onnxruntime treat them differently.

import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { intAttr, need, nodeError, stringAttr, strings, stringsAttr } from './common';

interface NormAttrs { readonly action: 'LOWER' | 'UPPER' | 'NONE'; readonly caseSensitive: boolean; readonly stops: ReadonlySet<string> }

const LOCALES = new Set(['', 'en_US', 'en-US', 'en_US.UTF-8', 'C', 'en']);

/** StringNormalizer (opset 10). */
export const stringNormalizer: OpDef<NormAttrs> = {
  domain: '', opType: 'StringNormalizer', since: 10, lowPrecision: 'native',
  parse(ctx) {
    const { node } = ctx;
    const action = stringAttr(node, 'case_change_action', 'NONE');
    if (action !== 'LOWER' && action !== 'UPPER' && action !== 'NONE') throw nodeError(node, `case_change_action must be LOWER, UPPER or NONE, got "${action}"`);
    const locale = stringAttr(node, 'locale', '');
    if (!LOCALES.has(locale)) throw unsupported(nodeError(node, `locale "${locale}" is not supported (only the default English locale)`));
    const caseSensitive = intAttr(node, 'is_case_sensitive', 0) === 1;
    const words = stringsAttr(node, 'stopwords') ?? [];
    return { action, caseSensitive, stops: new Set(caseSensitive ? words : words.map((w) => w.toLowerCase())) };
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    const x = strings(node, X, 'X');
    const two = X.shape.length === 2;
    if (!(X.shape.length === 1 || (two && X.shape[0] === 1))) throw nodeError(node, `X must have shape [C] or [1, C], got [${X.shape.join(',')}]`);
    const kept: string[] = [];
    for (const s of x) {
      if (s === '' || (a.stops.size > 0 && /\s/.test(s))) {
        throw unsupported(nodeError(node, 'empty or multi-word strings are not supported (the ONNX reference and onnxruntime treat them differently)'));
      }
      if (a.stops.has(a.caseSensitive ? s : s.toLowerCase())) continue;
      kept.push(a.action === 'LOWER' ? s.toLowerCase() : a.action === 'UPPER' ? s.toUpperCase() : s);
    }
    if (kept.length === 0) kept.push('');
    const shape = two ? [1, kept.length] : [kept.length];
    const y = ctx.alloc(DataType.STRING, shape) as string[];
    kept.forEach((s, i) => { y[i] = s; });
    return [{ dtype: DataType.STRING, shape, data: y }];
  },
};
