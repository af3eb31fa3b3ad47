// Executor guardrails with private test ops: registry lookups, unsupported-op listing, ordering
// and cycles, memory limit, cancellation, observer, feeds, folding, functions, low precision, subgraphs.
import * as assert from 'node:assert/strict';
import { DataType, Node } from '../../src/onnx/ir';
import { float16ToFloat32, float32ToFloat16 } from '../../src/onnx/dtype';
import { createSession, NodeEvent } from '../../src/runtime/executor';
import { OpDef } from '../../src/runtime/op';
import { planModel } from '../../src/runtime/plan';
import { buildRegistry } from '../../src/runtime/registry';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { f, ModelBuilder, onnxTensor } from '../helpers/model-builder';

let runs: Record<string, number> = {};
const count = (op: string): void => { runs[op] = (runs[op] ?? 0) + 1; };

/** y = a + b (float32, same shape; b optional). */
const add: OpDef = {
  domain: '', opType: 'TAdd', since: 1,
  run([a, b], _attrs, ctx) {
    count('TAdd');
    const x = a as Tensor;
    const out = ctx.alloc(DataType.FLOAT, x.shape) as Float32Array;
    const xa = x.data as Float32Array;
    const xb = b ? (b.data as Float32Array) : undefined;
    for (let i = 0; i < out.length; i++) out[i] = xa[i] + (xb ? xb[i] : 0);
    return [makeTensor(DataType.FLOAT, x.shape, out)];
  },
};
/** y = x * scale (float attribute, default 1, parsed once). */
const scale: OpDef<number> = {
  domain: '', opType: 'TScale', since: 1,
  parse(ctx) { count('TScale.parse'); const a = ctx.node.attributes.find((t) => t.name === 'scale'); return a && a.type === 'float' ? a.value : 1; },
  run([x], s, ctx) {
    count('TScale');
    const t = x as Tensor;
    const out = ctx.alloc(DataType.FLOAT, t.shape) as Float32Array;
    const d = t.data as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] = d[i] * s;
    return [makeTensor(DataType.FLOAT, t.shape, out)];
  },
};
const scale7: OpDef<number> = { ...scale, since: 7 };
/** Allocates a tensor of the shape given by the `dims` attribute. */
const big: OpDef = {
  domain: '', opType: 'TBig', since: 1,
  run(_inputs, _a, ctx) {
    const dims = (ctx.node.attributes[0] as { value: number[] }).value;
    return [makeTensor(DataType.FLOAT, dims, ctx.alloc(DataType.FLOAT, dims))];
  },
};
const fail: OpDef = { domain: '', opType: 'TFail', since: 1, run() { throw new Error('kaboom'); } };
/** Reports its input dtype as a float output of the same shape (checks widening). */
const dtypeProbe: OpDef = {
  domain: '', opType: 'TProbe', since: 1,
  run([x], _a, ctx) {
    const t = x as Tensor;
    assert.equal(t.dtype, DataType.FLOAT, 'widened to float32');
    const out = ctx.alloc(DataType.FLOAT, t.shape) as Float32Array;
    out.set(t.data as Float32Array);
    for (let i = 0; i < out.length; i++) out[i] *= 2;
    return [makeTensor(DataType.FLOAT, t.shape, out)];
  },
};
/** Runs its `body` subgraph on its input and returns the body's outputs. */
const call: OpDef = {
  domain: '', opType: 'TCall', since: 1,
  run(inputs, _a, ctx) {
    assert.ok(ctx.runSubgraph, 'runSubgraph is offered for nodes with subgraphs');
    return ctx.runSubgraph('body', inputs);
  },
};
const registry = buildRegistry([add, scale, scale7, big, fail, dtypeProbe, call] as OpDef<unknown>[]);

const vec = (...v: number[]): Tensor => makeTensor(DataType.FLOAT, [v.length], Float32Array.from(v));
const values = (t: Tensor): number[] => Array.from(t.data as Float32Array);

describe('runtime: registry', () => {
  it('picks the highest since not above the opset; treats ai.onnx as the default domain', () => {
    assert.equal((registry.lookup('', 'TScale', 6) as { def: OpDef }).def.since, 1);
    assert.equal((registry.lookup('ai.onnx', 'TScale', 9) as { def: OpDef }).def.since, 7);
    assert.deepEqual(registry.lookup('', 'TScale', 0), { ok: false, versions: [1, 7] });
    assert.deepEqual(registry.versions('', 'Nope'), []);
  });
  it('refuses a duplicate registration', () => {
    assert.throws(() => buildRegistry([scale, { ...scale }] as OpDef<unknown>[]), /TScale since opset 1 is registered twice/);
  });
});

describe('runtime: planning', () => {
  beforeEach(() => { runs = {}; });

  it('lists every unsupported op of the model in one error', () => {
    const b = new ModelBuilder({ opset: 21 }).opset('com.foo', 1);
    const x = b.input('x', DataType.FLOAT, [2]);
    const y = b.op('Bar', [x], {}, { domain: 'com.foo' });
    const z = b.op('Baz', [y]);
    const w = b.op('Baz', [z]);
    b.op('TAdd', [w]);
    b.output(w);
    const reg = buildRegistry([add, { ...add, opType: 'Baz', since: 22 }, { ...add, opType: 'Baz', since: 23 }] as OpDef<unknown>[]);
    assert.throws(() => createSession(b.build(), { registry: reg }), (err: Error) => {
      assert.equal(err.name, 'UnsupportedError');
      assert.equal(err.message, 'unsupported ops: com.foo.Bar (opset 1), Baz (opset 21, have 22, 23)');
      return true;
    });
  });

  it('runs a graph whose nodes are not in topological order', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    b.node('TScale', ['h'], { scale: f(3) }, { outputs: ['y'] });
    b.node('TAdd', [x, x], {}, { outputs: ['h'] });
    b.output('y');
    const s = createSession(b.build(), { registry });
    assert.deepEqual(values(s.runSync({ x: vec(1, 2) }).y), [6, 12]);
  });

  it('reports a cycle with the nodes on it', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    b.node('TAdd', [x, 'c'], {}, { name: 'a', outputs: ['a'] });
    b.node('TAdd', ['a'], {}, { name: 'b', outputs: ['b'] });
    b.node('TAdd', ['b'], {}, { name: 'c', outputs: ['c'] });
    b.output('c');
    assert.throws(() => createSession(b.build(), { registry }),
      /the graph has a cycle: node "\w" \(TAdd\) → node "\w" \(TAdd\) → node "\w" \(TAdd\) → node "\w" \(TAdd\)/);
  });

  it('names a value that nothing defines', () => {
    const b = new ModelBuilder();
    b.input('x', DataType.FLOAT, [2]);
    b.node('TAdd', ['ghost'], {}, { name: 'n1', outputs: ['y'] });
    b.output('y');
    assert.throws(() => createSession(b.build(), { registry }), /node "n1" \(TAdd\) reads "ghost", which no node, graph input or initializer defines/);
  });

  it('calls parse once per node and folds initializer-only nodes, still reporting them to observers', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    const c = b.init('c', DataType.FLOAT, [2], [1, 2]);
    const c2 = b.op('TScale', [c], { scale: f(10) }, { name: 'fold' });
    b.node('TAdd', [x, c2], {}, { name: 'sum', outputs: ['y'] });
    b.output('y');
    const s = createSession(b.build(), { registry });
    assert.equal(runs['TScale'], 1, 'folded at plan time');
    const seen: string[] = [];
    for (let k = 0; k < 3; k++) assert.deepEqual(values(s.runSync({ x: vec(1, 1) }, { observer: (e) => seen.push(e.node.name) }).y), [11, 21]);
    assert.equal(runs['TScale'], 1, 'not run again');
    assert.equal(runs['TScale.parse'], 1, 'parsed once');
    assert.deepEqual(seen, ['fold', 'sum', 'fold', 'sum', 'fold', 'sum']);
    const unfolded = createSession(b.build(), { registry, constantFolding: false });
    unfolded.runSync({ x: vec(1, 1) });
    assert.equal(runs['TScale'], 2);
  });

  it('releases each intermediate after its last reader, never a graph output', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    const h1 = b.op('TAdd', [x], {}, { name: 'n0' });
    const h2 = b.op('TAdd', [h1], {}, { name: 'n1' });
    const y = b.op('TAdd', [h1, h2], {}, { name: 'n2' });
    b.output(y).output(h2);
    const plan = planModel(b.build(), { registry, constantFolding: true, context: (node) => ({ node, opset: 17, alloc: () => new Float32Array(0) }) });
    const name = (s: number): string => plan.slotNames[s];
    assert.deepEqual(plan.steps.map((st) => st.release.map(name).sort()), [['x'], [], [h1]]);
  });
});

describe('runtime: running', () => {
  beforeEach(() => { runs = {}; });

  function chain(n: number): ModelBuilder {
    const b = new ModelBuilder();
    let v = b.input('x', DataType.FLOAT, [2]);
    for (let i = 0; i < n; i++) v = b.op('TScale', [v], { scale: f(2) }, { name: `s${i}` });
    b.output(v);
    return b;
  }

  it('refuses an allocation above the memory limit, naming the node and op', () => {
    const b = new ModelBuilder();
    b.input('x', DataType.FLOAT, [2]);
    b.node('TBig', ['x'], { dims: [1000, 1000] }, { name: 'huge', outputs: ['y'] });
    b.output('y');
    const s = createSession(b.build(), { registry, maxTensorBytes: 1_000_000 });
    assert.throws(() => s.runSync({ x: vec(1, 2) }), (err: Error) => {
      assert.match(err.message, /^node "huge" \(TBig\): a float tensor of shape \[1000,1000\] needs 3\.8 MiB, above the memory limit of 976\.6 KiB/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });

  it('refuses negative and fractional dimensions', () => {
    for (const dims of [[2, -1], [1.5]]) {
      const b = new ModelBuilder();
      b.input('x', DataType.FLOAT, [2]);
      b.node('TBig', ['x'], { dims: dims.map((d) => (Number.isInteger(d) ? d : f(d))) as number[] }, { name: 'bad', outputs: ['y'] });
      b.output('y');
      assert.throws(() => createSession(b.build(), { registry }).runSync({ x: vec(1, 2) }), /node "bad" \(TBig\): invalid shape/);
    }
  });

  it('stops between nodes when the signal fires, with an AbortError', async () => {
    const s = createSession(chain(6).build(), { registry });
    const ac = new AbortController();
    const seen: string[] = [];
    const observer = (e: NodeEvent): void => { seen.push(e.node.name); if (seen.length === 2) ac.abort(); };
    assert.throws(() => s.runSync({ x: vec(1, 2) }, { observer, signal: ac.signal }), (err: Error) => err.name === 'AbortError' && /before node "s2"/.test(err.message));
    assert.deepEqual(seen, ['s0', 's1']);
    const ac2 = new AbortController();
    seen.length = 0;
    await assert.rejects(s.run({ x: vec(1, 2) }, { observer: (e) => { seen.push(e.node.name); if (seen.length === 3) ac2.abort(new Error('user pressed stop')); }, signal: ac2.signal }),
      (err: Error) => err.name === 'AbortError' && /user pressed stop/.test(err.message));
    assert.equal(runs['TScale'], 5);
  });

  it('gives the observer every node with its actual input and output tensors', () => {
    const s = createSession(chain(4).build(), { registry });
    const events: NodeEvent[] = [];
    const x = vec(1, -1);
    const out = s.runSync({ x }, { observer: (e) => events.push({ ...e }) });
    assert.deepEqual(events.map((e) => e.nodeIndex), [0, 1, 2, 3]);
    assert.equal(events[0].inputs[0], x, 'the feed itself, not a copy');
    for (let i = 1; i < 4; i++) assert.equal(events[i].inputs[0], events[i - 1].outputs[0]);
    assert.equal(events[3].outputs[0], Object.values(out)[0]);
    assert.deepEqual(values(events[2].outputs[0]), [8, -8]);
  });

  it('wraps a kernel error with the node name and op type', () => {
    const b = new ModelBuilder();
    b.input('x', DataType.FLOAT, [2]);
    b.node('TFail', ['x'], {}, { name: 'boom', outputs: ['y'] });
    b.node('TFail', ['y'], {}, { name: '', outputs: ['z'] });
    b.output('z');
    assert.throws(() => createSession(b.build(), { registry }).runSync({ x: vec(1, 2) }), /^NodeError: node "boom" \(TFail\): kaboom$/);
  });

  it('validates feeds: missing, unknown, dtype, rank and fixed dimensions', () => {
    const b = new ModelBuilder();
    b.input('x', DataType.FLOAT, [2, 'n']);
    b.node('TAdd', ['x'], {}, { outputs: ['y'] });
    b.output('y');
    const s = createSession(b.build(), { registry });
    const m = (shape: number[]): Tensor => makeTensor(DataType.FLOAT, shape, new Float32Array(shape.reduce((a, c) => a * c, 1)));
    assert.throws(() => s.runSync({}), /missing input "x" \(float \[2,n\]\)/);
    assert.throws(() => s.runSync({ x: m([2, 3]), q: m([1]) }), /unknown input "q" \(model inputs: x\)/);
    assert.throws(() => s.runSync({ x: makeTensor(DataType.INT32, [2, 1], new Int32Array(2)) }), /input "x": expected float, got int32/);
    assert.throws(() => s.runSync({ x: m([2]) }), /input "x": expected rank 2 \[2,n\], got shape \[2\]/);
    assert.throws(() => s.runSync({ x: m([3, 5]) }), /dimension 0 is fixed at 2/);
    assert.equal(s.runSync({ x: m([2, 7]) }).y.shape.join(','), '2,7');
  });

  it('lets a feed override an initializer that is also a graph input, and passes omitted inputs as undefined', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    const w = b.input('w', DataType.FLOAT, [2]);
    b.init('w', DataType.FLOAT, [2], [10, 20]);
    const h = b.op('TAdd', [x, ''], {}, { name: 'opt' });
    b.node('TAdd', [h, w], {}, { outputs: ['y'] });
    b.output('y');
    const s = createSession(b.build(), { registry });
    assert.deepEqual(values(s.runSync({ x: vec(1, 2) }).y), [11, 22]);
    assert.deepEqual(values(s.runSync({ x: vec(1, 2), w: vec(0, 1) }).y), [1, 3]);
    assert.equal(runs['TAdd'], 4, 'the node fed by a graph input is not folded');
  });

  it('densifies sparse initializers (linear and coordinate indices)', () => {
    for (const [indices, dims] of [[[1, 5], [2]], [[0, 1, 1, 2], [2, 2]]] as Array<[number[], number[]]>) {
      const b = new ModelBuilder();
      b.input('x', DataType.FLOAT, [2, 3]);
      b.node('TAdd', ['x', 's'], {}, { outputs: ['y'] });
      b.output('y');
      const m = b.build();
      m.graph.sparseInitializers.push({
        dims: [2, 3],
        values: onnxTensor('s', DataType.FLOAT, [2], Float32Array.from([7, 9])),
        indices: onnxTensor('s_idx', DataType.INT64, dims, BigInt64Array.from(indices.map(BigInt))),
      });
      const y = createSession(m, { registry }).runSync({ x: makeTensor(DataType.FLOAT, [2, 3], new Float32Array(6)) }).y;
      assert.deepEqual(values(y), [0, 7, 0, 0, 0, 9]);
    }
  });

  it('widens float16 inputs to float32 and narrows float32 outputs back', () => {
    const b = new ModelBuilder();
    b.input('x', DataType.FLOAT16, [3]);
    b.node('TProbe', ['x'], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT16);
    const h = Uint16Array.from([0.5, -3, 1024].map(float32ToFloat16));
    const y = createSession(b.build(), { registry }).runSync({ x: makeTensor(DataType.FLOAT16, [3], h) }).y;
    assert.equal(y.dtype, DataType.FLOAT16);
    assert.deepEqual(Array.from(y.data as Uint16Array).map(float16ToFloat32), [1, -6, 2048]);
  });

  it('expands model-local functions with ref_attr_name, defaults and nested calls', () => {
    const b = new ModelBuilder().opset('local', 1);
    const x = b.input('x', DataType.FLOAT, [2]);
    // Inner(a) = TScale(a, scale = @s); Outer(a) = Inner(a, s = @k) + a, k defaulting to 3.
    const ref = (name: string, r: string): Node['attributes'][number] => ({ name, type: 'float', value: 0, refAttrName: r });
    b.func({ name: 'Inner', domain: 'local', inputs: ['a'], outputs: ['b'], attributeNames: ['s'], attributeDefaults: [], docString: '',
      opsetImports: [{ domain: '', version: 17 }],
      nodes: [{ name: 'mul', opType: 'TScale', domain: '', inputs: ['a'], outputs: ['b'], attributes: [ref('scale', 's')], docString: '' }] });
    b.func({ name: 'Outer', domain: 'local', inputs: ['a'], outputs: ['c'], attributeNames: [], docString: '',
      attributeDefaults: [{ name: 'k', type: 'float', value: 3 }], opsetImports: [{ domain: '', version: 17 }, { domain: 'local', version: 1 }],
      nodes: [
        { name: 'in', opType: 'Inner', domain: 'local', inputs: ['a'], outputs: ['t'], attributes: [ref('s', 'k')], docString: '' },
        { name: 'plus', opType: 'TAdd', domain: '', inputs: ['t', 'a'], outputs: ['c'], attributes: [], docString: '' },
      ] });
    const y1 = b.op('Outer', [x], {}, { domain: 'local', name: 'o1' });
    b.node('Outer', [y1], { k: f(10) }, { domain: 'local', name: 'o2', outputs: ['y'] });
    b.output('y');
    const seen: Array<[string, number]> = [];
    const out = createSession(b.build(), { registry }).runSync({ x: vec(1, 2) }, { observer: (e) => seen.push([e.node.opType, e.nodeIndex]) });
    assert.deepEqual(values(out.y), [44, 88]); // (1·3+1)=4 → 4·10+4=44
    assert.deepEqual(seen, [['TScale', 0], ['TAdd', 0], ['TScale', 1], ['TAdd', 1]]);
  });

  it('runs subgraphs through RunContext.runSubgraph with outer values visible', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    b.input('w', DataType.FLOAT, [2]);
    const body = new ModelBuilder();
    body.input('p', DataType.FLOAT, [2]);
    body.node('TAdd', ['p', 'w'], {}, { name: 'inner', outputs: ['q'] });
    body.output('q');
    const g = body.build().graph;
    b.node('TCall', [x], { body: g }, { name: 'outer_call', outputs: ['y'] });
    b.output('y');
    const seen: string[] = [];
    const out = createSession(b.build(), { registry }).runSync({ x: vec(1, 2), w: vec(10, 20) }, { observer: (e) => seen.push(e.node.name) });
    assert.deepEqual(values(out.y), [11, 22]);
    assert.deepEqual(seen, ['inner', 'outer_call']);
  });
});
