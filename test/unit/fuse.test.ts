// Plan-time fusion (src/runtime/fuse.ts): fused runs equal unfused ones on Conv+BN+Relu,
// MatMul+Add+Relu and Gemm+Relu models built in code; kept values, graph outputs and values with
// several readers are never fused away; BatchNormalization with non-constant parameters stays; the
// model's initializers are never written.
import { strict as assert } from 'node:assert';
import { DataType, Model } from '../../src/onnx/ir';
import { float32ToFloat16 } from '../../src/onnx/dtype';
import { tensorValues } from '../../src/onnx/tensor-data';
import { createSession, NodeEvent, SessionOptions } from '../../src/runtime/executor';
import { FusionOptions } from '../../src/runtime/fuse';
import { FusedAttrs, fusedStep } from '../../src/runtime/fused-step';
import { planModel } from '../../src/runtime/plan';
import { getRegistry } from '../../src/runtime/registry';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { analysisFusion } from '../../src/analysis/fusion';
import { createStatsCollector } from '../../src/analysis/parallel';
import { findActivationSites } from '../../src/analysis/sites';
import * as path from 'node:path';
import { loadModel } from '../../src/onnx/load';
import { f, ModelBuilder, seeded } from '../helpers/model-builder';
import { fillStrippedWeights } from '../helpers/weights';

interface ConvCase { c: number; m: number; hw: number; k: number; group?: number; dilations?: number[]; pads?: number[]; strides?: number[]; bias?: boolean; dtype?: DataType }

/** x → Conv → BatchNormalization → act → y, with random constant weights and BN statistics. */
function convBnAct(cs: ConvCase, act: 'Relu' | 'LeakyRelu' | 'Clip' | 'none' = 'Relu', opts: { bnOutput?: boolean; convOutput?: boolean; bnParamsAsInputs?: boolean; xType?: DataType } = {}): Model {
  const b = new ModelBuilder({ opset: 13, seed: cs.c * 7 + cs.m });
  const dt = cs.dtype ?? DataType.FLOAT;
  const rand = (name: string, dims: number[], scale: number, offset = 0): string => {
    const n = dims.reduce((p, q) => p * q, 1);
    const v = Array.from({ length: n }, () => b.rng.normal() * scale + offset);
    return b.init(name, dt, dims, v);
  };
  b.input('x', opts.xType ?? dt, [1, cs.c, cs.hw, cs.hw]);
  const g = cs.group ?? 1;
  const W = rand('W', [cs.m, cs.c / g, cs.k, cs.k], 0.5);
  const ins = ['x', W];
  if (cs.bias !== false) ins.push(rand('B', [cs.m], 0.3));
  const attrs: Record<string, number[] | number> = { group: g };
  if (cs.dilations) attrs.dilations = cs.dilations;
  if (cs.pads) attrs.pads = cs.pads;
  if (cs.strides) attrs.strides = cs.strides;
  const conv = b.node('Conv', ins, attrs, { name: 'conv', outputs: ['conv_out'] })[0];
  const bnIns = opts.bnParamsAsInputs
    ? ['scale', 'beta', 'mean', 'var'].map((n) => b.input(n, dt, [cs.m]))
    : [rand('gamma', [cs.m], 0.5, 1), rand('beta', [cs.m], 0.5), rand('mean', [cs.m], 0.5), Array.from({ length: 1 }, () => {
      const v = Array.from({ length: cs.m }, () => 0.1 + b.rng.uniform() * 2);
      return b.init('var', dt, [cs.m], v);
    })[0]];
  const bn = b.node('BatchNormalization', [conv, ...bnIns], { epsilon: f(1e-3) }, { name: 'bn', outputs: ['bn_out'] })[0];
  let y = bn;
  if (act === 'Relu') y = b.node('Relu', [bn], {}, { name: 'act', outputs: ['y'] })[0];
  if (act === 'LeakyRelu') y = b.node('LeakyRelu', [bn], { alpha: f(0.1) }, { name: 'act', outputs: ['y'] })[0];
  if (act === 'Clip') {
    const lo = b.init('lo', dt, [], [0]);
    const hi = b.init('hi', dt, [], [1.5]);
    y = b.node('Clip', [bn, lo, hi], {}, { name: 'act', outputs: ['y'] })[0];
  }
  b.output(y, opts.xType ?? dt);
  if (opts.bnOutput && y !== bn) b.output(bn, dt);
  if (opts.convOutput) b.output(conv, dt);
  return b.build();
}

function feedsOf(model: Model, seed = 3): Record<string, Tensor> {
  const rng = seeded(seed);
  const feeds: Record<string, Tensor> = {};
  for (const i of model.graph.inputs) {
    const t = i.type;
    if (!t || t.kind !== 'tensor' || !t.shape) throw new Error('test inputs need shapes');
    const shape = t.shape as number[];
    const n = shape.reduce((p, q) => p * q, 1);
    const data = t.elemType === DataType.DOUBLE ? new Float64Array(n) : new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = i.name === 'var' ? 0.5 + rng.uniform() : rng.normal();
    feeds[i.name] = makeTensor(t.elemType, shape, data);
  }
  return feeds;
}

/** Runs the model once, returning its outputs and the events the observer saw (values copied). */
function runWith(model: Model, options: SessionOptions, feeds = feedsOf(model)) {
  const events: Array<{ node: string; inputs: Array<number[] | undefined>; outputs: number[][] }> = [];
  const observer = (e: NodeEvent): void => {
    events.push({ node: e.node.name, inputs: e.inputs.map((t) => (t ? Array.from(t.data as Float32Array) : undefined)), outputs: e.outputs.map((t) => Array.from(t.data as Float32Array)) });
  };
  const outs = createSession(model, options).runSync(feeds, { observer });
  const values: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(outs)) values[k] = Array.from(t.data as Float32Array);
  return { values, events, nodes: events.map((e) => e.node) };
}

function stepsOf(model: Model, fusion: FusionOptions | undefined) {
  return planModel(model, { registry: getRegistry(), constantFolding: true, context: (node, _i, opset) => ({ node, opset, alloc: () => { throw new Error('no alloc at plan time'); } }), fusion }).steps;
}

function assertClose(got: number[], want: number[], tol = 1e-5): void {
  assert.equal(got.length, want.length);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * Math.max(scale, 1e-30), `value ${i}: ${got[i]} vs ${want[i]}`);
  }
}

const CASES: ConvCase[] = [
  { c: 3, m: 4, hw: 7, k: 3 },
  { c: 4, m: 6, hw: 9, k: 3, group: 2, dilations: [2, 2], pads: [1, 2, 2, 1], strides: [2, 1] },
  { c: 6, m: 6, hw: 8, k: 3, group: 6, pads: [1, 1, 1, 1], bias: false },
  { c: 5, m: 3, hw: 6, k: 1, bias: false },
  { c: 2, m: 4, hw: 5, k: 3, dtype: DataType.DOUBLE, pads: [1, 1, 1, 1] },
];

describe('plan-time fusion', () => {
  for (const cs of CASES) {
    const label = `c${cs.c} m${cs.m} k${cs.k} g${cs.group ?? 1}${cs.dilations ? ' dilated' : ''}${cs.bias === false ? ' no bias' : ''}${cs.dtype === DataType.DOUBLE ? ' float64' : ''}`;
    it(`Conv+BN+Relu (${label}): one step, outputs equal the unfused run`, () => {
      const model = convBnAct(cs);
      assert.equal(stepsOf(model, undefined).length, 3);
      const fused = stepsOf(model, {});
      assert.equal(fused.length, 1);
      assert.deepEqual(fused[0].fused?.map((n) => n.name), ['conv', 'bn', 'act']);
      const want = runWith(model, {});
      const got = runWith(model, { fusion: { foldWeights: true } });
      assertClose(got.values.y, want.values.y);
      assert.deepEqual(got.nodes, [], 'fused nodes are not reported');
      // By default (no weight folding) the BatchNormalization is applied exactly as its kernel does.
      assert.deepEqual(runWith(model, { fusion: {} }).values.y, want.values.y);
    });
  }

  it('LeakyRelu and Clip with constant bounds fuse too', () => {
    for (const act of ['LeakyRelu', 'Clip'] as const) {
      const model = convBnAct(CASES[1], act);
      assert.equal(stepsOf(model, {}).length, 1, act);
      const want = runWith(model, {}).values.y;
      assertClose(runWith(model, { fusion: { foldWeights: true } }).values.y, want);
      assert.deepEqual(runWith(model, { fusion: {} }).values.y, want, act);
    }
  });

  it('a kept value stays: its reader is reported with the same values, and only the part before it fuses', () => {
    const model = convBnAct(CASES[1]);
    const steps = stepsOf(model, { keep: ['bn_out'] });
    assert.deepEqual(steps.map((s) => s.fused?.map((n) => n.name) ?? s.node.name), [['conv', 'bn'], 'act']);
    const want = runWith(model, {});
    const got = runWith(model, { fusion: { keep: ['bn_out'] } });
    assert.deepEqual(got.nodes, ['act']);
    assert.deepEqual(got.events[0], want.events.find((e) => e.node === 'act'));
    assert.deepEqual(got.values.y, want.values.y);
  });

  it('graph outputs are never fused away', () => {
    const model = convBnAct(CASES[0], 'Relu', { bnOutput: true });
    const steps = stepsOf(model, {});
    assert.deepEqual(steps.map((s) => s.fused?.map((n) => n.name) ?? s.node.name), [['conv', 'bn'], 'act']);
    const want = runWith(model, {});
    const got = runWith(model, { fusion: { foldWeights: true } });
    assertClose(got.values.bn_out, want.values.bn_out);
    assertClose(got.values.y, want.values.y);
    const convOut = convBnAct(CASES[0], 'Relu', { convOutput: true });
    assert.deepEqual(stepsOf(convOut, {}).map((s) => s.fused?.map((n) => n.name) ?? s.node.name), ['conv', 'bn', 'act']);
  });

  it('a value with two readers is not fused', () => {
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.FLOAT, [1, 2, 4, 4]);
    const conv = b.node('Conv', ['x', b.randn('W', [3, 2, 1, 1])], {}, { name: 'conv' })[0];
    const r = b.node('Relu', [conv], {}, { name: 'relu', outputs: ['r'] })[0];
    b.node('Add', [conv, r], {}, { name: 'add', outputs: ['y'] });
    b.output('y');
    const model = b.build();
    assert.equal(stepsOf(model, {}).filter((s) => s.fused).length, 0);
    assert.deepEqual(runWith(model, { fusion: {} }).nodes, ['conv', 'relu', 'add']);
  });

  it('BatchNormalization with parameters fed at run time is not folded', () => {
    const model = convBnAct(CASES[0], 'Relu', { bnParamsAsInputs: true });
    const steps = stepsOf(model, {});
    assert.equal(steps.filter((s) => s.fused).length, 0, 'Conv cannot absorb BN; BN is no fusion head');
    const got = runWith(model, { fusion: {} });
    assert.deepEqual(got.nodes, ['conv', 'bn', 'act']);
    assert.deepEqual(got.values.y, runWith(model, {}).values.y);
  });

  it('leaves the model initializers untouched', () => {
    const model = convBnAct(CASES[1]);
    const before = model.graph.initializers.map((t) => Array.from(tensorValues(t, model) as Float32Array));
    const s = createSession(model, { fusion: { foldWeights: true } });
    s.runSync(feedsOf(model));
    s.runSync(feedsOf(model, 9));
    assert.deepEqual(model.graph.initializers.map((t) => Array.from(tensorValues(t, model) as Float32Array)), before);
  });

  it('MatMul + Add(bias) + Relu and Gemm + Relu fuse and equal the unfused run', () => {
    const b = new ModelBuilder({ opset: 13, seed: 5 });
    b.input('x', DataType.FLOAT, [3, 2, 5]);
    const mm = b.node('MatMul', ['x', b.randn('W1', [5, 4])], {}, { name: 'mm' })[0];
    const add = b.node('Add', [b.randn('b1', [4]), mm], {}, { name: 'add' })[0];
    const h = b.node('Relu', [add], {}, { name: 'relu1' })[0];
    const flat = b.node('Reshape', [h, b.ints('shape', [3, 8])], {}, { name: 'flat' })[0];
    const gm = b.node('Gemm', [flat, b.randn('W2', [6, 8]), b.randn('b2', [6])], { transB: 1 }, { name: 'gemm' })[0];
    b.node('Relu', [gm], {}, { name: 'relu2', outputs: ['y'] });
    b.output('y');
    const model = b.build();
    const steps = stepsOf(model, {});
    assert.deepEqual(steps.map((s) => s.fused?.map((n) => n.name) ?? s.node.name), [['mm', 'add', 'relu1'], 'flat', ['gemm', 'relu2']]);
    const want = runWith(model, {});
    assert.deepEqual(runWith(model, { fusion: {} }).values.y, want.values.y);
    // Keeping the Relu inputs (as the analysis does) still merges MatMul+Add, exactly.
    const kept = runWith(model, { fusion: { keep: ['add_out', 'gemm_out'] } });
    assert.deepEqual(kept.nodes, ['relu1', 'flat', 'gemm', 'relu2']);
    assert.deepEqual(kept.events[0], want.events.find((e) => e.node === 'relu1'));
    assert.deepEqual(kept.values.y, want.values.y);
  });

  it('MatMul + Add + LeakyRelu over many rows (the epilogue works in blocks) equals the unfused run', () => {
    const b = new ModelBuilder({ opset: 13, seed: 8 });
    b.input('x', DataType.FLOAT, [2, 1100, 5]);
    const mm = b.node('MatMul', ['x', b.randn('W', [5, 4])], {}, { name: 'mm' })[0];
    const add = b.node('Add', [mm, b.randn('b', [4])], {}, { name: 'add' })[0];
    b.node('LeakyRelu', [add], { alpha: f(0.2) }, { name: 'act', outputs: ['y'] });
    b.output('y');
    const model = b.build();
    assert.equal(stepsOf(model, {}).length, 1);
    const want = runWith(model, {}).values.y;
    assert.ok(want.some((v) => v < 0) && want.some((v) => v > 0));
    assert.deepEqual(runWith(model, { fusion: {} }).values.y, want);
  });

  it('Add + Relu (a residual sum) fuses for float32 and float64, and runs unfused for other dtypes', () => {
    for (const dt of [DataType.FLOAT, DataType.DOUBLE, DataType.INT32, DataType.FLOAT16]) {
      const b = new ModelBuilder({ opset: 14 });
      b.input('a', dt, [2, 3, 4]);
      b.input('c', dt, [3, 4]);
      const s = b.node('Add', ['a', 'c'], {}, { name: 'add' })[0];
      b.node('Relu', [s], {}, { name: 'relu', outputs: ['y'] });
      b.output('y', dt);
      const model = b.build();
      assert.deepEqual(stepsOf(model, {}).map((st) => st.fused?.map((n) => n.name)), [['add', 'relu']]);
      const rng = seeded(dt);
      const feeds: Record<string, Tensor> = {};
      for (const [name, shape] of [['a', [2, 3, 4]], ['c', [3, 4]]] as const) {
        const n = shape.reduce((p, q) => p * q, 1);
        const vals = Array.from({ length: n }, () => rng.normal() * 5);
        const data = dt === DataType.FLOAT ? Float32Array.from(vals) : dt === DataType.DOUBLE ? Float64Array.from(vals)
          : dt === DataType.INT32 ? Int32Array.from(vals.map(Math.round)) : Uint16Array.from(vals.map(float32ToFloat16));
        feeds[name] = makeTensor(dt, [...shape], data);
      }
      const want = createSession(model).runSync(feeds).y;
      const got = createSession(model, { fusion: {} }).runSync(feeds).y;
      assert.equal(got.dtype, dt);
      assert.deepEqual(Array.from(got.data as Float32Array), Array.from(want.data as Float32Array), `dtype ${dt}`);
      assert.ok(Array.from(want.data as Float32Array).some((v) => v === 0), 'some sums are negative');
    }
  });

  it('a Conv fed another dtype than its weights runs node by node, as unfused', () => {
    const model = convBnAct(CASES[0], 'Relu', { xType: DataType.FLOAT16 });
    const x = feedsOf(convBnAct(CASES[0])).x;
    const feeds = { x: makeTensor(DataType.FLOAT16, x.shape, Uint16Array.from(x.data as Float32Array, float32ToFloat16)) };
    // The executor widens the float16 input for Conv (whose weights are float32); fusion must not change that.
    const want = createSession(model).runSync(feeds).y;
    const got = createSession(model, { fusion: {} }).runSync(feeds).y;
    assert.equal(got.dtype, want.dtype);
    assert.deepEqual(Array.from(got.data as Uint16Array), Array.from(want.data as Uint16Array));
  });

  for (const [name, seed] of [['resnet18', 101], ['mobilenet_v2', 102], ['transformer_encoder', 105]] as const) {
    it(`${name} (test fixture): exact by default, within 1e-5 of the output scale with folded weights`, () => {
      const model = fillStrippedWeights(loadModel(path.join(__dirname, '..', 'fixtures', 'models', `${name}.onnx`)), seed);
      const fusedSteps = stepsOf(model, {}).filter((st) => st.fused).length;
      assert.ok(fusedSteps > 0, 'something fuses');
      const x = model.graph.inputs[0];
      const shape = name === 'transformer_encoder' ? [2, 16, 64] : [1, 3, 224, 224];
      const rng = seeded(seed);
      const feeds = { [x.name]: makeTensor(DataType.FLOAT, shape, Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.normal())) };
      const want = createSession(model).runSync(feeds);
      const got = createSession(model, { fusion: { foldWeights: true } }).runSync(feeds);
      const exact = createSession(model, { fusion: {} }).runSync(feeds);
      for (const k of Object.keys(want)) {
        assertClose(Array.from(got[k].data as Float32Array), Array.from(want[k].data as Float32Array));
        assert.deepEqual(Array.from(exact[k].data as Float32Array), Array.from(want[k].data as Float32Array));
      }
    });
  }

  /** x → [Conv → BN → Relu → Conv → BN] + skip → Relu; the skip is x, or Conv → BN of x (downsample), or a [1,C,1,1] tensor. */
  function residualBlock(skip: 'identity' | 'downsample' | 'broadcast'): Model {
    const b = new ModelBuilder({ opset: 13, seed: 11 });
    b.input('x', DataType.FLOAT, [1, 4, 6, 6]);
    const bn = (x: string, name: string): string => b.node('BatchNormalization', [x, b.randn(`${name}.g`, [4], 0.3, 1), b.randn(`${name}.b`, [4], 0.3), b.randn(`${name}.m`, [4], 0.3),
      b.init(`${name}.v`, DataType.FLOAT, [4], [0.5, 1, 1.5, 2])], {}, { name })[0];
    const c1 = b.node('Conv', ['x', b.randn('w1', [4, 4, 3, 3], 0.3)], { pads: [1, 1, 1, 1] }, { name: 'conv1' })[0];
    const r1 = b.node('Relu', [bn(c1, 'bn1')], {}, { name: 'relu1' })[0];
    const c2 = b.node('Conv', [r1, b.randn('w2', [4, 4, 3, 3], 0.3)], { pads: [1, 1, 1, 1] }, { name: 'conv2' })[0];
    const main = bn(c2, 'bn2');
    let other = 'x';
    if (skip === 'downsample') other = bn(b.node('Conv', ['x', b.randn('wd', [4, 4, 1, 1], 0.5)], {}, { name: 'convd' })[0], 'bnd');
    if (skip === 'broadcast') other = b.input('s', DataType.FLOAT, [1, 4, 1, 1]);
    const sum = b.node('Add', [main, other], {}, { name: 'add', outputs: ['sum'] })[0];
    b.node('Relu', [sum], {}, { name: 'relu2', outputs: ['y'] });
    b.output('y');
    return b.build();
  }

  for (const skip of ['identity', 'downsample', 'broadcast'] as const) {
    it(`a residual Add joins the Conv+BN chain before the Relu (${skip} skip), exactly`, () => {
      const model = residualBlock(skip);
      const names = stepsOf(model, {}).map((st) => st.fused?.map((n) => n.name) ?? st.node.name);
      if (skip === 'downsample') {
        // One branch takes the Add (whichever comes first in the order); the other is Conv+BN alone.
        assert.equal(names.length, 3);
        assert.deepEqual(names[0], ['conv1', 'bn1', 'relu1']);
        assert.ok(names.some((n) => Array.isArray(n) && n.join() === 'conv2,bn2,add,relu2') || names.some((n) => Array.isArray(n) && n.join() === 'convd,bnd,add,relu2'), JSON.stringify(names));
      } else {
        assert.deepEqual(names, [['conv1', 'bn1', 'relu1'], ['conv2', 'bn2', 'add', 'relu2']]);
      }
      const want = runWith(model, {});
      assert.deepEqual(runWith(model, { fusion: {} }).values.y, want.values.y);
      assertClose(runWith(model, { fusion: { foldWeights: true } }).values.y, want.values.y);
      // The analysis keeps the Relu inputs: Conv+BN(+Add) still merge, the Relus run and are reported.
      const sites = findActivationSites(model);
      const kept = runWith(model, { fusion: analysisFusion(sites) });
      assert.deepEqual(kept.nodes, ['relu1', 'relu2']);
      for (const e of kept.events) assert.deepEqual(e, want.events.find((w) => w.node === e.node));
    });
  }

  it('the epilogue keeps the unfused rounding, Relu and Clip on special values (NaN, ±∞, ±0, underflow), with and without a residual', () => {
    const vals = [NaN, -Infinity, Infinity, -0, 0, 1e-45, -1e-45, -3, 3, -1e-20, 1e-20, 2.5, -7, 0.1, -0.1, 65504];
    const C = 2;
    const S = vals.length;
    const x = new Float32Array([...vals, ...vals.map((v) => -v)]);
    const z = Float32Array.from({ length: C * S }, (_, i) => [0, -0, 1, -1, 1e-30, NaN][i % 6]);
    const scale = new Float64Array([1, 1e-30]);
    const shift = new Float64Array([-0, 0]);
    const identity = { domain: '', opType: 'Identity', since: 1, run: (ins: ReadonlyArray<Tensor | undefined>) => [makeTensor(DataType.FLOAT, ins[0]!.shape, (ins[0]!.data as Float32Array).slice())] };
    for (const withZ of [false, true]) {
      for (const act of ['Relu', 'None', 'Clip'] as const) {
        const [lo, hi] = [-1, 2.5];
        const attrs: FusedAttrs = {
          head: identity, headAttrs: undefined, replace: [], channel: { scale, shift }, act: { kind: act, alpha: lo, beta: hi, gamma: 0 }, chain: [], dtype: DataType.FLOAT,
          ...(withZ ? { residual: 1, residualLink: 0 } : {}),
        };
        const inputs = [makeTensor(DataType.FLOAT, [1, C, S], x), ...(withZ ? [makeTensor(DataType.FLOAT, [1, C, S], z)] : [])];
        const got = fusedStep.run(inputs, attrs, { node: { name: 'n', opType: 'Fused', domain: '', inputs: [], outputs: ['y'], attributes: [], docString: '' }, opset: 1, alloc: () => { throw new Error('no alloc'); } })[0].data as Float32Array;
        // The unfused nodes: BatchNormalization stores x·k + shift as float32, Add stores the float32 sum, Relu v < 0 ? 0 : v.
        const want = new Float32Array(C * S);
        for (let i = 0; i < want.length; i++) {
          const c = Math.floor(i / S);
          let v = Math.fround(x[i] * scale[c] + shift[c]);
          if (withZ) v = Math.fround(v + z[i]);
          want[i] = act === 'Relu' ? (v < 0 ? 0 : v) : act === 'Clip' ? (v < lo ? lo : v > hi ? hi : v) : v;
        }
        for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]), `${act}${withZ ? ' +z' : ''} [${i}]: ${got[i]} vs ${want[i]}`);
      }
    }
  });

  it('nodes expanded from a model-local function, and subgraph bodies, are not fused', () => {
    const b = new ModelBuilder({ opset: 13 }).opset('local', 1);
    b.input('x', DataType.FLOAT, [1, 2, 3, 3]);
    const w = b.randn('W', [2, 2, 1, 1]);
    b.func({ name: 'Block', domain: 'local', inputs: ['a', 'k'], outputs: ['r'], attributeNames: [], attributeDefaults: [], docString: '',
      opsetImports: [{ domain: '', version: 13 }],
      nodes: [
        { name: 'fconv', opType: 'Conv', domain: '', inputs: ['a', 'k'], outputs: ['c'], attributes: [], docString: '' },
        { name: 'frelu', opType: 'Relu', domain: '', inputs: ['c'], outputs: ['r'], attributes: [], docString: '' },
      ] });
    const blk = b.node('Block', ['x', w], {}, { domain: 'local', name: 'blk' })[0];
    const then = new ModelBuilder({ opset: 13 });
    then.node('Conv', [blk, w], {}, { name: 'sconv', outputs: ['sc'] });
    then.node('Relu', ['sc'], {}, { name: 'srelu', outputs: ['sr'] });
    then.output('sr');
    const cond = b.init('cond', DataType.BOOL, [], [1]);
    b.node('If', [cond], { then_branch: then.build().graph, else_branch: then.build().graph }, { name: 'if', outputs: ['y'] });
    b.output('y');
    const model = b.build();
    assert.equal(stepsOf(model, {}).filter((st) => st.fused).length, 0);
    const want = runWith(model, {});
    const got = runWith(model, { fusion: {} });
    assert.deepEqual(want.nodes, ['blk#0/fconv', 'blk#0/frelu', 'sconv', 'srelu', 'if']);
    assert.deepEqual(got.nodes, want.nodes);
    assert.deepEqual(got.values.y, want.values.y);
  });

  it('the analysis fusion keeps every site input: statistics are bit-identical to an unfused run', () => {
    const model = convBnAct(CASES[1], 'Clip');
    const sites = findActivationSites(model);
    assert.equal(sites.length, 1);
    const fusion = analysisFusion(sites);
    assert.deepEqual(stepsOf(model, fusion).map((s) => s.fused?.map((n) => n.name) ?? s.node.name), [['conv', 'bn'], 'act']);
    const stats = (options: SessionOptions): string => {
      const c = createStatsCollector(model, sites);
      const s = createSession(model, options);
      for (const seed of [1, 2, 3]) {
        c.setBatch(seed - 1, 1);
        s.runSync(feedsOf(model, seed), { observer: c.observer });
      }
      return JSON.stringify(c.stats, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
    };
    assert.equal(stats({ fusion }), stats({}));
  });
});
