// .npy / .npz reading and writing: files made by NumPy (scripts/fixtures/make-npy.py), hand-built
// bytes for the error paths, and write → read round trips.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DataType } from '../../src/onnx/ir';
import { float16ToFloat32 } from '../../src/onnx/dtype';
import { decodeNpy, encodeNpy, loadNpy } from '../../src/data/npy';
import { decodeNpz, encodeNpz, loadNpz } from '../../src/data/npz';
import { makeTensor } from '../../src/runtime/tensor';

const dir = path.join(__dirname, '..', 'fixtures', 'npy');
const load = (name: string) => loadNpy(path.join(dir, name));
/** Asserts `fn` throws an error whose message matches `re`. */
const throwsMsg = (fn: () => unknown, re: RegExp): void => assert.throws(fn, (e: Error) => re.test(e.message));

/** A .npy file from a header string and body bytes (version 1). */
function npy(header: string, body: number[] = [], major = 1): Uint8Array {
  const h = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) new DataView(out.buffer).setUint16(8, h.length, true);
  else new DataView(out.buffer).setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(body, pre + h.length);
  return out;
}

describe('npy: reading files written by NumPy', () => {
  it('reads float32 in C order', () => {
    const t = load('f4_2x3.npy');
    assert.equal(t.dtype, DataType.FLOAT);
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(Array.from(t.data as Float32Array), [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
  });
  it('reads float16 as its raw bits', () => {
    const t = load('f2_4.npy');
    assert.equal(t.dtype, DataType.FLOAT16);
    assert.deepEqual(Array.from(t.data as Uint16Array).map(float16ToFloat32), [0.5, -1, 65504, Infinity]);
  });
  it('reads big-endian float64 and int64 (BigInt64Array)', () => {
    assert.deepEqual(Array.from(load('f8_be_3.npy').data as Float64Array), [1.25, -2.5, 1e300]);
    const i = load('i8_be_2x2.npy');
    assert.equal(i.dtype, DataType.INT64);
    assert.deepEqual(Array.from(i.data as BigInt64Array), [1n, -2n, 2n ** 40n, -(2n ** 62n)]);
  });
  it('reads bool, a uint8 scalar and complex64', () => {
    const b = load('bool_5.npy');
    assert.equal(b.dtype, DataType.BOOL);
    assert.deepEqual(Array.from(b.data as Uint8Array), [1, 0, 1, 1, 0]);
    const s = load('u1_scalar.npy');
    assert.deepEqual([s.dtype, s.shape.length, (s.data as Uint8Array)[0]], [DataType.UINT8, 0, 7]);
    assert.deepEqual(Array.from(load('c8_2.npy').data as Float32Array), [1, 2, -3.5, -0.5]);
  });
  it('transposes Fortran-order arrays to C order', () => {
    assert.deepEqual(Array.from(load('f4_fortran_3x4.npy').data as Float32Array), Array.from({ length: 12 }, (_, i) => i));
    const t = load('i4_fortran_2x3x2.npy');
    assert.deepEqual(t.shape, [2, 3, 2]);
    assert.deepEqual(Array.from(t.data as Int32Array), Array.from({ length: 12 }, (_, i) => i));
  });
  it('reads format versions 2 and 3', () => {
    for (const v of [2, 3]) assert.deepEqual(Array.from(load(`f4_v${v}.npy`).data as Float32Array), [0, 1, 2, 3]);
  });
});

describe('npy: bad files give one-line errors naming the file', () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['no signature', new TextEncoder().encode('hello world, not numpy'), /^bad\.npy: not a \.npy file/],
    ['version 9', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0], 9), /unsupported \.npy format version 9/],
    ['object dtype', npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", [0]), /unsupported dtype '\|O'/],
    ['structured', npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), /structured \(record\) arrays are not supported/],
    ['truncated data', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", [0, 0, 0, 0]), /holds 4 data bytes but shape \(2, 2\) of float needs 16; the file is truncated/],
    ['truncated header', npy("{'descr': '<f4'").subarray(0, 14), /truncated header/],
    ['no shape', npy("{'descr': '<f4', 'fortran_order': False, }"), /header has no shape/],
  ];
  for (const [what, bytes, re] of cases) {
    it(what, () => {
      assert.throws(() => decodeNpy(bytes, 'bad.npy'), (e: Error) => re.test(e.message) && e.message.startsWith('bad.npy: ') && !e.message.includes('\n'));
    });
  }
  it('a missing file', () => {
    throwsMsg(() => loadNpy('/nonexistent/x.npy'), /^\/nonexistent\/x\.npy: cannot read \(ENOENT\)$/);
  });
});

describe('npy: writing', () => {
  it('round-trips every numpy dtype with a 64-byte aligned header', () => {
    const samples = [
      makeTensor(DataType.FLOAT, [2, 2], Float32Array.from([1, -2, 3.5, NaN])),
      makeTensor(DataType.INT64, [3], BigInt64Array.from([1n, -(2n ** 60n), 0n])),
      makeTensor(DataType.BOOL, [2], Uint8Array.from([1, 0])),
      makeTensor(DataType.FLOAT16, [1], Uint16Array.from([0x3c00])),
      makeTensor(DataType.UINT8, [], Uint8Array.from([9])),
      makeTensor(DataType.COMPLEX128, [1], Float64Array.from([1, -1])),
    ];
    for (const t of samples) {
      const bytes = encodeNpy(t);
      const hl = new DataView(bytes.buffer).getUint16(8, true);
      assert.equal((10 + hl) % 64, 0);
      const back = decodeNpy(bytes, 'rt.npy');
      assert.equal(back.dtype, t.dtype);
      assert.deepEqual(back.shape, t.shape);
      assert.deepEqual(Array.from(back.data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>));
    }
  });
  it('refuses dtypes NumPy lacks', () => {
    assert.throws(() => encodeNpy(makeTensor(DataType.BFLOAT16, [1], new Uint16Array(1))), /cannot write a bfloat16 tensor as \.npy/);
  });
});

describe('npz', () => {
  it('reads np.savez and np.savez_compressed archives by key', () => {
    const a = loadNpz(path.join(dir, 'inputs.npz'));
    assert.deepEqual(Object.keys(a).sort(), ['mask', 'x']);
    assert.deepEqual(a.x.shape, [1, 6]);
    assert.deepEqual(Array.from(a.mask.data as BigInt64Array), [1n, 0n, 1n]);
    const c = loadNpz(path.join(dir, 'inputs_compressed.npz'));
    assert.deepEqual(Array.from(c.x.data as Float32Array), [0, 1, 2, 3, 4, 5]);
  });
  it('round-trips what it writes', () => {
    const t = makeTensor(DataType.INT32, [2], Int32Array.from([5, -5]));
    const back = decodeNpz(encodeNpz({ input: t }), 'rt.npz');
    assert.deepEqual(Array.from(back.input.data as Int32Array), [5, -5]);
  });
  it('names the file and entry on errors', () => {
    throwsMsg(() => decodeNpz(new TextEncoder().encode('not a zip at all'), 'in.npz'), /^in\.npz: not a \.npz file/);
    const corrupt = encodeNpz({ x: makeTensor(DataType.FLOAT, [1], new Float32Array(1)) }).slice(0, 40);
    throwsMsg(() => decodeNpz(corrupt, 'in.npz'), /^in\.npz: /);
  });
});
