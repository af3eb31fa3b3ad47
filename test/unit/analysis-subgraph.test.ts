// ReLU sites inside model-local functions and subgraphs are observed: a function's site aggregates
// over its calls, a Loop or Scan body's over its iterations, and an If branch that never runs is reported
// as not reached (no units), never as dead. Proofs leave such sites undecided.
import { strict as assert } from 'node:assert';
import { analyzeLoadedModel } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { DataType, Graph, Model, OnnxTensor, ValueInfo } from '../../src/onnx/ir';
import * as m from '../helpers/analysis-models';

const N = 10;
const X = m.uniforms(11, N * 5, 0.01, 1);

function vi(name: string, dt: DataType, shape: Array<number | string>): ValueInfo {
  return { name, docString: '', type: { kind: 'tensor', elemType: dt, shape } };
}

function graph(name: string, nodes: Graph['nodes'], inputs: ValueInfo[], outputs: string[], initializers: OnnxTensor[] = []): Graph {
  return { name, nodes, initializers, sparseInitializers: [], inputs, outputs: outputs.map((o) => ({ name: o, docString: '' })), valueInfo: [], docString: '', quantizationAnnotation: [] };
}

const i64 = (name: string, v: number): OnnxTensor => ({ name, dataType: DataType.INT64, dims: [], docString: '', storage: { kind: 'fields', values: BigInt64Array.of(BigInt(v)) } });

function analyse(model: Model): Promise<Report> {
  return analyzeLoadedModel(model, {}, {}, { openSource: () => m.fixedSource(X, [5], 4) });
}

function layer(r: Report, id: string) {
  const l = r.layers.find((x) => x.node === id);
  assert.ok(l, `layer ${id} in ${r.layers.map((x) => x.node).join(', ')}`);
  return l;
}

describe('analysis: ReLU sites in functions and subgraphs', () => {
  it('a function called twice is one site whose statistics aggregate over both calls', async () => {
    // Block(a) = Relu(a). Call 1 on x + b1 (unit 0 dead: −2; unit 4 dead: −3), call 2 on x + b2
    // (unit 4 lifted by +10): over both calls only unit 0 never fires.
    const fn = { name: 'Block', domain: 'local', inputs: ['a'], outputs: ['b'], attributeNames: [], attributeDefaults: [], nodes: [m.node('Relu', ['a'], ['b'], {}, { name: 'fr' })], opsetImports: [{ domain: '', version: 17 }], docString: '' };
    const model = m.model([
      m.node('Add', ['x', 'b1'], ['h1'], {}, { name: 'add1' }),
      m.node('Block', ['h1'], ['z1'], {}, { name: 'call1', domain: 'local' }),
      m.node('Add', ['x', 'b2'], ['h2'], {}, { name: 'add2' }),
      m.node('Block', ['h2'], ['z2'], {}, { name: 'call2', domain: 'local' }),
      m.node('Add', ['z1', 'z2'], ['y'], {}, { name: 'sum' }),
    ], [m.f32('b1', [5], [-2, 0, 0, 0, -3]), m.f32('b2', [5], [-2, 0, 0, 0, 10])], ['N', 5], {
      opsets: [{ domain: '', version: 17 }, { domain: 'local', version: 1 }], functions: [fn],
    });
    const r = await analyse(model);
    const l = layer(r, 'function:local.Block/fr');
    assert.equal(l.units, 5);
    assert.deepEqual(l.dead, [0]);
    assert.equal(l.activationRate[4], 0.5, 'unit 4 fires in one of the two calls of every sample');
    assert.equal(l.activationRate[1], 1);
    assert.match(l.note ?? '', /aggregate over every call/);
    assert.equal(l.proofAvailable, false, 'no proofs inside functions');
    assert.deepEqual(l.provenDead, []);
  });

  it('a Loop body\'s ReLU aggregates over its iterations', async () => {
    // v0 = x + b0; three iterations of r = Relu(v); v = r − 1. Unit 0 (v0 < 0) never fires; unit 3
    // (v0 = x in (0, 1)) fires in the first iteration only; unit 1 (x + 5) in all three.
    const body = graph('body', [
      m.node('Relu', ['v'], ['r'], {}, { name: 'body_relu' }),
      m.node('Sub', ['r', 'one'], ['v_next'], {}, { name: 'dec' }),
      m.node('Identity', ['cin'], ['cout'], {}, { name: 'keep' }),
    ], [vi('i', DataType.INT64, []), vi('cin', DataType.BOOL, []), vi('v', DataType.FLOAT, ['N', 5])], ['cout', 'v_next']);
    const loop = m.node('Loop', ['M', '', 'v0'], ['y'], {}, { name: 'loop0' });
    loop.attributes = [{ name: 'body', type: 'graph', value: body }];
    const model = m.model([m.node('Add', ['x', 'b0'], ['v0'], {}, { name: 'add' }), loop],
      [m.f32('b0', [5], [-2, 5, 0.5, 0, 0]), m.f32('one', [], [1]), i64('M', 3)], ['N', 5]);
    const r = await analyse(model);
    const l = layer(r, 'loop0/body/body_relu');
    assert.equal(l.graphPath, 'loop0/body');
    assert.equal(l.units, 5);
    assert.deepEqual(l.dead, [0]);
    assert.equal(l.activationRate[1], 1);
    assert.ok(Math.abs(l.activationRate[3] - 1 / 3) < 1e-3, `unit 3 fires in 1 of 3 iterations: ${l.activationRate[3]}`);
    assert.equal(r.samples.count, N);
    assert.ok(r.notes.some((n) => /Loop and Scan iterations/.test(n)));
  });

  it('a Scan body\'s ReLU aggregates over the scanned rows', async () => {
    // Scan over axis 0 of x [N, 5]: each iteration sees one row; r = Relu(row + b) with b from the
    // outer scope (unit 0: −2, never fires; unit 4: +5, always fires); the state sums r.
    const body = graph('body', [
      m.node('Add', ['row', 'b'], ['h'], {}, { name: 'scan_add' }),
      m.node('Relu', ['h'], ['r'], {}, { name: 'scan_relu' }),
      m.node('Add', ['s', 'r'], ['s_next'], {}, { name: 'acc' }),
    ], [vi('s', DataType.FLOAT, [5]), vi('row', DataType.FLOAT, [5])], ['s_next', 'r']);
    const scan = m.node('Scan', ['s0', 'x'], ['s_final', 'y'], { num_scan_inputs: 1 }, { name: 'scan0' });
    scan.attributes.push({ name: 'body', type: 'graph', value: body });
    const model = m.model([scan], [m.f32('s0', [5], [0, 0, 0, 0, 0]), m.f32('b', [5], [-2, 0, 0, 0, 5])], ['N', 5]);
    const r = await analyse(model);
    const l = layer(r, 'scan0/body/scan_relu');
    assert.equal(l.graphPath, 'scan0/body');
    assert.equal(l.units, 5);
    assert.deepEqual(l.dead, [0]);
    assert.equal(l.activationRate[4], 1);
    assert.equal(l.activationRate[1], 1, 'x > 0 everywhere, so unit 1 always fires');
    assert.equal(l.proofAvailable, false);
  });

  it('an If branch that never runs is not reached (no units), not dead; the branch taken is observed', async () => {
    // cond = sum(x) > 1000: never true on inputs in (0, 1), so only the else branch runs.
    const then = graph('then', [m.node('Relu', ['x'], ['t'], {}, { name: 'then_relu' })], [], ['t']);
    const els = graph('else', [m.node('Add', ['x', 'shift'], ['e0'], {}, { name: 'shift_add' }), m.node('Relu', ['e0'], ['e'], {}, { name: 'else_relu' })], [], ['e']);
    const iff = m.node('If', ['cond'], ['y'], {}, { name: 'branch' });
    iff.attributes = [{ name: 'then_branch', type: 'graph', value: then }, { name: 'else_branch', type: 'graph', value: els }];
    const model = m.model([
      m.node('ReduceSum', ['x'], ['s'], { keepdims: 0 }, { name: 'total' }),
      m.node('Greater', ['s', 'big'], ['cond'], {}, { name: 'test' }),
      iff,
    ], [m.f32('big', [], [1000]), m.f32('shift', [5], [-5, 0, 0, 0, 0])], ['N', 5]);
    const r = await analyse(model);
    const taken = layer(r, 'branch/else_branch/else_relu');
    assert.equal(taken.units, 5);
    assert.deepEqual(taken.dead, [0]);
    const skipped = layer(r, 'branch/then_branch/then_relu');
    assert.equal(skipped.units, 0);
    assert.deepEqual(skipped.dead, []);
    assert.match(skipped.note ?? '', /not reached/);
    assert.equal(r.totals.dead, 1, 'the branch not taken adds nothing to the totals');
  });
});
