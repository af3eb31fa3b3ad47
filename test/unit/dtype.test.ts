// dtype names/sizes and the exact low-precision float conversions, checked against known bit
// patterns, exhaustive round-trips, and the expected outputs of the suite's Cast/CastLike cases.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType } from '../../src/onnx/ir';
import {
  allocValues, bfloat16ToFloat32, bitsPerElement, dtypeFromName, dtypeName, float16ToFloat32, float32ToBfloat16,
  float32ToFloat16, float32ToFloat4e2m1, float64ToFloat16, float32ToFloat8, float32ToFloat8e8m0, float4e2m1ToFloat32, float8ToFloat32,
  fromFloat32Array, isFloatType, isIntegerType, toFloat32Array,
} from '../../src/onnx/dtype';
import { loadModel, loadTensorFile } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { attrInt, attrString, findAttr } from '../../src/onnx/attrs';

const SUITE = '/work/shared/onnx-backend-node';
const F8 = [DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ, DataType.FLOAT8E5M2, DataType.FLOAT8E5M2FNUZ];

describe('dtype: names and sizes', () => {
  it('names every ONNX type and parses them back', () => {
    const expected = ['float', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool', 'float16', 'double',
      'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16', 'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2',
      'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1', 'float8e8m0', 'uint2', 'int2'];
    expected.forEach((n, i) => {
      assert.equal(dtypeName(i + 1), n);
      assert.equal(dtypeFromName(n), i + 1);
    });
    assert.equal(dtypeName(99 as DataType), 'dtype(99)');
    assert.equal(dtypeFromName('float32'), DataType.FLOAT);
    assert.equal(dtypeFromName('nope'), undefined);
  });

  it('sizes, classes and allocation', () => {
    assert.equal(bitsPerElement(DataType.FLOAT), 32);
    assert.equal(bitsPerElement(DataType.INT4), 4);
    assert.equal(bitsPerElement(DataType.UINT2), 2);
    assert.equal(bitsPerElement(DataType.COMPLEX128), 128);
    assert.equal(bitsPerElement(DataType.STRING), 0);
    assert.ok(isFloatType(DataType.FLOAT8E5M2) && isFloatType(DataType.BFLOAT16) && !isFloatType(DataType.INT8));
    assert.ok(isIntegerType(DataType.INT2) && isIntegerType(DataType.UINT64) && !isIntegerType(DataType.BOOL));
    assert.deepEqual(allocValues(DataType.STRING, 2), ['', '']);
    assert.ok(allocValues(DataType.INT64, 3) instanceof BigInt64Array);
    assert.equal(allocValues(DataType.COMPLEX64, 3).length, 6);
    assert.ok(allocValues(DataType.INT4, 3) instanceof Int8Array);
    assert.ok(allocValues(DataType.FLOAT16, 3) instanceof Uint16Array);
  });
});

describe('dtype: float16 and bfloat16', () => {
  it('known float16 values, RNE ties, overflow, subnormals', () => {
    assert.equal(float32ToFloat16(1), 0x3c00);
    assert.equal(float32ToFloat16(-2), 0xc000);
    assert.equal(float32ToFloat16(65504), 0x7bff);
    assert.equal(float32ToFloat16(65520), 0x7c00); // rounds up to inf
    assert.equal(float32ToFloat16(65519), 0x7bff);
    assert.equal(float32ToFloat16(1 + 2 ** -11), 0x3c00); // tie → even
    assert.equal(float32ToFloat16(1 + 3 * 2 ** -11), 0x3c02); // tie → even (up)
    assert.equal(float32ToFloat16(2 ** -24), 0x0001);
    assert.equal(float32ToFloat16(2 ** -25), 0x0000); // tie → even (0)
    assert.equal(float32ToFloat16(1.5 * 2 ** -25), 0x0001);
    assert.equal(float32ToFloat16(-Infinity), 0xfc00);
    assert.equal(float32ToFloat16(NaN) & 0x7fff, 0x7e00);
    assert.equal(float16ToFloat32(0x0001), 2 ** -24);
    assert.equal(float16ToFloat32(0x7bff), 65504);
    assert.ok(Object.is(float16ToFloat32(0x8000), -0));
  });

  it('every float16 bit pattern round-trips', () => {
    for (let h = 0; h < 65536; h++) {
      const v = float16ToFloat32(h);
      if (Number.isNaN(v)) continue;
      assert.equal(float32ToFloat16(v), h, `0x${h.toString(16)}`);
    }
  });

  it('float64ToFloat16 rounds once', () => {
    assert.equal(float64ToFloat16(1 + 2 ** -11 + 2 ** -40), 0x3c01); // via float32 it would tie down to 0x3c00
    assert.equal(float32ToFloat16(1 + 2 ** -11 + 2 ** -40), 0x3c00);
    assert.equal(float64ToFloat16(65520), 0x7c00);
    assert.equal(float64ToFloat16(-(2 ** -25)), 0x8000);
    assert.equal(float64ToFloat16(NaN) & 0x7fff, 0x7e00);
    let seed = 7;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const x = Math.fround((seed / 2 ** 32 - 0.5) * 2 ** ((i % 50) - 30));
      assert.equal(float64ToFloat16(x), float32ToFloat16(x), String(x));
    }
  });

  it('bfloat16 RNE and NaN', () => {
    assert.equal(float32ToBfloat16(1), 0x3f80);
    assert.equal(float32ToBfloat16(1 + 2 ** -8), 0x3f80); // tie → even
    assert.equal(float32ToBfloat16(1 + 3 * 2 ** -8), 0x3f82);
    assert.equal(float32ToBfloat16(NaN), 0x7fc0);
    assert.equal(float32ToBfloat16(Infinity), 0x7f80);
    assert.equal(bfloat16ToFloat32(0xc040), -3);
  });
});

describe('dtype: float8, float4, e8m0', () => {
  it('known values', () => {
    assert.equal(float8ToFloat32(0x7e, DataType.FLOAT8E4M3FN), 448);
    assert.ok(Number.isNaN(float8ToFloat32(0x7f, DataType.FLOAT8E4M3FN)));
    assert.equal(float8ToFloat32(0x7f, DataType.FLOAT8E4M3FNUZ), 240);
    assert.ok(Number.isNaN(float8ToFloat32(0x80, DataType.FLOAT8E4M3FNUZ)));
    assert.equal(float8ToFloat32(0x7b, DataType.FLOAT8E5M2), 57344);
    assert.equal(float8ToFloat32(0x7c, DataType.FLOAT8E5M2), Infinity);
    assert.equal(float8ToFloat32(0x01, DataType.FLOAT8E4M3FN), 2 ** -9);
    assert.equal(float8ToFloat32(0x01, DataType.FLOAT8E5M2FNUZ), 2 ** -17);
    assert.equal(float32ToFloat8(1000, DataType.FLOAT8E4M3FN), 0x7e); // saturate
    assert.equal(float32ToFloat8(1000, DataType.FLOAT8E4M3FN, false), 0x7f); // NaN
    assert.equal(float32ToFloat8(-1e6, DataType.FLOAT8E5M2, false), 0xfc); // -inf
    assert.equal(float32ToFloat8(Infinity, DataType.FLOAT8E5M2), 0x7b);
    assert.equal(float32ToFloat8(-0, DataType.FLOAT8E4M3FNUZ), 0x00); // no negative zero
    assert.equal(float32ToFloat8(-0, DataType.FLOAT8E4M3FN), 0x80);
    assert.equal(float32ToFloat8(NaN, DataType.FLOAT8E5M2FNUZ), 0x80);
    assert.equal(float32ToFloat4e2m1(2.5), 0x4); // tie → even (2)
    assert.equal(float32ToFloat4e2m1(-100), 0xf);
    assert.equal(float4e2m1ToFloat32(0x7), 6);
    assert.equal(float4e2m1ToFloat32(0x9), -0.5);
    assert.equal(float32ToFloat8e8m0(1), 127);
    assert.equal(float32ToFloat8e8m0(3), 129); // up
    assert.equal(float32ToFloat8e8m0(3, true, 'down'), 128);
    assert.equal(float32ToFloat8e8m0(NaN), 0xff);
    assert.equal(float8ToFloat32(130, DataType.FLOAT8E8M0), 8);
  });

  it('every finite float8/float4 code round-trips through float32', () => {
    for (const dt of [...F8, DataType.FLOAT4E2M1, DataType.FLOAT8E8M0]) {
      const n = dt === DataType.FLOAT4E2M1 ? 16 : 256;
      for (let b = 0; b < n; b++) {
        const v = float8ToFloat32(b, dt);
        if (Number.isNaN(v) || Math.abs(v) === Infinity) continue;
        assert.equal(float32ToFloat8(v, dt), b, `${dtypeName(dt)} 0x${b.toString(16)}`);
      }
    }
  });

  it('bulk conversions agree with the scalar ones and keep NaN signs', () => {
    const xs = Float32Array.from([0, -0, 0.1, -3.75, 500, -1e9, 2 ** -12, NaN, Infinity]);
    for (const dt of F8) {
      const bulk = fromFloat32Array(xs, dt) as Uint8Array;
      xs.forEach((x, i) => {
        if (!Number.isNaN(x)) assert.equal(bulk[i], float32ToFloat8(x, dt), `${dtypeName(dt)} ${x}`);
      });
      const back = toFloat32Array(bulk, dt);
      assert.ok(Number.isNaN(back[7]));
    }
    // FNUZ NaN (0x80) widens to a negative NaN, as ONNX expects when casting on to float16.
    const w = toFloat32Array(Uint8Array.of(0x80), DataType.FLOAT8E4M3FNUZ);
    assert.equal(new Uint32Array(w.buffer)[0], 0xffc00000);
    assert.deepEqual(Array.from(fromFloat32Array(w, DataType.FLOAT16) as Uint16Array), [0xfe00]);
  });
});

describe('dtype: the suite\'s Cast/CastLike expected outputs', function () {
  const FLOATS = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.DOUBLE, ...F8, DataType.FLOAT4E2M1, DataType.FLOAT8E8M0]);
  const cases = fs.existsSync(SUITE) ? fs.readdirSync(SUITE).filter((d) => /^test_cast(like)?_/.test(d) && !d.endsWith('_expanded')) : [];
  before(function () {
    if (cases.length === 0) this.skip();
  });

  it('widening then narrowing reproduces every float→float cast bit-exactly', () => {
    let checked = 0;
    for (const d of cases) {
      const m = loadModel(path.join(SUITE, d, 'model.onnx'));
      const node = m.graph.nodes[m.graph.nodes.length - 1];
      const x = loadTensorFile(path.join(SUITE, d, 'test_data_set_0', 'input_0.pb'));
      const y = loadTensorFile(path.join(SUITE, d, 'test_data_set_0', 'output_0.pb'));
      if (!FLOATS.has(x.dataType) || !FLOATS.has(y.dataType)) continue;
      const saturate = findAttr(node, 'saturate') ? attrInt(node, 'saturate') !== 0 : true;
      const roundMode = findAttr(node, 'round_mode') ? attrString(node, 'round_mode') : 'up';
      const xv = tensorValues(x);
      const yv = tensorValues(y) as ArrayLike<number>;
      const wide = x.dataType === DataType.DOUBLE ? Float32Array.from(xv as Float64Array) : toFloat32Array(xv, x.dataType);
      let got: ArrayLike<number>;
      if (x.dataType === DataType.DOUBLE && y.dataType === DataType.FLOAT16) got = Array.from(xv as Float64Array, float64ToFloat16);
      else if (y.dataType === DataType.FLOAT) got = wide;
      else if (y.dataType === DataType.DOUBLE) got = Float64Array.from(wide);
      else if (y.dataType === DataType.FLOAT8E8M0) got = Array.from(wide, (v) => float32ToFloat8e8m0(v, saturate, roundMode as 'up'));
      else got = fromFloat32Array(wide, y.dataType, saturate) as Uint8Array;
      assert.equal(got.length, yv.length, d);
      for (let i = 0; i < yv.length; i++) {
        const same = Object.is(got[i], yv[i]) || (Number.isNaN(got[i]) && Number.isNaN(yv[i]));
        assert.ok(same, `${d}[${i}]: input ${wide[i]} gave ${got[i]}, expected ${yv[i]}`);
      }
      checked++;
    }
    assert.ok(checked >= 70, `only ${checked} cast cases checked`);
  });
});
