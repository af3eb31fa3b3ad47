// Control flow (If, Loop, Scan) on our executor against onnxruntime-node: bodies that read outer
// values, branches of different output shapes, trip counts and conditions, scan outputs along any
// axis and direction, opset-8 batched Scan; plus the refusals and the observer inside bodies.

import * as assert from 'node:assert/strict';
import { DataType, Graph, Node, ValueInfo } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession, NodeEvent } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

function vi(name: string, elemType: DataType, shape?: Array<number | string>): ValueInfo {
  return { name, docString: '', type: { kind: 'tensor', elemType, shape } };
}

function nd(opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = []): Node {
  return { name: outputs[0], opType, domain: '', inputs, outputs, attributes, docString: '' };
}

function graph(name: string, inputs: ValueInfo[], outputs: ValueInfo[], nodes: Node[]): Graph {
  return { name, nodes, initializers: [], sparseInitializers: [], inputs, outputs, valueInfo: [], docString: '', quantizationAnnotation: [] };
}

const ORT_TYPES: Partial<Record<DataType, string>> = { [DataType.FLOAT]: 'float32', [DataType.INT64]: 'int64', [DataType.BOOL]: 'bool' };

/** Runs the model on both runtimes and asserts equal shapes and values (float32 round-off allowed). */
async function compare(b: ModelBuilder, feeds: Record<string, Tensor>, outs: string[]): Promise<Record<string, Tensor>> {
  const model = b.build();
  const ours = createSession(model).runSync(feeds);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(model)));
  const ortFeeds: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(ORT_TYPES[t.dtype], t.data, t.shape);
  const theirs = await session.run(ortFeeds);
  for (const o of outs) {
    assert.deepEqual([...ours[o].shape], [...theirs[o].dims].map(Number), `${o} shape`);
    const g = ours[o].data as ArrayLike<number>;
    const w = theirs[o].data as ArrayLike<number>;
    assert.equal(g.length, w.length, `${o} length`);
    for (let i = 0; i < w.length; i++) {
      assert.ok(Math.abs(Number(g[i]) - Number(w[i])) <= 1e-6 + 1e-5 * Math.abs(Number(w[i])), `${o}[${i}]: ours ${g[i]}, onnxruntime ${w[i]}`);
    }
  }
  return ours;
}

const f32 = (shape: number[], v: number[]): Tensor => makeTensor(DataType.FLOAT, shape, Float32Array.from(v));
const bool = (v: boolean): Tensor => makeTensor(DataType.BOOL, [], Uint8Array.of(v ? 1 : 0));
const i64 = (v: number): Tensor => makeTensor(DataType.INT64, [], BigInt64Array.of(BigInt(v)));

describe('control flow ops', () => {
  it('If picks a branch whose outputs differ in shape and read outer values; the observer sees branch nodes', async () => {
    for (const c of [true, false]) {
      const b = new ModelBuilder({ opset: 17 });
      b.input('c', DataType.BOOL, []);
      b.input('x', DataType.FLOAT, [2, 3]);
      const w = b.randn('w', [2, 3]);
      const thenG = graph('then', [], [vi('t', DataType.FLOAT)], [nd('Add', ['x', w], ['t0']), nd('Relu', ['t0'], ['t'])]);
      const elseG = graph('else', [], [vi('e', DataType.FLOAT)], [nd('ReduceSum', ['x'], ['e'], [{ name: 'keepdims', type: 'int', value: 0 }])]);
      b.node('If', ['c'], { then_branch: thenG, else_branch: elseG }, { outputs: ['y'] });
      b.output('y');
      const feeds = { c: bool(c), x: f32([2, 3], [1, -2, 3, -4, 5, -6]) };
      const ours = await compare(b, feeds, ['y']);
      assert.deepEqual(ours.y.shape, c ? [2, 3] : []);
      const seen: NodeEvent[] = [];
      createSession(b.build()).runSync(feeds, { observer: (e) => seen.push(e) });
      assert.deepEqual(seen.map((e) => e.node.opType), c ? ['Add', 'Relu', 'If'] : ['ReduceSum', 'If']);
      assert.ok(seen.every((e) => e.nodeIndex === 0));
    }
  });

  it('Loop with trip count and condition: carried values, scan outputs, outer values', async () => {
    // Body: acc' = acc * 2 + x (x from outside); cond' = sum(acc') < limit; scan out = acc' and i.
    const body = graph('body', [vi('i', DataType.INT64, []), vi('cin', DataType.BOOL, []), vi('acc', DataType.FLOAT, [3])],
      [vi('cout', DataType.BOOL, []), vi('acc2', DataType.FLOAT, [3]), vi('sc', DataType.FLOAT, [3]), vi('icopy', DataType.INT64, [])], [
        nd('Mul', ['acc', 'two'], ['m']), nd('Add', ['m', 'x'], ['acc2']), nd('ReduceSum', ['acc2'], ['s'], [{ name: 'keepdims', type: 'int', value: 0 }]),
        nd('Less', ['s', 'limit'], ['cout']), nd('Identity', ['acc2'], ['sc']), nd('Identity', ['i'], ['icopy']),
      ]);
    for (const [m, c] of [[10, true], [3, true], [10, false], [0, true]] as const) {
      const b = new ModelBuilder({ opset: 13 });
      b.input('x', DataType.FLOAT, [3]);
      b.input('M', DataType.INT64, []);
      b.input('c', DataType.BOOL, []);
      b.init('two', DataType.FLOAT, [], [2]);
      b.init('limit', DataType.FLOAT, [], [100]);
      b.init('acc0', DataType.FLOAT, [3], [0, 1, 0]);
      b.node('Loop', ['M', 'c', 'acc0'], { body }, { outputs: ['acc', 'accs', 'iters'] });
      b.output('acc').output('accs').output('iters', DataType.INT64);
      const ours = await compare(b, { x: f32([3], [1, 2, 3]), M: i64(m), c: bool(c) }, ['acc', 'accs', 'iters']);
      if (m === 10 && c) assert.deepEqual([...(ours.iters.data as BigInt64Array)], [0n, 1n, 2n, 3n]); // stops once the sum passes 100
    }
  });

  it('Loop without M runs while the condition holds; without cond the body\'s condition still stops it (as onnxruntime and the reference do)', async () => {
    const body = graph('body', [vi('i', DataType.INT64, []), vi('cin', DataType.BOOL, []), vi('v', DataType.FLOAT, [1])],
      [vi('cout', DataType.BOOL, []), vi('v2', DataType.FLOAT, [1])], [
        nd('Add', ['v', 'one'], ['v2']), nd('ReduceSum', ['v2'], ['s'], [{ name: 'keepdims', type: 'int', value: 0 }]), nd('Less', ['s', 'five'], ['cout']),
      ]);
    for (const mode of ['while', 'for'] as const) {
      const b = new ModelBuilder({ opset: 11 });
      b.input('v0', DataType.FLOAT, [1]);
      b.init('one', DataType.FLOAT, [], [1]);
      b.init('five', DataType.FLOAT, [], [5]);
      if (mode === 'for') b.ints('M', [8], []);
      else b.init('c', DataType.BOOL, [], [1]);
      b.node('Loop', mode === 'for' ? ['M', '', 'v0'] : ['', 'c', 'v0'], { body }, { outputs: ['v'] });
      b.output('v');
      const ours = await compare(b, { v0: f32([1], [0]) }, ['v']);
      assert.equal((ours.v.data as Float32Array)[0], 5);
    }
  });

  it('Loop refuses a loop with neither M nor cond, and scan outputs that are not tensors', () => {
    const body = graph('body', [vi('i', DataType.INT64, []), vi('cin', DataType.BOOL, []), vi('v', DataType.FLOAT, [1])],
      [vi('cout', DataType.BOOL, []), vi('v2', DataType.FLOAT, [1])], [nd('Identity', ['cin'], ['cout']), nd('Identity', ['v'], ['v2'])]);
    const b = new ModelBuilder({ opset: 13 });
    b.input('v0', DataType.FLOAT, [1]);
    b.node('Loop', ['', '', 'v0'], { body }, { outputs: ['v'] });
    b.output('v');
    assert.throws(() => createSession(b.build()), /Loop.*neither|never end/);
    const seqBody = { ...body, outputs: [...body.outputs, { name: 'v', docString: '', type: { kind: 'sequence' as const } }] };
    const b2 = new ModelBuilder({ opset: 13 });
    b2.input('v0', DataType.FLOAT, [1]);
    b2.ints('M', [2], []);
    b2.node('Loop', ['M', '', 'v0'], { body: seqBody }, { outputs: ['v'] });
    b2.output('v');
    assert.throws(() => createSession(b2.build()), /scan output "v" has sequence type; scan outputs must be tensors/);
  });

  it('Scan 9+: input axes and directions, output axes and directions, state, outer values', async () => {
    // state' = state + a_t * k (k outer); out0 = state', out1 = a_t - b_t.
    const body = graph('body', [vi('st', DataType.FLOAT, [2]), vi('a', DataType.FLOAT, [2]), vi('bb', DataType.FLOAT, [2])],
      [vi('st2', DataType.FLOAT, [2]), vi('o0', DataType.FLOAT, [2]), vi('o1', DataType.FLOAT, [2])], [
        nd('Mul', ['a', 'k'], ['ak']), nd('Add', ['st', 'ak'], ['st2']), nd('Identity', ['st2'], ['o0']), nd('Sub', ['a', 'bb'], ['o1']),
      ]);
    for (const opset of [11, 16]) {
      const b = new ModelBuilder({ opset });
      b.input('a', DataType.FLOAT, [2, 4]); // scanned along axis 1 (length 4)
      b.input('bb', DataType.FLOAT, [4, 2]); // scanned along axis 0, reversed
      b.init('k', DataType.FLOAT, [], [3]);
      b.init('s0', DataType.FLOAT, [2], [1, -1]);
      b.node('Scan', ['s0', 'a', 'bb'], {
        body, num_scan_inputs: 2, scan_input_axes: [1, 0], scan_input_directions: [0, 1], scan_output_axes: [0, -1], scan_output_directions: [1, 0],
      }, { outputs: ['s', 'y0', 'y1'] });
      b.output('s').output('y0').output('y1');
      const ours = await compare(b, { a: f32([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), bb: f32([4, 2], [10, 20, 30, 40, 50, 60, 70, 80]) }, ['s', 'y0', 'y1']);
      assert.deepEqual(ours.y1.shape, [2, 4]);
    }
  });

  it('Scan 8: batch axis, directions, sequence_lens all equal', async () => {
    const body = graph('body', [vi('st', DataType.FLOAT, [2]), vi('a', DataType.FLOAT, [2])],
      [vi('st2', DataType.FLOAT, [2]), vi('o', DataType.FLOAT, [2])], [nd('Add', ['st', 'a'], ['st2']), nd('Mul', ['st2', 'a'], ['o'])]);
    for (const withLens of [false, true]) {
      const b = new ModelBuilder({ opset: 8 });
      b.input('s0', DataType.FLOAT, [2, 2]);
      b.input('x', DataType.FLOAT, [2, 3, 2]);
      if (withLens) b.ints('lens', [3, 3]);
      b.node('Scan', [withLens ? 'lens' : '', 's0', 'x'], { body, num_scan_inputs: 1, directions: [1] }, { outputs: ['s', 'y'] });
      b.output('s').output('y');
      await compare(b, { s0: f32([2, 2], [0, 1, 2, 3]), x: f32([2, 3, 2], [1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6]) }, ['s', 'y']);
    }
    const b = new ModelBuilder({ opset: 8 });
    b.input('s0', DataType.FLOAT, [2, 2]);
    b.input('x', DataType.FLOAT, [2, 3, 2]);
    b.ints('lens', [3, 2]);
    b.node('Scan', ['lens', 's0', 'x'], { body, num_scan_inputs: 1 }, { outputs: ['s', 'y'] });
    b.output('s').output('y');
    assert.throws(() => createSession(b.build()).runSync({ s0: f32([2, 2], [0, 1, 2, 3]), x: f32([2, 3, 2], new Array(12).fill(1)) }), /only full-length sequences/);
  });

  it('Loop that runs zero times gives empty scan outputs from the body\'s declared shape', () => {
    const body = graph('body', [vi('i', DataType.INT64, []), vi('cin', DataType.BOOL, [])],
      [vi('cout', DataType.BOOL, []), vi('sc', DataType.FLOAT, [2, 3])], [nd('Identity', ['cin'], ['cout']), nd('ConstantOfShape', ['shp'], ['sc'])]);
    const b = new ModelBuilder({ opset: 13 });
    b.input('M', DataType.INT64, []);
    b.ints('shp', [2, 3]);
    b.node('Loop', ['M', ''], { body }, { outputs: ['ys'] });
    b.output('ys');
    const s = createSession(b.build());
    assert.deepEqual(s.runSync({ M: i64(0) }).ys.shape, [0, 2, 3]);
    assert.deepEqual(s.runSync({ M: i64(2) }).ys.shape, [2, 2, 3]);
  });
});
