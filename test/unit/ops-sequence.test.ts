// Sequence and optional values through the executor: building, reading and editing sequences,
// SplitToSequence / ConcatFromSequence against onnxruntime-node, SequenceMap, optionals, a Loop
// carrying a sequence, and one-line errors for bad positions and for tensors ops fed a sequence.
import * as assert from 'node:assert/strict';
import { DataType, Graph, Node, ValueInfo } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { createSession } from '../../src/runtime/executor';
import { makeTensor, SequenceValue, Tensor, Value } from '../../src/runtime/tensor';
import { ModelBuilder } from '../helpers/model-builder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ort: any = require('onnxruntime-node');

const f32 = (shape: number[], v: number[]): Tensor => makeTensor(DataType.FLOAT, shape, Float32Array.from(v));
const nums = (t: Tensor): number[] => Array.from(t.data as Float32Array);
const seqType = (elemType = DataType.FLOAT): ValueInfo['type'] => ({ kind: 'sequence', elem: { kind: 'tensor', elemType } });

function run(b: ModelBuilder, feeds: Record<string, Tensor>): Record<string, Value> {
  return createSession(b.build()).runSync(feeds) as unknown as Record<string, Value>;
}

describe('sequence and optional ops', () => {
  it('SequenceConstruct / Insert / Erase / At / Length', () => {
    const b = new ModelBuilder({ opset: 17 });
    b.input('a', DataType.FLOAT, [2]);
    b.input('c', DataType.FLOAT, [3]);
    const s = b.op('SequenceConstruct', ['a', 'a']);
    const s2 = b.op('SequenceInsert', [s, 'c', b.ints('p0', [0], [])]);
    const s3 = b.op('SequenceErase', [s2, b.ints('pm1', [-1], [])]);
    b.node('SequenceLength', [s3], {}, { outputs: ['n'] });
    b.node('SequenceAt', [s3, b.ints('p1', [1], [])], {}, { outputs: ['x'] });
    b.node('Identity', [s3], {}, { outputs: ['seq'] });
    b.output('n', DataType.INT64).output('x');
    b.outputOf('seq', seqType());
    const r = run(b, { a: f32([2], [1, 2]), c: f32([3], [7, 8, 9]) });
    assert.deepEqual([...(r.n as Tensor).data as BigInt64Array], [2n]);
    assert.deepEqual(nums(r.x as Tensor), [1, 2]);
    const seq = r.seq as SequenceValue;
    assert.equal(seq.kind, 'sequence');
    assert.deepEqual(seq.items.map(nums), [[7, 8, 9], [1, 2]]);
  });

  it('SplitToSequence then ConcatFromSequence (stacked on a new axis) equals onnxruntime-node', async () => {
    const b = new ModelBuilder({ opset: 13 });
    b.input('x', DataType.FLOAT, [3, 4]);
    const parts = b.op('SplitToSequence', ['x', b.init('sp', DataType.INT64, [2], [1n, 3n])], { axis: 1 });
    b.node('ConcatFromSequence', [parts], { axis: 1 }, { outputs: ['joined'] });
    const ones = b.op('SplitToSequence', ['x'], { axis: 0, keepdims: 0 });
    b.node('ConcatFromSequence', [ones], { axis: -1, new_axis: 1 }, { outputs: ['stacked'] });
    b.output('joined').output('stacked');
    const x = f32([3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const ours = createSession(b.build()).runSync({ x });
    const session = await ort.InferenceSession.create(Buffer.from(encodeModel(b.build())));
    const theirs = await session.run({ x: new ort.Tensor('float32', x.data, [3, 4]) });
    for (const o of ['joined', 'stacked']) {
      assert.deepEqual([...ours[o].shape], [...theirs[o].dims].map(Number), o);
      assert.deepEqual(nums(ours[o]), [...theirs[o].data], o);
    }
    assert.deepEqual([...ours.stacked.shape], [4, 3]);
  });

  it('SequenceMap runs its body per element; a Loop carries a sequence it grows', () => {
    const body: Graph = {
      name: 'body', nodes: [{ name: 'dbl', opType: 'Add', domain: '', inputs: ['e', 'e'], outputs: ['o'], attributes: [], docString: '' }],
      initializers: [], sparseInitializers: [], inputs: [{ name: 'e', docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT } }],
      outputs: [{ name: 'o', docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT } }], valueInfo: [], docString: '', quantizationAnnotation: [],
    };
    const b = new ModelBuilder({ opset: 17 });
    b.input('a', DataType.FLOAT, [2]);
    const s = b.op('SplitToSequence', ['a'], { axis: 0 });
    b.node('SequenceMap', [s], { body }, { outputs: ['m'] });
    // Loop ×3: seq = SequenceInsert(seq, a).
    const loopBody: Graph = {
      name: 'grow', initializers: [], sparseInitializers: [], valueInfo: [], docString: '', quantizationAnnotation: [],
      inputs: [{ name: 'i', docString: '', type: { kind: 'tensor', elemType: DataType.INT64, shape: [] } }, { name: 'cin', docString: '', type: { kind: 'tensor', elemType: DataType.BOOL, shape: [] } }, { name: 'sin', docString: '', type: seqType() }],
      outputs: [{ name: 'cout', docString: '', type: { kind: 'tensor', elemType: DataType.BOOL, shape: [] } }, { name: 'sout', docString: '', type: seqType() }],
      nodes: [
        { name: 'keep', opType: 'Identity', domain: '', inputs: ['cin'], outputs: ['cout'], attributes: [], docString: '' },
        { name: 'ins', opType: 'SequenceInsert', domain: '', inputs: ['sin', 'a'], outputs: ['sout'], attributes: [], docString: '' },
      ] as Node[],
    };
    const empty = b.op('SequenceEmpty', [], { dtype: DataType.FLOAT });
    b.node('Loop', [b.ints('M', [3], []), '', empty], { body: loopBody }, { outputs: ['grown'] });
    b.node('SequenceLength', ['grown'], {}, { outputs: ['len'] });
    b.outputOf('m', seqType());
    b.output('len', DataType.INT64);
    const r = run(b, { a: f32([2], [3, -1]) });
    assert.deepEqual((r.m as SequenceValue).items.map(nums), [[6], [-2]]);
    assert.deepEqual([...(r.len as Tensor).data as BigInt64Array], [3n]);
  });

  it('Optional / OptionalHasElement / OptionalGetElement', () => {
    const b = new ModelBuilder({ opset: 18 });
    b.input('x', DataType.FLOAT, [1]);
    const full = b.op('Optional', ['x']);
    const none = b.op('Optional', [], { type: { kind: 'tensor' } as never });
    b.node('OptionalHasElement', [full], {}, { outputs: ['h1'] });
    b.node('OptionalHasElement', [none], {}, { outputs: ['h0'] });
    b.node('OptionalGetElement', [full], {}, { outputs: ['got'] });
    b.output('h1', DataType.BOOL).output('h0', DataType.BOOL).output('got');
    const r = run(b, { x: f32([1], [4]) });
    assert.deepEqual([...(r.h1 as Tensor).data as Uint8Array], [1]);
    assert.deepEqual([...(r.h0 as Tensor).data as Uint8Array], [0]);
    assert.deepEqual(nums(r.got as Tensor), [4]);
    const e = new ModelBuilder({ opset: 18 });
    e.input('x', DataType.FLOAT, [1]);
    e.node('OptionalGetElement', [e.op('Optional', [], { type: { kind: 'tensor' } as never })], {}, { outputs: ['y'] });
    e.output('y');
    assert.throws(() => run(e, { x: f32([1], [0]) }), (err: Error) => /optional is empty/.test(err.message) && !err.message.includes('\n'));
  });

  it('one-line errors: a position out of range, a sequence fed to a tensor op', () => {
    const b = new ModelBuilder({ opset: 17 });
    b.input('a', DataType.FLOAT, [2]);
    b.node('SequenceAt', [b.op('SequenceConstruct', ['a']), b.ints('p', [3], [])], {}, { outputs: ['y'] });
    b.output('y');
    assert.throws(() => run(b, { a: f32([2], [1, 2]) }), (e: Error) => /SequenceAt.*position 3 is out of range for a sequence of 1 \(allowed -1\.\.0\)/.test(e.message) && !e.message.includes('\n'));
    const c = new ModelBuilder({ opset: 17 });
    c.input('a', DataType.FLOAT, [2]);
    c.node('Relu', [c.op('SequenceConstruct', ['a'])], {}, { outputs: ['y'] });
    c.output('y');
    assert.throws(() => run(c, { a: f32([2], [1, 2]) }), /is a sequence, but Relu takes tensors/);
  });
});
