// RegexFullMatch (opset 20): for each string, whether the whole string matches an RE2 pattern.
// The pattern is translated to a JS RegExp (regex-translate.ts) or refused; strings longer than
// MAX_LENGTH are refused so that the remaining polynomial backtracking stays bounded.

import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { need, nodeError, stringAttr, strings } from './common';
import { translateRe2 } from './regex-translate';

/** Longest input string matched (characters). */
export const MAX_LENGTH = 10000;

/** RegexFullMatch: Y (bool) = X fully matches `pattern`. */
export const regexFullMatch: OpDef<RegExp> = {
  domain: '', opType: 'RegexFullMatch', since: 20, lowPrecision: 'native',
  parse(ctx) {
    const { node } = ctx;
    const pattern = stringAttr(node, 'pattern', '');
    const t = translateRe2(pattern);
    if (!t.ok) throw unsupported(nodeError(node, `pattern not supported: ${t.reason}`));
    try {
      return new RegExp(`^(?:${t.source})$`, 'u');
    } catch (err) {
      throw nodeError(node, `invalid pattern: ${(err as Error).message}`);
    }
  },
  run(inputs, re, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    const x = strings(node, X, 'X');
    const y = ctx.alloc(DataType.BOOL, X.shape) as Uint8Array;
    for (let i = 0; i < x.length; i++) {
      if (x[i].length > MAX_LENGTH) throw unsupported(nodeError(node, `strings longer than ${MAX_LENGTH} characters are not matched`));
      y[i] = re.test(x[i]) ? 1 : 0;
    }
    return [{ dtype: DataType.BOOL, shape: X.shape.slice(), data: y }];
  },
};
