// Writing ONNX: encodeModel/decodeModel round-trips every conformance model, re-encoded bytes
// decode with onnx-proto to the original object, and unknown (newer) fields survive byte-exact.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { DataType, Model, OnnxTensor } from '../../src/onnx/ir';
import { decodeModel, decodeTensor, loadModel } from '../../src/onnx/load';
import { tensorValues } from '../../src/onnx/tensor-data';
import { encodeModel, encodeTensor } from '../../src/onnx/write';
import { cat, floatBytes, ld, str, tensorPb, valueInfoPb, vint } from './onnx-load-pb';

const SUITE = '/work/shared/onnx-backend-node';
const TO_OBJECT = { defaults: true, longs: String, bytes: Array, enums: Number } as const;

function strip(m: Model): Omit<Model, 'source'> {
  const { source: _source, ...rest } = m;
  return rest;
}

describe('onnx write: conformance round-trip', function () {
  const dirs = fs.existsSync(SUITE) ? fs.readdirSync(SUITE).filter((d) => fs.existsSync(path.join(SUITE, d, 'model.onnx'))).sort() : [];
  before(function () {
    if (dirs.length === 0) this.skip();
  });

  it('decodeModel(encodeModel(m)) deep-equals m for every model', () => {
    for (const d of dirs) {
      const m = loadModel(path.join(SUITE, d, 'model.onnx'));
      const again = decodeModel(encodeModel(m), { path: 're-encoded.onnx', dir: m.source.dir });
      assert.deepStrictEqual(strip(again), strip(m), d);
    }
  });

  it('re-encoded bytes decode with onnx-proto to the same object (every 4th model)', () => {
    for (let i = 0; i < dirs.length; i += 4) {
      const p = path.join(SUITE, dirs[i], 'model.onnx');
      const original = onnx.ModelProto.toObject(onnx.ModelProto.decode(fs.readFileSync(p)), TO_OBJECT);
      const written = onnx.ModelProto.toObject(onnx.ModelProto.decode(encodeModel(loadModel(p))), TO_OBJECT);
      assert.deepStrictEqual(written, original, dirs[i]);
    }
  });

  it('encodeTensor round-trips the value files', () => {
    for (const d of dirs.slice(0, 300)) {
      const f = path.join(SUITE, d, 'test_data_set_0', 'input_0.pb');
      if (!fs.existsSync(f)) continue;
      const bytes = fs.readFileSync(f);
      let t: OnnxTensor;
      try {
        t = decodeTensor(bytes, f);
      } catch {
        continue; // a sequence/optional file
      }
      const again = decodeTensor(encodeTensor(t), 'again');
      assert.deepStrictEqual(again, t, d);
    }
  });
});

describe('onnx write: unknown fields survive byte-exact', () => {
  // Fields onnx-proto (ONNX 1.10) does not know, each a distinctive payload:
  const nodeOverload = str(8, 'overload-v2'); // NodeProto.overload
  const nodeMeta = ld(9, cat(str(1, 'node-key'), str(2, 'node-value'))); // NodeProto.metadata_props
  const tensorMeta = ld(16, cat(str(1, 'tk'), str(2, 'tv'))); // TensorProto.metadata_props
  const graphMeta = ld(16, cat(str(1, 'gk'), str(2, 'gv'))); // GraphProto.metadata_props
  const vinfoMeta = ld(4, cat(str(1, 'vk'), str(2, 'vv'))); // ValueInfoProto.metadata_props
  const attrFuture = vint(99, 7); // an AttributeProto field from the future
  const modelConfig = ld(26, cat(str(1, 'cfg'), vint(2, 4))); // ModelProto.configuration
  const funcOverload = str(13, 'f-overload'); // FunctionProto.overload
  const opsetFuture = vint(3, 1); // OperatorSetIdProto field from the future

  const init = tensorPb('w', DataType.FLOAT, [2], floatBytes([1.5, -2]), tensorMeta);
  const attr = ld(5, cat(str(1, 'alpha'), vint(20, 1), Uint8Array.of(0x15, 0, 0, 0x80, 0x3e), attrFuture));
  const node = ld(1, cat(str(1, 'x'), str(2, 'y'), str(3, 'leaky'), str(4, 'LeakyRelu'), attr, nodeOverload, nodeMeta));
  // A float8 tensor with a future dtype (27) held in int32_data: kept as unknown bytes.
  const futureDtype = ld(5, cat(vint(1, 2), vint(2, 27), str(8, 'future'), vint(5, 3), vint(5, 4)));
  const graph = cat(node, str(2, 'g'), ld(5, init), futureDtype, ld(11, cat(valueInfoPb('x', [2]), vinfoMeta)), ld(12, valueInfoPb('y', [2])), graphMeta);
  // A function with an attribute default (attribute_proto, field 11) and a future field.
  const func = ld(25, cat(str(1, 'F'), str(4, 'a'), str(5, 'b'), ld(7, cat(str(1, 'a'), str(2, 'b'), str(4, 'Relu'))),
    ld(9, cat(str(1, ''), vint(2, 17))), str(10, 'custom'), ld(11, cat(str(1, 'k'), vint(3, 5), vint(20, 2))), funcOverload));
  const model = cat(vint(1, 10), ld(7, graph), ld(8, cat(str(1, ''), vint(2, 21), opsetFuture)), func, modelConfig);

  function check(m: Model): void {
    assert.deepEqual(m.unknownFields, modelConfig);
    const g = m.graph;
    assert.deepEqual(g.unknownFields, graphMeta);
    assert.deepEqual(g.nodes[0].unknownFields, cat(nodeOverload, nodeMeta));
    assert.deepEqual(g.nodes[0].attributes[0].unknownFields, attrFuture);
    assert.deepEqual(g.nodes[0].attributes[0], { name: 'alpha', type: 'float', value: 0.25, unknownFields: attrFuture });
    assert.deepEqual(g.initializers[0].unknownFields, tensorMeta);
    assert.deepEqual(Array.from(tensorValues(g.initializers[0], m) as Float32Array), [1.5, -2]);
    assert.equal(g.initializers[1].dataType, 27);
    assert.deepEqual(g.initializers[1].unknownFields, cat(vint(5, 3), vint(5, 4)));
    assert.deepEqual(g.inputs[0].unknownFields, vinfoMeta);
    assert.equal(m.functions[0].domain, 'custom');
    assert.deepEqual(m.functions[0].unknownFields, funcOverload);
    assert.deepEqual(m.functions[0].attributeDefaults, [{ name: 'k', type: 'int', value: 5 }]);
  }

  it('load → write → load keeps them', () => {
    const m = decodeModel(model, { path: 'unknown.onnx' });
    check(m);
    const written = encodeModel(m);
    const m2 = decodeModel(written, { path: 'unknown2.onnx' });
    check(m2);
    assert.deepStrictEqual(strip(m2), strip(m));
    // Writing is a fixed point after the first pass.
    assert.deepEqual(encodeModel(m2), written);
  });

  it('keeps a type onnx-proto cannot express (opaque) as raw bytes', () => {
    const opaque = cat(ld(7, cat(str(1, 'dom'), str(2, 'Thing'))), str(6, 'IMAGE'));
    const g = cat(ld(1, cat(str(1, 'x'), str(2, 'y'), str(4, 'Identity'))), ld(11, cat(str(1, 'x'), ld(2, opaque))), ld(12, valueInfoPb('y', [1])));
    const m = decodeModel(cat(vint(1, 8), ld(7, g)), { path: 'opaque.onnx' });
    assert.deepEqual(m.graph.inputs[0].type, { kind: 'unknown', raw: opaque, denotation: 'IMAGE' });
    const m2 = decodeModel(encodeModel(m), { path: 'opaque2.onnx' });
    assert.deepStrictEqual(strip(m2), strip(m));
  });

  it('keeps int64 attribute extremes and external references', () => {
    const ints = ld(5, cat(str(1, 'ends'), vint(20, 7), vint(8, 9223372036854775807n), vint(8, -9223372036854775808n), vint(8, -3)));
    const ext = ld(5, cat(vint(1, 2), vint(2, 1), str(8, 'e'), ld(13, cat(str(1, 'location'), str(2, 'w.bin'))), ld(13, cat(str(1, 'checksum'), str(2, 'abc'))), vint(14, 1)));
    const g = cat(ld(1, cat(str(1, 'x'), str(2, 'y'), str(4, 'Slice'), ints)), ext);
    const m = decodeModel(cat(vint(1, 8), ld(7, g)), { path: 'ext.onnx' });
    const a = m.graph.nodes[0].attributes[0];
    assert.deepEqual(a.value, [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -3]);
    const t = m.graph.initializers[0];
    assert.equal(t.storage.kind, 'external');
    const bytes = encodeModel(m);
    const obj = onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), TO_OBJECT) as { graph: { node: Array<{ attribute: Array<{ ints: string[] }> }>; initializer: Array<{ externalData: unknown[]; rawData: unknown[] }> } };
    assert.deepEqual(obj.graph.node[0].attribute[0].ints, ['9223372036854775807', '-9223372036854775808', '-3']);
    assert.deepEqual(obj.graph.initializer[0].externalData, [{ key: 'location', value: 'w.bin' }, { key: 'checksum', value: 'abc' }]);
    assert.deepEqual(obj.graph.initializer[0].rawData, []);
  });

  it('writes typed fields back (int64 exact, int4 packed, strings)', () => {
    const big = -9007199254740993n;
    const tensors = [
      cat(vint(1, 2), vint(2, DataType.INT64), vint(7, big), vint(7, 1)),
      cat(vint(1, 3), vint(2, DataType.INT4), vint(5, 0x87), vint(5, 0x01)),
      cat(vint(1, 2), vint(2, DataType.STRING), str(6, 'a'), str(6, 'ü')),
      cat(vint(1, 2), vint(2, DataType.UINT64), vint(11, 18446744073709551615n), vint(11, 0)),
    ];
    for (const b of tensors) {
      const t = decodeTensor(b, 't');
      const t2 = decodeTensor(encodeTensor(t), 't');
      assert.deepStrictEqual(t2, t);
      assert.deepStrictEqual(tensorValues(t2), tensorValues(t));
    }
    assert.deepEqual(Array.from(tensorValues(decodeTensor(encodeTensor(decodeTensor(tensors[0], 't')), 't')) as BigInt64Array), [big, 1n]);
  });
});
