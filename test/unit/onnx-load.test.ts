// Loading ONNX files: every conformance model and value file decodes; zero-copy raw data;
// external data (reads, folder confinement); and bad input, each a one-line ModelError.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataType, ModelError, TypeInfo } from '../../src/onnx/ir';
import { decodeModel, decodeTensor, loadModel, loadModelAsync, loadTensorFile, loadValueFile, OnnxValue } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { cat, f32, floatBytes, indexOf, ld, modelPb, reluGraphPb, str, tensorPb, varint, vint } from './onnx-load-pb';

const SUITE = '/work/shared/onnx-backend-node';

function caseDirs(): string[] {
  if (!fs.existsSync(SUITE)) return [];
  return fs.readdirSync(SUITE).filter((d) => fs.existsSync(path.join(SUITE, d, 'model.onnx'))).sort();
}

/** Asserts `fn` throws a one-line ModelError whose message matches every pattern. */
function throwsModelError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `message must be one line: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'relu-doctor-load-'));
}

/** Checks a decoded value against its declared type, recursively; returns tensors seen. */
function checkValue(v: OnnxValue, t: TypeInfo | undefined): number {
  if (!t) return 0;
  switch (v.kind) {
    case 'tensor':
      assert.equal(t.kind, 'tensor');
      tensorValues(v.tensor);
      return 1;
    case 'sequence':
      assert.equal(t.kind, 'sequence');
      return v.elems.reduce((s, e) => s + checkValue(e, t.kind === 'sequence' ? t.elem : undefined), 0);
    case 'optional':
      assert.equal(t.kind, 'optional');
      return v.value ? checkValue(v.value, t.kind === 'optional' ? t.elem : undefined) : 0;
    case 'map':
      assert.equal(t.kind, 'map');
      assert.equal(v.keys.length, v.values.length);
      return v.values.length;
    default:
      return 0;
  }
}

describe('onnx load: conformance suite', function () {
  const dirs = caseDirs();
  before(function () {
    if (dirs.length === 0) this.skip();
  });

  it('loads every model.onnx, decodes every initializer and every test_data_set value file', () => {
    let models = 0;
    let files = 0;
    const kinds = new Map<string, number>();
    for (const d of dirs) {
      const m = loadModel(path.join(SUITE, d, 'model.onnx'));
      models++;
      assert.ok(m.graph.nodes.length > 0, d);
      for (const t of m.graph.initializers) tensorValues(t, m);
      const inits = new Set(m.graph.initializers.map((t) => t.name));
      const inputs = m.graph.inputs.filter((i) => !inits.has(i.name));
      for (const ds of fs.readdirSync(path.join(SUITE, d)).filter((x) => x.startsWith('test_data_set_'))) {
        for (const f of fs.readdirSync(path.join(SUITE, d, ds))) {
          const mm = /^(input|output)_(\d+)\.pb$/.exec(f);
          if (!mm) continue;
          const vi = (mm[1] === 'input' ? inputs : m.graph.outputs)[Number(mm[2])];
          const v = loadValueFile(path.join(SUITE, d, ds, f), vi?.type);
          kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
          checkValue(v, vi?.type);
          files++;
        }
      }
    }
    assert.equal(models, dirs.length);
    assert.ok(models >= 1800, `only ${models} models`);
    assert.ok(files > 6000, `only ${files} value files`);
    assert.ok((kinds.get('sequence') ?? 0) > 0 && (kinds.get('optional') ?? 0) > 0, JSON.stringify([...kinds]));
  });

  it('decodes sequence and optional value files to their elements', () => {
    const d = path.join(SUITE, 'test_sequence_map_add_2_sequences');
    if (!fs.existsSync(d)) return;
    const m = loadModel(path.join(d, 'model.onnx'));
    const v = loadValueFile(path.join(d, 'test_data_set_0', 'input_0.pb'), m.graph.inputs[0].type);
    assert.equal(v.kind, 'sequence');
    if (v.kind === 'sequence') {
      assert.ok(v.elems.length > 0);
      for (const e of v.elems) assert.equal(e.kind, 'tensor');
    }
  });

  it('loadModelAsync gives the same model as loadModel', async () => {
    const p = path.join(SUITE, dirs[0], 'model.onnx');
    const a = loadModel(p);
    const b = await loadModelAsync(p);
    assert.deepEqual(b, a);
  });
});

describe('onnx load: raw data is a zero-copy view', () => {
  /** A float TensorProto whose raw_data payload starts at an offset ≡ `mod` (mod 4) in the file. */
  function tensorAt(mod: number): { bytes: Uint8Array; dataOffset: number } {
    const raw = floatBytes([1, -2, 3.5, 0]);
    for (let pad = 0; pad < 8; pad++) {
      const bytes = tensorPb('w' + 'x'.repeat(pad), DataType.FLOAT, [4], raw);
      const dataOffset = indexOf(bytes, raw);
      if (dataOffset % 4 === mod) return { bytes, dataOffset };
    }
    throw new Error('unreachable');
  }

  it('an aligned float raw_data view shares the file buffer', () => {
    const { bytes, dataOffset } = tensorAt(0);
    const dir = tmpDir();
    const file = path.join(dir, 'w.pb');
    fs.writeFileSync(file, bytes);
    const buf = new Uint8Array(fs.readFileSync(file));
    const t = decodeTensor(buf, file);
    const v = tensorValues(t) as Float32Array;
    assert.ok(v instanceof Float32Array);
    assert.equal(v.buffer, buf.buffer);
    assert.equal(v.byteOffset, buf.byteOffset + dataOffset);
    assert.deepEqual(Array.from(v), [1, -2, 3.5, 0]);
    // Through loadTensorFile too: the view's buffer is the whole file buffer.
    const v2 = tensorValues(loadTensorFile(file)) as Float32Array;
    assert.ok(v2.buffer.byteLength >= bytes.length);
    assert.deepEqual(Array.from(v2), [1, -2, 3.5, 0]);
  });

  it('an initializer inside a model file is a view over the model buffer', () => {
    const raw = floatBytes([0.5, -1]);
    let bytes: Uint8Array = new Uint8Array(0);
    for (let pad = 0; pad < 8; pad++) {
      bytes = modelPb(reluGraphPb(tensorPb('w' + 'p'.repeat(pad), DataType.FLOAT, [2], raw)));
      if (indexOf(bytes, raw) % 4 === 0) break;
    }
    const m = decodeModel(bytes, { path: 'mem.onnx' });
    const v = tensorValues(m.graph.initializers[0], m) as Float32Array;
    assert.equal(v.buffer, bytes.buffer);
    assert.deepEqual(Array.from(v as Float32Array), [0.5, -1]);
  });

  it('an unaligned raw_data is copied, with the same values', () => {
    const { bytes } = tensorAt(1);
    const v = tensorValues(decodeTensor(bytes, 'u.pb')) as Float32Array;
    assert.notEqual(v.buffer, bytes.buffer);
    assert.deepEqual(Array.from(v), [1, -2, 3.5, 0]);
  });

  it('decodes typed fields: int64 exactly, int4 unpacked, strings, float16 bits', () => {
    const big = 9007199254740993n; // 2^53 + 1, not a double
    const i64 = decodeTensor(cat(vint(1, 3), vint(2, DataType.INT64), vint(7, big), vint(7, -5), vint(7, -9223372036854775808n)), 'i64');
    assert.deepEqual(Array.from(tensorValues(i64) as BigInt64Array), [big, -5n, -9223372036854775808n]);
    // int4: three elements 7, -8, 1 packed as 0x87, 0x01 in int32_data.
    const i4 = decodeTensor(cat(vint(1, 3), vint(2, DataType.INT4), ld(5, cat(Uint8Array.of(0x87, 0x01, 0x01)))), 'i4');
    assert.deepEqual(Array.from(tensorValues(i4) as Int8Array), [7, -8, 1]);
    const s = decodeTensor(cat(vint(1, 2), vint(2, DataType.STRING), str(6, 'héllo'), str(6, '')), 's');
    assert.deepEqual(tensorValues(s), ['héllo', '']);
    const h = decodeTensor(cat(vint(1, 2), vint(2, DataType.FLOAT16), vint(5, 0x3c00), vint(5, 0xfc00)), 'h');
    assert.deepEqual(Array.from(tensorValues(h) as Uint16Array), [0x3c00, 0xfc00]);
    const u4raw = decodeTensor(tensorPb('u4', DataType.UINT4, [3], Uint8Array.of(0x21, 0x0f)), 'u4');
    assert.deepEqual(Array.from(tensorValues(u4raw) as Uint8Array), [1, 2, 15]);
    const i2raw = decodeTensor(tensorPb('i2', DataType.INT2, [5], Uint8Array.of(0b11100100, 0b01)), 'i2');
    assert.deepEqual(Array.from(tensorValues(i2raw) as Int8Array), [0, 1, -2, -1, 1]);
  });
});

describe('onnx load: external data', () => {
  function extTensor(location: string, extra: Array<[string, string]> = [], dims = [3]): Uint8Array {
    const entries = [['location', location] as [string, string], ...extra].map(([k, v]) => ld(13, cat(str(1, k), str(2, v))));
    return tensorPb('w', DataType.FLOAT, dims, undefined, ...entries, vint(14, 1));
  }
  function writeModel(dir: string, init: Uint8Array): string {
    const p = path.join(dir, 'model.onnx');
    fs.writeFileSync(p, modelPb(reluGraphPb(init)));
    return p;
  }

  it('reads the range at tensorValues time, relative to the model folder', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'w.bin'), cat(Uint8Array.of(9, 9, 9, 9), floatBytes([1, 2, 3])));
    const m = loadModel(writeModel(dir, extTensor('data/w.bin', [['offset', '4'], ['length', '12']])));
    const t = m.graph.initializers[0];
    assert.equal(t.storage.kind, 'external');
    assert.deepEqual(Array.from(tensorValues(t, m) as Float32Array), [1, 2, 3]);
  });

  it('refuses absolute, .. and symlinked locations at load', () => {
    const dir = tmpDir();
    const outside = tmpDir();
    fs.writeFileSync(path.join(outside, 'secret.bin'), floatBytes([1, 2, 3]));
    fs.symlinkSync(path.join(outside, 'secret.bin'), path.join(dir, 'link.bin'));
    fs.symlinkSync(outside, path.join(dir, 'linkdir'));
    for (const loc of [path.join(outside, 'secret.bin'), '/etc/passwd', '../secret.bin', 'a/../../secret.bin', '..\\secret.bin', 'C:\\Windows\\x', 'link.bin', 'linkdir/secret.bin']) {
      const p = writeModel(dir, extTensor(loc));
      throwsModelError(() => loadModel(p), /model\.onnx/, /tensor 'w'/, new RegExp(loc.replace(/[\\.]/g, '\\$&')), /external data must live inside the model's folder/);
    }
  });

  it('validates offset/length at load and the file length at read', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'w.bin'), floatBytes([1, 2]));
    throwsModelError(() => loadModel(writeModel(dir, extTensor('w.bin', [['offset', '-4']]))), /offset '-4'/, /non-negative integer/);
    throwsModelError(() => loadModel(writeModel(dir, extTensor('w.bin', [['length', 'abc']]))), /length 'abc'/);
    const m = loadModel(writeModel(dir, extTensor('w.bin')));
    throwsModelError(() => tensorValues(m.graph.initializers[0], m), /model\.onnx/, /has 8 bytes/, /truncated/);
    const m2 = loadModel(writeModel(dir, extTensor('missing.bin')));
    throwsModelError(() => tensorValues(m2.graph.initializers[0], m2), /'missing\.bin' not found/);
    const m3 = loadModel(writeModel(dir, extTensor('w.bin', [['length', '4']])));
    throwsModelError(() => tensorValues(m3.graph.initializers[0], m3), /length 4 does not match/);
  });
});

describe('onnx load: bad input', () => {
  const dir = tmpDir();
  function file(name: string, bytes: Uint8Array | string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  }

  it('empty file', () => {
    throwsModelError(() => loadModel(file('empty.onnx', new Uint8Array(0))), /empty\.onnx/, /empty/);
  });

  it('missing file and folder', () => {
    throwsModelError(() => loadModel(path.join(dir, 'nope.onnx')), /nope\.onnx/, /not found/);
    throwsModelError(() => loadModel(dir), /folder/);
  });

  it('random bytes (many seeds)', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let i = 0; i < 300; i++) {
      const b = Uint8Array.from({ length: 1 + (i % 97) * 13 }, rnd);
      throwsModelError(() => decodeModel(b, { path: `random${i}.onnx` }), new RegExp(`random${i}\\.onnx`));
    }
  });

  it('truncated models', () => {
    const good = modelPb(reluGraphPb(tensorPb('w', DataType.FLOAT, [2], floatBytes([1, 2]))));
    const g = indexOf(good, Uint8Array.of(0x3a)); // graph field tag
    for (let cut = g + 2; cut < good.length - 10; cut += 3) {
      throwsModelError(() => decodeModel(good.subarray(0, cut), { path: 'cut.onnx' }), /cut\.onnx/, /truncated|malformed|not a valid/);
    }
    const real = path.join(SUITE, 'test_conv_with_strides_padding', 'model.onnx');
    if (fs.existsSync(real)) {
      const b = fs.readFileSync(real);
      throwsModelError(() => decodeModel(b.subarray(0, b.length >> 1), { path: real }), /test_conv_with_strides_padding/);
    }
  });

  it('non-ONNX files named .onnx', () => {
    throwsModelError(() => loadModel(file('img.onnx', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))), /img\.onnx/, /PNG/);
    throwsModelError(() => loadModel(file('cfg.onnx', '{"model": "resnet", "layers": [1, 2]}\n')), /cfg\.onnx/, /JSON/);
    throwsModelError(() => loadModel(file('ck.onnx', 'PK\x03\x04rest-of-zip')), /ZIP/);
    throwsModelError(() => loadModel(file('lfs.onnx', 'version https://git-lfs.github.com/spec/v1\noid sha256:00\n')), /Git LFS/);
    throwsModelError(() => loadModel(file('text.onnx', 'hello world, this is not a model')), /text\.onnx/);
  });

  it('a model without a graph', () => {
    throwsModelError(() => decodeModel(cat(vint(1, 8), str(2, 'x')), { path: 'nograph.onnx' }), /nograph\.onnx/, /no graph/);
  });

  it('dims claiming 10^12 elements: loads, then tensorValues refuses without allocating', () => {
    const m = decodeModel(modelPb(reluGraphPb(tensorPb('huge', DataType.FLOAT, [1e6, 1e6], floatBytes([1])))), { path: 'huge.onnx' });
    assert.deepEqual(m.graph.initializers[0].dims, [1e6, 1e6]);
    throwsModelError(() => tensorValues(m.graph.initializers[0], m), /huge\.onnx/, /tensor 'huge'/, /exceeds/);
    const m2 = decodeModel(modelPb(reluGraphPb(tensorPb('big', DataType.FLOAT, [1e5, 1e4], floatBytes([1])))), { path: 'big.onnx' });
    throwsModelError(() => tensorValues(m2.graph.initializers[0], m2), /raw data has 4 bytes but its dims need 4000000000/);
    const m3 = decodeModel(modelPb(reluGraphPb(tensorPb('neg', DataType.FLOAT, [-1], floatBytes([1])))), { path: 'neg.onnx' });
    throwsModelError(() => tensorValues(m3.graph.initializers[0], m3), /invalid dimension -1/);
  });

  it('recursion bombs: deeply nested subgraphs error cleanly', () => {
    for (const depth of [100, 200000]) {
      // graph{ node{ If, attribute{ then_branch: graph{ … } } } }, built inside out from chunks.
      const inner = reluGraphPb();
      const pre: Uint8Array[] = [];
      const post: Uint8Array[] = [];
      let len = inner.length;
      const attrHead = cat(str(1, 'then_branch'), vint(20, 5));
      const op = str(4, 'If');
      const head = (no: number, n: number): Uint8Array => cat(varint((no << 3) | 2), varint(n));
      for (let i = 0; i < depth; i++) {
        // attribute payload = attrHead + g field header + graph
        const gField = head(6, len);
        const attrLen = attrHead.length + gField.length + len;
        const aField = head(5, attrLen);
        const nodeLen = aField.length + attrLen + op.length;
        const nField = head(1, nodeLen);
        pre.push(cat(nField, aField, attrHead, gField));
        post.push(op);
        len = nField.length + nodeLen;
      }
      const graph = new Uint8Array(Buffer.concat([...pre.reverse(), inner, ...post]));
      assert.equal(graph.length, len);
      throwsModelError(() => decodeModel(modelPb(graph), { path: `bomb${depth}.onnx` }), new RegExp(`bomb${depth}\\.onnx`), /nested/);
    }
  });

  it('a bad attribute and a bad tensor file name the file', () => {
    // Attribute declared TENSOR (4) without a tensor.
    const node = ld(1, cat(str(1, 'x'), str(2, 'y'), str(3, 'n1'), str(4, 'Relu'), ld(5, cat(str(1, 'value'), vint(20, 4)))));
    throwsModelError(() => decodeModel(modelPb(node), { path: 'attr.onnx' }), /attr\.onnx/, /attribute 'value' of Relu node 'n1'/);
    throwsModelError(() => decodeTensor(Uint8Array.of(0x0a, 0x05, 1), 'in.pb'), /in\.pb/, /TensorProto/);
    throwsModelError(() => loadTensorFile(path.join(dir, 'none.pb')), /none\.pb/, /not found/);
  });

  it('a float attribute reads back', () => {
    const node = ld(1, cat(str(1, 'x'), str(2, 'y'), str(4, 'LeakyRelu'), ld(5, cat(str(1, 'alpha'), f32(2, 0.25), vint(20, 1)))));
    const m = decodeModel(modelPb(node), { path: 'ok.onnx' });
    assert.deepEqual(m.graph.nodes[0].attributes[0], { name: 'alpha', type: 'float', value: 0.25 });
  });
});
