// String ops on our executor against onnxruntime-node (which uses RE2 for RegexFullMatch): split on
// delimiters and whitespace with maxsplit, broadcast concat, normalizer stop words and case,
// TF-IDF n-grams with skips and weights, RE2 patterns translated to JS; plus every refusal.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { translateRe2 } from '../../src/runtime/ops/text/regex-translate';
import { AttrValue, ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

const str = (shape: number[], v: string[]): Tensor => makeTensor(DataType.STRING, shape, v);

/** One-node model over input X; returns our outputs after checking them against onnxruntime's. */
async function both(opType: string, x: Tensor, attrs: Record<string, AttrValue>, outs: Array<[string, DataType]>, opset = 20, extra?: Tensor): Promise<Record<string, Tensor>> {
  const b = new ModelBuilder({ opset });
  b.input('X', x.dtype);
  if (extra) b.input('Y', extra.dtype);
  b.node(opType, extra ? ['X', 'Y'] : ['X'], attrs, { outputs: outs.map(([n]) => n) });
  for (const [n, t] of outs) b.output(n, t);
  const model = b.build();
  const feeds: Record<string, Tensor> = extra ? { X: x, Y: extra } : { X: x };
  const ours = createSession(model).runSync(feeds);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const ortFeeds: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(t.dtype === DataType.STRING ? 'string' : 'int64', t.data, t.shape);
  const theirs = await session.run(ortFeeds);
  for (const [n] of outs) {
    assert.deepEqual([...ours[n].shape], [...theirs[n].dims].map(Number), `${n} shape`);
    assert.deepEqual(Array.from(ours[n].data as ArrayLike<unknown>).map(String), [...theirs[n].data].map(String), `${opType} ${n}`);
  }
  return ours;
}

describe('string ops', () => {
  it('StringSplit: delimiter, whitespace runs, maxsplit', async () => {
    const x = str([2, 2], ['a.b..c', '  lead  and  trail', ' ', 'x-y-z']);
    await both('StringSplit', x, { delimiter: '.' }, [['Y', DataType.STRING], ['Z', DataType.INT64]]);
    await both('StringSplit', x, { delimiter: '-', maxsplit: 1 }, [['Y', DataType.STRING], ['Z', DataType.INT64]]);
    const ws = await both('StringSplit', x, { maxsplit: 1 }, [['Y', DataType.STRING], ['Z', DataType.INT64]]);
    assert.deepEqual((ws.Y.data as string[]).slice(2, 4), ['lead', 'and  trail']);
    assert.deepEqual([...(ws.Z.data as BigInt64Array)], [1n, 2n, 0n, 1n]);
    await both('StringSplit', x, {}, [['Y', DataType.STRING], ['Z', DataType.INT64]]);
  });

  it('StringConcat broadcasts', async () => {
    await both('StringConcat', str([2, 1], ['a', 'é']), {}, [['R', DataType.STRING]], 20, str([3], ['1', '', '🙂']));
  });

  it('StringNormalizer: stop words with and without case, case change, all removed', () => {
    const run = (x: Tensor, attrs: Record<string, AttrValue>): Tensor => {
      const b = new ModelBuilder({ opset: 10 });
      b.input('X', DataType.STRING);
      b.node('StringNormalizer', ['X'], attrs, { outputs: ['Y'] });
      b.output('Y', DataType.STRING);
      return createSession(b.build()).runSync({ X: x }).Y;
    };
    const x = str([1, 5], ['Monday', 'tuesday', 'MONDAY', 'Straße', 'x']);
    const up = run(x, { stopwords: ['monday'], case_change_action: 'UPPER' });
    assert.deepEqual([up.shape, up.data], [[1, 3], ['TUESDAY', 'STRASSE', 'X']]);
    const low = run(x, { stopwords: ['monday'], is_case_sensitive: 1, case_change_action: 'LOWER' });
    assert.deepEqual([low.shape, low.data], [[1, 5], ['monday', 'tuesday', 'monday', 'straße', 'x']]);
    const none = run(str([2], ['a', 'A']), { stopwords: ['a'] });
    assert.deepEqual([none.shape, none.data], [[1], ['']]);
  });

  it('TfIdfVectorizer: uni- and bigrams with skips, TF / IDF / TFIDF with weights, strings', async () => {
    const x = makeTensor(DataType.INT64, [2, 6], BigInt64Array.from([1, 1, 3, 3, 3, 7, 8, 6, 7, 5, 6, 8].map(BigInt)));
    for (const mode of ['TF', 'IDF', 'TFIDF']) {
      await both('TfIdfVectorizer', x, {
        mode, min_gram_length: 1, max_gram_length: 2, max_skip_count: 2, ngram_counts: [0, 4], ngram_indexes: [0, 1, 2, 3, 4, 5, 6],
        pool_int64s: [2, 3, 5, 4, 5, 6, 7, 8, 6, 7], weights: [0.5, 1, 2, 0.25, 3, 1.5, 1.25].map((w) => w),
      }, [['T', DataType.FLOAT]], 9);
    }
    await both('TfIdfVectorizer', str([5], ['a', 'b', 'a', 'c', 'b']), {
      mode: 'TF', min_gram_length: 2, max_gram_length: 2, max_skip_count: 1, ngram_counts: [0, 0], ngram_indexes: [1, 0], pool_strings: ['a', 'b', 'a', 'c'],
    }, [['T', DataType.FLOAT]], 9);
  });

  it('RegexFullMatch agrees with RE2 on translated patterns', async () => {
    const x = str([8], ['www.example.com', 'a\nb', 'a b', 'x{2}', 'Ab_9', 'a-b', 'ab\r', 'tab\there']);
    const patterns = ['www\\.[\\w.-]+\\.\\bcom\\b', 'a.b', 'a\\sb', 'x\\{2\\}', '[[:word:]]?\\w+', '[^\\s]+\\-b', '(?P<n>ab)\\r', '\\w+\\t\\S+', 'x{2}', '[]a]*|\\x{41}b_9'];
    for (const pattern of patterns) {
      if (!translateRe2(pattern).ok) continue;
      await both('RegexFullMatch', x, { pattern }, [['M', DataType.BOOL]]);
    }
  });

  it('RegexFullMatch refuses patterns whose JS meaning differs or that could backtrack catastrophically', () => {
    for (const p of ['(?i)abc', '(?=a)a', '(?<=a)b', '(a)\\1', '\\pL', '[[:alpha:]]', '\\Qa.b\\E', '(a+)+b', '(a|aa)*', '(ab*)+', 'a*b*c*d*', '[\\b]']) {
      assert.equal(translateRe2(p).ok, false, p);
    }
    for (const p of ['(a|b)?c', '(ab)+', '[a-z]{0,25}@(x|y)\\.com', '.*a.*']) assert.equal(translateRe2(p).ok, true, p);
    const b = new ModelBuilder({ opset: 20 });
    b.input('X', DataType.STRING);
    b.node('RegexFullMatch', ['X'], { pattern: '(a+)+$' }, { outputs: ['M'] });
    b.output('M', DataType.BOOL);
    assert.throws(() => createSession(b.build()), /pattern not supported: a repeated group/);
  });

  it('refuses what onnxruntime and the ONNX reference disagree on', () => {
    const b = new ModelBuilder({ opset: 10 });
    b.input('X', DataType.STRING);
    b.node('StringNormalizer', ['X'], { stopwords: ['a'] }, { outputs: ['Y'] });
    b.output('Y', DataType.STRING);
    const s = createSession(b.build());
    assert.throws(() => s.runSync({ X: str([2], ['a b', 'c']) }), /multi-word strings are not supported/);
    const sp = new ModelBuilder({ opset: 20 });
    sp.input('X', DataType.STRING);
    sp.node('StringSplit', ['X'], { maxsplit: 1 }, { outputs: ['Y', 'Z'] });
    sp.output('Y', DataType.STRING).output('Z', DataType.INT64);
    const ss = createSession(sp.build());
    assert.throws(() => ss.runSync({ X: str([1], ['a\tb']) }), /only spaces are supported/);
    assert.throws(() => ss.runSync({ X: str([1], ['a b c ']) }), /remainder ending in spaces/);
    const b2 = new ModelBuilder({ opset: 10 });
    b2.input('X', DataType.STRING);
    b2.node('StringNormalizer', ['X'], { locale: 'tr_TR', case_change_action: 'UPPER' }, { outputs: ['Y'] });
    b2.output('Y', DataType.STRING);
    assert.throws(() => createSession(b2.build()), /locale "tr_TR" is not supported/);
  });
});
