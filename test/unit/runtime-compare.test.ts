// The comparison rules shared by the conformance runner and `run --compare`.
import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { float32ToFloat16 } from '../../src/onnx/dtype';
import { compareTensors } from '../../src/runtime/compare';
import { makeTensor } from '../../src/runtime/tensor';

const f32 = (...v: number[]) => makeTensor(DataType.FLOAT, [v.length], Float32Array.from(v));

describe('runtime: compareTensors', () => {
  it('accepts |got − want| ≤ atol + rtol·|want| and reports max errors', () => {
    const c = compareTensors(f32(100, 1), f32(100.09, 1));
    assert.equal(c.mismatch, undefined);
    assert.ok(Math.abs(c.maxAbs - 0.09) < 1e-4 && Math.abs(c.maxRel - 0.0009) < 1e-6);
    assert.match(compareTensors(f32(100, 1), f32(100.2, 1)).mismatch ?? '', /^1 of 2 values differ; first at 0: got 100\.2, expected 100/);
  });
  it('treats NaN as equal to NaN and infinities by sign', () => {
    assert.equal(compareTensors(f32(NaN, Infinity, -Infinity), f32(NaN, Infinity, -Infinity)).mismatch, undefined);
    assert.ok(compareTensors(f32(Infinity), f32(-Infinity)).mismatch);
    assert.ok(compareTensors(f32(1), f32(NaN)).mismatch);
    assert.ok(compareTensors(f32(Infinity), f32(3e38)).mismatch);
  });
  it('compares integers, bools and strings exactly, dtypes and shapes strictly', () => {
    const i64 = (v: bigint[]) => makeTensor(DataType.INT64, [v.length], BigInt64Array.from(v));
    assert.equal(compareTensors(i64([2n ** 62n]), i64([2n ** 62n])).mismatch, undefined);
    assert.match(compareTensors(i64([2n ** 62n]), i64([2n ** 62n + 1n])).mismatch ?? '', /got 4611686018427387905, expected 4611686018427387904/);
    const s = (v: string[]) => makeTensor(DataType.STRING, [v.length], v);
    assert.ok(compareTensors(s(['a']), s(['b'])).mismatch);
    assert.match(compareTensors(f32(1), makeTensor(DataType.DOUBLE, [1], Float64Array.from([1]))).mismatch ?? '', /dtype double, expected float/);
    assert.match(compareTensors(f32(1, 2), makeTensor(DataType.FLOAT, [1, 2], Float32Array.from([1, 2]))).mismatch ?? '', /shape \[1,2\], expected \[2\]/);
  });
  it('compares float16 by value', () => {
    const h = (...v: number[]) => makeTensor(DataType.FLOAT16, [v.length], Uint16Array.from(v.map(float32ToFloat16)));
    assert.equal(compareTensors(h(0.5, NaN), h(0.5, NaN)).mismatch, undefined);
    assert.ok(compareTensors(h(0.5), h(0.25)).mismatch);
  });
});
