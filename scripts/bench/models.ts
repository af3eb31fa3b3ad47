// The bench's model list: each model's builder at full size and at `--quick` size, written to
// bench-results/models/NAME.onnx (rebuilt when a builder changes) so every engine (and
// `relu-doctor run`) loads the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model } from '../../src/onnx/ir';
import { encodeModel } from '../../src/onnx/write';
import { mobilenetV2, resnet50, vgg } from './cnn';
import { mlp, transformer } from './dense';

/** One bench model. */
export interface BenchModel {
  readonly name: string;
  /** What it is, for the table's header. */
  readonly describe: (quick: boolean) => string;
  readonly build: (quick: boolean) => Model;
}

/** Every bench model, in table order. */
export const BENCH_MODELS: readonly BenchModel[] = [
  { name: 'resnet50', describe: (q) => `ResNet-50 ${q ? 112 : 224}×${q ? 112 : 224}, batch 1`, build: (q) => resnet50(q ? 112 : 224) },
  { name: 'vgg', describe: (q) => `VGG-11-style ${q ? 64 : 112}×${q ? 64 : 112}, batch 1`, build: (q) => vgg(q ? 64 : 112) },
  { name: 'mobilenetv2', describe: (q) => `MobileNet-v2 ${q ? 112 : 224}×${q ? 112 : 224}, batch 1`, build: (q) => mobilenetV2(q ? 112 : 224) },
  { name: 'mlp', describe: (q) => `MLP 4×${q ? 512 : 1024} Gemm+Relu, batch ${q ? 16 : 64}`, build: (q) => (q ? mlp(16, 512) : mlp(64, 1024)) },
  {
    name: 'transformer',
    describe: (q) => `transformer encoder ${q ? '2 layers, seq 64' : '4 layers, seq 128'}, d 256, 4 heads, batch 1`,
    build: (q) => transformer(q ? { seq: 64, dModel: 256, heads: 4, ffn: 1024, layers: 2 } : { seq: 128, dModel: 256, heads: 4, ffn: 1024, layers: 4 }),
  },
];

/** Looks a model up by name (a one-line error listing the names otherwise). */
export function benchModel(name: string): BenchModel {
  const m = BENCH_MODELS.find((x) => x.name === name);
  if (!m) throw new Error(`unknown bench model "${name}" (models: ${BENCH_MODELS.map((x) => x.name).join(', ')})`);
  return m;
}

/** The model with float32 initializers stored as raw_data, as exporters write them (and as the loader maps zero-copy). */
function withRawWeights(model: Model): Model {
  const initializers = model.graph.initializers.map((t) => {
    const v = t.storage.kind === 'fields' ? t.storage.values : undefined;
    if (!(v instanceof Float32Array)) return t;
    return { ...t, storage: { kind: 'raw' as const, bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) } };
  });
  return { ...model, graph: { ...model.graph, initializers } };
}

/** Sources the models depend on: a model file older than any of them is rebuilt. */
const BUILDER_SOURCES = [
  ...['cnn.ts', 'dense.ts', 'layers.ts', 'models.ts'].map((f) => path.join(__dirname, f)),
  path.join(__dirname, '..', '..', 'test', 'helpers', 'model-builder.ts'),
  path.join(__dirname, '..', '..', 'src', 'onnx', 'write.ts'),
];

/** Writes the model to `dir/NAME[-quick].onnx` unless a file newer than its builders is there; returns the file and its size. */
export function writeBenchModel(m: BenchModel, quick: boolean, dir: string): { file: string; bytes: number; built: boolean } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${m.name}${quick ? '-quick' : ''}.onnx`);
  const newest = Math.max(...BUILDER_SOURCES.map((f) => fs.statSync(f).mtimeMs));
  const existing = fs.existsSync(file) ? fs.statSync(file) : undefined;
  if (existing && existing.mtimeMs > newest) return { file, bytes: existing.size, built: false };
  const bytes = encodeModel(withRawWeights(m.build(quick)));
  fs.writeFileSync(`${file}.tmp`, bytes);
  fs.renameSync(`${file}.tmp`, file);
  return { file, bytes: bytes.length, built: true };
}
