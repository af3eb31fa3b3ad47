// TfIdfVectorizer (opset 9): counts the pool's n-grams (sizes min..max, tokens `skip` apart for
// every skip 0..max_skip_count; unigrams counted once) in each row of int or string tokens and
// maps them to output columns by ngram_indexes; mode TF (counts), IDF (weight if present) or TFIDF
// (count × weight). The pool is a trie, as in onnxruntime and the ONNX reference.

import { DataType, Node } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { readInts } from '../tensor/common';
import { floatsAttr, intAttr, intsAttr, need, nodeError, stringAttr, stringsAttr } from './common';

type Token = number | string;
/** A trie node: the n-gram id ending here (0: none) and its children. */
interface TrieNode { id: number; next: Map<Token, TrieNode> | undefined }

interface TfIdfAttrs {
  readonly root: TrieNode;
  readonly minN: number;
  readonly maxN: number;
  readonly maxSkip: number;
  readonly mode: 'TF' | 'IDF' | 'TFIDF';
  readonly indexes: readonly number[];
  readonly weights: readonly number[] | undefined;
  readonly size: number;
  readonly strings: boolean;
}

function parseTfIdf(node: Node): TfIdfAttrs {
  const minN = intAttr(node, 'min_gram_length', 0);
  const maxN = intAttr(node, 'max_gram_length', 0);
  const maxSkip = intAttr(node, 'max_skip_count', 0);
  const mode = stringAttr(node, 'mode', '');
  if (mode !== 'TF' && mode !== 'IDF' && mode !== 'TFIDF') throw nodeError(node, `mode must be TF, IDF or TFIDF, got "${mode}"`);
  if (minN < 1 || maxN < minN || maxSkip < 0) throw nodeError(node, `invalid gram lengths ${minN}..${maxN} or max_skip_count ${maxSkip}`);
  const counts = intsAttr(node, 'ngram_counts') ?? [];
  const indexes = intsAttr(node, 'ngram_indexes') ?? [];
  const ints = intsAttr(node, 'pool_int64s');
  const strs = stringsAttr(node, 'pool_strings');
  if (!!ints === !!strs) throw nodeError(node, 'exactly one of pool_int64s and pool_strings must be given');
  const pool: Token[] = ints ?? strs ?? [];
  const weights = floatsAttr(node, 'weights');
  if (!indexes.length || indexes.some((k) => k < 0)) throw nodeError(node, 'ngram_indexes must be a non-empty list of non-negative indexes');
  const size = Math.max(...indexes) + 1;
  if (weights && weights.length < size) throw nodeError(node, `weights has ${weights.length} entries; the output has ${size} columns`);
  const root: TrieNode = { id: 0, next: new Map() };
  let id = 1;
  for (let g = 0; g < counts.length; g++) {
    const n = g + 1;
    const start = counts[g];
    const end = g + 1 < counts.length ? counts[g + 1] : pool.length;
    if (start < 0 || end > pool.length || end < start || (end - start) % n) throw nodeError(node, `ngram_counts entry ${g} does not cut the pool into ${n}-grams`);
    const grams = (end - start) / n;
    if (n < minN || n > maxN) {
      id += grams;
      continue;
    }
    for (let k = 0; k < grams; k++, id++) {
      let cur = root;
      for (let t = 0; t < n; t++) {
        const tok = pool[start + k * n + t];
        cur.next ??= new Map();
        let nx = cur.next.get(tok);
        if (!nx) {
          nx = { id: 0, next: undefined };
          cur.next.set(tok, nx);
        }
        cur = nx;
      }
      cur.id = id;
    }
  }
  if (id - 1 > indexes.length) throw nodeError(node, `the pool holds ${id - 1} n-grams but ngram_indexes has ${indexes.length}`);
  return { root, minN, maxN, maxSkip, mode, indexes, weights, size, strings: !!strs };
}

/** TfIdfVectorizer (opset 9): X [C] or [B, C] of int32/int64/string → float [size] or [B, size]. */
export const tfIdfVectorizer: OpDef<TfIdfAttrs> = {
  domain: '', opType: 'TfIdfVectorizer', since: 9, lowPrecision: 'native',
  parse(ctx) {
    return parseTfIdf(ctx.node);
  },
  run(inputs, a, ctx) {
    const { node } = ctx;
    const X = need(node, inputs, 0, 'X');
    if ((X.dtype === DataType.STRING) !== a.strings) throw nodeError(node, `X is ${DataType[X.dtype]} but the pool holds ${a.strings ? 'strings' : 'integers'}`);
    const r = X.shape.length;
    if (r > 2 || (r === 2 && X.shape[0] < 1)) throw nodeError(node, `X must be [C] or [B, C] with B > 0, got [${X.shape.join(',')}]`);
    const rows = r === 2 ? X.shape[0] : 1;
    const C = r === 2 ? X.shape[1] : r === 1 ? X.shape[0] : 1;
    const toks: Token[] = a.strings ? (X.data as string[]) : readInts(node, X, 'X');
    const shape = r === 2 ? [rows, a.size] : [a.size];
    const y = ctx.alloc(DataType.FLOAT, shape) as Float32Array;
    for (let row = 0; row < rows; row++) {
      const base = row * C;
      const o = row * a.size;
      let startN = a.minN;
      for (let skip = 1; skip <= a.maxSkip + 1; skip++) {
        for (let s = 0; s < C; s++) {
          if (s + skip * (startN - 1) >= C) break;
          let cur: TrieNode | undefined = a.root;
          let size = 1;
          for (let item = s; cur?.next && size <= a.maxN && item < C; item += skip, size++) {
            cur = cur.next.get(toks[base + item]);
            if (!cur) break;
            if (size >= startN && cur.id !== 0) y[o + a.indexes[cur.id - 1]] += 1;
          }
        }
        if (startN === 1) {
          startN = 2;
          if (startN > a.maxN) break;
        }
      }
      for (let k = 0; k < a.size; k++) {
        const f = y[o + k];
        const w = a.weights ? a.weights[k] : 1;
        if (a.mode === 'IDF') y[o + k] = f > 0 ? w : 0;
        else if (a.mode === 'TFIDF') y[o + k] = f * w;
      }
    }
    return [{ dtype: DataType.FLOAT, shape, data: y }];
  },
};
