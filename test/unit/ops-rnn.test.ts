// RNN, GRU and LSTM checked against onnxruntime-node on built models: every direction, sequence
// lengths, initial states, layout 1, linear_before_reset, peepholes, activation lists with
// alpha/beta and clip; plus attribute errors.

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, sizeOf, Tensor } from '../../src/runtime/tensor';
import { AttrValue, f, ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

interface Case {
  op: 'RNN' | 'GRU' | 'LSTM';
  dir: 'forward' | 'reverse' | 'bidirectional';
  layout?: number;
  lens?: number[];
  init?: boolean;
  bias?: boolean;
  peep?: boolean;
  attrs?: Record<string, AttrValue>;
}

const GATES = { RNN: 1, GRU: 3, LSTM: 4 };

/** Swaps the first two axes of a row-major [a, b, rest] array. */
function swap01(src: Float32Array, a: number, b: number, rest: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out.set(src.subarray((i * b + j) * rest, (i * b + j + 1) * rest), (j * a + i) * rest);
  return out;
}

function randn(r: { normal(): number }, n: number, scale: number): Float32Array {
  return new Float32Array(n).map(() => r.normal() * scale);
}

/**
 * Runs the case on our executor and on onnxruntime. onnxruntime has no layout 1, so for layout-1
 * cases it runs the equivalent layout-0 model on transposed inputs and its outputs are transposed.
 */
async function check(c: Case): Promise<void> {
  const seq = 4;
  const batch = 3;
  const input = 2;
  const H = 3;
  const D = c.dir === 'bidirectional' ? 2 : 1;
  const G = GATES[c.op] * H;
  const r = new ModelBuilder({ seed: seq + G + D }).rng;
  const w = randn(r, D * G * input, 0.7);
  const rr = randn(r, D * G * H, 0.7);
  const bias = randn(r, D * 2 * G, 0.3);
  const h0 = randn(r, D * batch * H, 0.5); // stored in layout 0
  const c0 = randn(r, D * batch * H, 0.5);
  const p = randn(r, D * 3 * H, 0.5);
  const x0 = randn(r, seq * batch * input, 1);
  const outs = c.op === 'LSTM' ? ['Y', 'Yh', 'Yc'] : ['Y', 'Yh'];
  const make = (layout: number): { model: ReturnType<ModelBuilder['build']>; x: Float32Array; xShape: number[] } => {
    const b = new ModelBuilder({ opset: 22 });
    const xShape = layout ? [batch, seq, input] : [seq, batch, input];
    const sShape = layout ? [batch, D, H] : [D, batch, H];
    const st = (v: Float32Array): Float32Array => (layout ? swap01(v, D, batch, H) : v);
    const ins = [
      b.input('X', DataType.FLOAT, xShape),
      b.init('W', DataType.FLOAT, [D, G, input], w),
      b.init('R', DataType.FLOAT, [D, G, H], rr),
      c.bias ? b.init('B', DataType.FLOAT, [D, 2 * G], bias) : '',
      c.lens ? b.init('L', DataType.INT32, [batch], c.lens) : '',
      c.init ? b.init('H0', DataType.FLOAT, sShape, st(h0)) : '',
    ];
    if (c.op === 'LSTM') ins.push(c.init ? b.init('C0', DataType.FLOAT, sShape, st(c0)) : '', c.peep ? b.init('P', DataType.FLOAT, [D, 3 * H], p) : '');
    b.node(c.op, ins, { hidden_size: H, direction: c.dir, layout, ...c.attrs }, { outputs: outs });
    for (const o of outs) b.output(o);
    return { model: b.build(), x: layout ? swap01(x0, seq, batch, input) : x0, xShape };
  };
  const layout = c.layout ?? 0;
  const mine = make(layout);
  const ours = createSession(mine.model).runSync({ X: makeTensor(DataType.FLOAT, mine.xShape, mine.x) });
  const ref = make(0);
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(ref.model)));
  const theirs = await session.run({ X: new ort.Tensor('float32', ref.x, ref.xShape) });
  for (const o of outs) {
    const got: Tensor = ours[o];
    let want = theirs[o].data as Float32Array;
    let wantShape = [...theirs[o].dims].map(Number);
    if (layout === 1) {
      if (o === 'Y') {
        const t = new Float32Array(want.length);
        for (let s = 0; s < seq; s++) for (let d = 0; d < D; d++) for (let bi = 0; bi < batch; bi++) {
          t.set(want.subarray(((s * D + d) * batch + bi) * H, ((s * D + d) * batch + bi + 1) * H), ((bi * seq + s) * D + d) * H);
        }
        want = t;
        wantShape = [batch, seq, D, H];
      } else {
        want = swap01(want, D, batch, H);
        wantShape = [batch, D, H];
      }
    }
    assert.deepEqual([...got.shape], wantShape, `${o} shape`);
    const g = got.data as Float32Array;
    assert.equal(g.length, sizeOf(wantShape));
    for (let i = 0; i < want.length; i++) {
      assert.ok(Math.abs(g[i] - want[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]), `${JSON.stringify(c)} ${o}[${i}]: ours ${g[i]}, onnxruntime ${want[i]}`);
    }
  }
}

describe('recurrent ops agree with onnxruntime', () => {
  for (const op of ['RNN', 'GRU', 'LSTM'] as const) {
    for (const dir of ['forward', 'reverse', 'bidirectional'] as const) {
      it(`${op} ${dir} with bias, initial state and sequence lengths`, async () => {
        await check({ op, dir, bias: true, init: true, lens: [4, 2, 3], peep: true });
      });
      it(`${op} ${dir} layout 1`, async () => {
        await check({ op, dir, layout: 1, bias: true, init: true, lens: [1, 4, 2] });
      });
    }
    it(`${op} with clip`, async () => {
      await check({ op, dir: 'bidirectional', bias: true, attrs: { clip: f(0.4) } });
    });
  }
  it('GRU linear_before_reset', async () => {
    await check({ op: 'GRU', dir: 'bidirectional', bias: true, init: true, lens: [3, 4, 1], attrs: { linear_before_reset: 1 } });
  });
  it('RNN with per-direction activations and alpha/beta', async () => {
    await check({ op: 'RNN', dir: 'bidirectional', bias: true, attrs: { activations: ['LeakyRelu', 'HardSigmoid'], activation_alpha: [f(0.3), f(0.25)], activation_beta: [f(0.4)] } });
  });
  it('GRU with ScaledTanh / Affine activations', async () => {
    await check({ op: 'GRU', dir: 'forward', bias: true, attrs: { activations: ['HardSigmoid', 'ScaledTanh'], activation_alpha: [f(0.3), f(0.8)], activation_beta: [f(0.5), f(1.2)] } });
  });
  it('LSTM with input_forget', async () => {
    await check({ op: 'LSTM', dir: 'forward', bias: true, init: true, attrs: { input_forget: 1 } });
  });
});

describe('recurrent op attribute errors', () => {
  const build = (attrs: Record<string, AttrValue>): (() => unknown) => () => {
    const b = new ModelBuilder({ opset: 22 });
    b.input('X', DataType.FLOAT, [1, 1, 2]);
    b.node('RNN', ['X', b.randn('W', [1, 2, 2]), b.randn('R', [1, 2, 2])], attrs, { outputs: ['Y'] });
    b.output('Y');
    const s = createSession(b.build());
    return s.runSync({ X: makeTensor(DataType.FLOAT, [1, 1, 2], new Float32Array(2)) });
  };
  it('rejects an unknown activation and a wrong activation count', () => {
    assert.throws(build({ hidden_size: 2, activations: ['Gelu'] }), /activation 'Gelu' is not supported/);
    assert.throws(build({ hidden_size: 2, activations: ['Tanh', 'Tanh', 'Tanh'] }), /activations lists 3 functions/);
  });
  it('rejects a missing hidden_size and a bad direction', () => {
    assert.throws(build({}), /hidden_size must be a positive int/);
    assert.throws(build({ hidden_size: 2, direction: 'sideways' }), /direction 'sideways'/);
  });
});
