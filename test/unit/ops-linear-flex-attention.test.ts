// LinearAttention (opset 27) and preview FlexAttention on hand-computed cases: the linear rule with two query heads sharing
// one key/value head, the gated delta rule with a past state, and one-line errors for bad inputs.
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { f, ModelBuilder } from '../helpers/model-builder';

const t = (shape: number[], v: number[]): Tensor => makeTensor(DataType.FLOAT, shape, Float32Array.from(v));

function model(inputs: Record<string, number[]>, order: string[], attrs: Record<string, unknown>): ModelBuilder {
  const b = new ModelBuilder({ opset: 27 });
  for (const [name, shape] of Object.entries(inputs)) b.input(name, DataType.FLOAT, shape);
  b.node('LinearAttention', order, attrs as never, { outputs: ['y', 'state'] });
  b.output('y').output('state');
  return b;
}

describe('LinearAttention', () => {
  it('linear rule, 2 query heads on 1 KV head, dk = dv = 1: o_t = scale · q_t · Σ k v', () => {
    const b = model({ q: [1, 2, 2], k: [1, 2, 1], v: [1, 2, 1] }, ['q', 'k', 'v'], { update_rule: 'linear', q_num_heads: 2, kv_num_heads: 1, scale: f(0.5) });
    const r = createSession(b.build()).runSync({ q: t([1, 2, 2], [1, 2, 3, 4]), k: t([1, 2, 1], [2, 1]), v: t([1, 2, 1], [3, 5]) });
    // S1 = 6 → o = 0.5·[1, 2]·6 = [3, 6]; S2 = 6 + 5 = 11 → o = 0.5·[3, 4]·11 = [16.5, 22].
    assert.deepEqual([...r.y.data as Float32Array], [3, 6, 16.5, 22]);
    assert.deepEqual([...r.state.data as Float32Array], [11]);
  });

  it('gated delta rule with a past state: decay, then v ← β(v − Sᵀk), then S += k vᵀ', () => {
    const b = model({ q: [1, 1, 1], k: [1, 1, 1], v: [1, 1, 1], past: [1, 1, 1, 1], g: [1, 1, 1], beta: [1, 1, 1] }, ['q', 'k', 'v', 'past', 'g', 'beta'], { q_num_heads: 1, kv_num_heads: 1, scale: f(1) });
    const r = createSession(b.build()).runSync({ q: t([1, 1, 1], [2]), k: t([1, 1, 1], [1]), v: t([1, 1, 1], [10]), past: t([1, 1, 1, 1], [4]), g: t([1, 1, 1], [Math.log(0.5)]), beta: t([1, 1, 1], [0.5]) });
    // S = 4·0.5 = 2; v = 0.5·(10 − 2) = 4; S = 2 + 4 = 6; o = 2·6 = 12.
    assert.ok(Math.abs((r.state.data as Float32Array)[0] - 6) < 1e-5);
    assert.ok(Math.abs((r.y.data as Float32Array)[0] - 12) < 1e-5);
  });

  it('one-line errors: missing decay for a gated rule, heads that do not divide', () => {
    const b = model({ q: [1, 1, 2], k: [1, 1, 2], v: [1, 1, 2] }, ['q', 'k', 'v'], { update_rule: 'gated', q_num_heads: 1, kv_num_heads: 1 });
    const feeds = { q: t([1, 1, 2], [1, 1]), k: t([1, 1, 2], [1, 1]), v: t([1, 1, 2], [1, 1]) };
    assert.throws(() => createSession(b.build()).runSync(feeds), (e: Error) => /needs the decay input/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => createSession(model({ q: [1, 1, 2] }, ['q', 'q', 'q'], { q_num_heads: 3, kv_num_heads: 2 }).build()), /positive multiple of kv_num_heads/);
  });
});

describe('FlexAttention (ai.onnx.preview)', () => {
  const g = (name: string, inName: string, outName: string, op: string, c: number): import('../../src/onnx/ir').Graph => ({
    name, initializers: [{ name: `${name}_c`, dataType: DataType.FLOAT, dims: [], docString: '', storage: { kind: 'fields', values: Float32Array.of(c) } }],
    sparseInitializers: [], valueInfo: [], docString: '', quantizationAnnotation: [],
    inputs: [{ name: inName, docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT } }], outputs: [{ name: outName, docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT } }],
    nodes: [{ name: `${name}_op`, opType: op, domain: '', inputs: [inName, `${name}_c`], outputs: [outName], attributes: [], docString: '' }],
  });

  it('softmax(scale·QKᵀ)V with GQA; score_mod and prob_mod subgraphs run on the scores and probabilities', () => {
    const b = new ModelBuilder({ opset: 26 }).opset('ai.onnx.preview', 1);
    b.input('Q', DataType.FLOAT, [1, 2, 1, 1]);
    b.input('K', DataType.FLOAT, [1, 1, 2, 1]);
    b.input('V', DataType.FLOAT, [1, 1, 2, 1]);
    b.node('FlexAttention', ['Q', 'K', 'V'], { scale: f(1), score_mod: g('sm', 's', 's2', 'Add', 5), prob_mod: g('pm', 'p', 'p2', 'Mul', 2) }, { domain: 'ai.onnx.preview', outputs: ['Y'] });
    b.output('Y');
    const r = createSession(b.build()).runSync({ Q: t([1, 2, 1, 1], [1, 0]), K: t([1, 1, 2, 1], [0, Math.log(3)]), V: t([1, 1, 2, 1], [1, 2]) });
    // head 0: scores [0, ln 3] (+5 does not change the softmax) → probs [1/4, 3/4] → ×2 → y = 2·(1/4 + 3/2) = 3.5; head 1: q = 0 → [1/2, 1/2] → y = 3.
    const y = [...r.Y.data as Float32Array];
    assert.ok(Math.abs(y[0] - 3.5) < 1e-5 && Math.abs(y[1] - 3) < 1e-5, JSON.stringify(y));
  });
});
