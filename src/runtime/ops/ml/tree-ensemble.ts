// ai.onnx.ml TreeEnsemble (opset 5): sums (or averages, mins, maxes) per target the leaf weights
// that each row of X reaches in every tree. Interior nodes compare one feature with a split value
// (≤, <, ≥, >, =, ≠, or membership in a set); NaN features follow the true branch where
// nodes_missing_value_tracks_true says so. Only post_transform NONE is computed.
import { DataType, Node } from '../../../onnx/ir';
import { findAttr } from '../../../onnx/attrs';
import { tensorValues } from '../../../onnx/tensor-data';
import { unsupported } from '../../errors';
import { OpDef } from '../../op';
import { intAttr, need, nodeError } from '../nn/attrs';

interface Forest {
  readonly splits: Float64Array; readonly features: Int32Array; readonly modes: Uint8Array;
  readonly trueIds: Int32Array; readonly falseIds: Int32Array; readonly trueLeaf: Uint8Array; readonly falseLeaf: Uint8Array;
  readonly missingTrue: Uint8Array; readonly members: Array<Set<number> | undefined>;
  readonly leafTargets: Int32Array; readonly leafWeights: Float64Array; readonly roots: Int32Array;
  readonly targets: number; readonly aggregate: number;
}

function ints(node: Node, name: string, required = true): number[] {
  const a = findAttr(node, name);
  if (a && a.type === 'ints') return a.value;
  if (required) throw nodeError(node, `missing attribute '${name}'`);
  return [];
}

function tensorNums(node: Node, name: string, required = true): number[] | undefined {
  const a = findAttr(node, name);
  if (!a) {
    if (required) throw nodeError(node, `missing attribute '${name}'`);
    return undefined;
  }
  if (a.type !== 'tensor') throw nodeError(node, `attribute '${name}' must be a tensor`);
  return Array.from(tensorValues(a.value) as ArrayLike<number>, Number);
}

function parseForest(node: Node): Forest {
  const splits = tensorNums(node, 'nodes_splits')!;
  const modes = tensorNums(node, 'nodes_modes')!;
  const n = modes.length;
  const lists = [ints(node, 'nodes_featureids'), ints(node, 'nodes_truenodeids'), ints(node, 'nodes_falsenodeids'), ints(node, 'nodes_trueleafs'), ints(node, 'nodes_falseleafs')];
  if (splits.length !== n || lists.some((l) => l.length !== n)) throw nodeError(node, 'the nodes_* attributes must all have the same length');
  const missing = ints(node, 'nodes_missing_value_tracks_true', false);
  const leafTargets = ints(node, 'leaf_targetids');
  const leafWeights = tensorNums(node, 'leaf_weights')!;
  if (leafTargets.length !== leafWeights.length) throw nodeError(node, 'leaf_targetids and leaf_weights differ in length');
  const targets = intAttr(node, 'n_targets', 0);
  if (!(targets > 0)) throw nodeError(node, 'n_targets must be positive');
  if (leafTargets.some((t) => t < 0 || t >= targets)) throw nodeError(node, `a leaf targets an id outside 0..${targets - 1}`);
  const post = intAttr(node, 'post_transform', 0);
  if (post !== 0) throw unsupported(nodeError(node, `post_transform ${post} is not supported (only NONE)`));
  const aggregate = intAttr(node, 'aggregate_function', 1);
  if (aggregate < 0 || aggregate > 3) throw nodeError(node, `aggregate_function ${aggregate} is not AVERAGE, SUM, MIN or MAX`);
  // Set members: one NaN-terminated run per MEMBER node, in node order.
  const membership = tensorNums(node, 'membership_values', false) ?? [];
  const members: Array<Set<number> | undefined> = new Array(n).fill(undefined);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (modes[i] !== 6) continue;
    const set = new Set<number>();
    while (k < membership.length && !Number.isNaN(membership[k])) set.add(membership[k++]);
    if (k >= membership.length) throw nodeError(node, 'membership_values must end each set with NaN, one set per membership node');
    k++;
    members[i] = set;
  }
  const check = (ids: number[], leaf: number[], what: string): void => ids.forEach((id, i) => {
    if (id < 0 || id >= (leaf[i] ? leafWeights.length : n)) throw nodeError(node, `${what}[${i}] = ${id} points outside the ${leaf[i] ? 'leaves' : 'nodes'}`);
  });
  check(lists[1], lists[3], 'nodes_truenodeids');
  check(lists[2], lists[4], 'nodes_falsenodeids');
  return {
    splits: Float64Array.from(splits), features: Int32Array.from(lists[0]), modes: Uint8Array.from(modes),
    trueIds: Int32Array.from(lists[1]), falseIds: Int32Array.from(lists[2]), trueLeaf: Uint8Array.from(lists[3]), falseLeaf: Uint8Array.from(lists[4]),
    missingTrue: Uint8Array.from(missing.length ? missing : new Array<number>(n).fill(0)), members,
    leafTargets: Int32Array.from(leafTargets), leafWeights: Float64Array.from(leafWeights), roots: Int32Array.from(ints(node, 'tree_roots')), targets, aggregate,
  };
}

function goesTrue(f: Forest, i: number, v: number): boolean {
  if (v !== v) return f.missingTrue[i] === 1;
  const s = f.splits[i];
  switch (f.modes[i]) {
    case 0: return v <= s;
    case 1: return v < s;
    case 2: return v >= s;
    case 3: return v > s;
    case 4: return v === s;
    case 5: return v !== s;
    default: return f.members[i]!.has(v);
  }
}

/** TreeEnsemble (ai.onnx.ml 5): float, double (float16 through float32). */
export const treeEnsemble: OpDef<Forest> = {
  domain: 'ai.onnx.ml', opType: 'TreeEnsemble', since: 5,
  parse: (ctx) => parseForest(ctx.node),
  run(inputs, f, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    if (x.shape.length !== 2 || (x.dtype !== DataType.FLOAT && x.dtype !== DataType.DOUBLE)) throw nodeError(ctx.node, 'X must be a 2-D float or double tensor');
    const [rows, feats] = x.shape;
    for (let i = 0; i < f.features.length; i++) {
      if (f.features[i] < 0 || f.features[i] >= feats) throw nodeError(ctx.node, `a node reads a feature outside 0..${feats - 1}`);
    }
    const xv = x.data as Float32Array | Float64Array;
    const round = x.dtype === DataType.FLOAT ? Math.fround : (v: number) => v;
    const y = ctx.alloc(x.dtype, [rows, f.targets]) as Float32Array | Float64Array;
    // MIN / MAX start from the dtype's largest / lowest finite value (what a target no leaf reaches keeps).
    const largest = x.dtype === DataType.FLOAT ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const init = f.aggregate === 2 ? largest : f.aggregate === 3 ? -largest : 0;
    const trees = f.roots.length;
    for (let r = 0; r < rows; r++) {
      const acc = new Float64Array(f.targets).fill(init);
      for (let t = 0; t < trees; t++) {
        let i = f.roots[t];
        // A root whose two branches are the same leaf is a one-leaf tree.
        let leaf = f.trueLeaf[i] && f.falseLeaf[i] && f.trueIds[i] === f.falseIds[i] ? i : -1;
        for (let depth = 0; leaf < 0; depth++) {
          if (depth > f.modes.length) throw nodeError(ctx.node, 'a tree has a cycle');
          const right = goesTrue(f, i, xv[r * feats + f.features[i]]);
          const next = right ? f.trueIds[i] : f.falseIds[i];
          if (right ? f.trueLeaf[i] : f.falseLeaf[i]) leaf = next;
          else i = next;
        }
        const target = f.leafTargets[leaf];
        const w = f.leafWeights[leaf];
        if (f.aggregate === 1) acc[target] = round(acc[target] + w);
        else if (f.aggregate === 0) acc[target] = round(acc[target] + round(w / trees));
        else if (f.aggregate === 2) acc[target] = Math.min(acc[target], w);
        else acc[target] = Math.max(acc[target], w);
      }
      y.set(acc, r * f.targets);
    }
    return [{ dtype: x.dtype, shape: [rows, f.targets], data: y }];
  },
};
