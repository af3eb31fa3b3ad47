// Shape inference over the whole ONNX backend suite: it never throws, and every graph output it
// infers fully concretely has the dims of the expected output tensor of test_data_set_0.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, loadTensorFile } from '../../src/onnx/load';
import { inferShapes } from '../../src/onnx/shapes';

const SUITE = '/work/shared/onnx-backend-node';

interface Tally { matched: number; mismatched: string[]; unknown: number; models: number }

/** Runs inference on every model and compares concrete output shapes with the expected tensors. */
export function tallySuite(declared: boolean): Tally {
  const tally: Tally = { matched: 0, mismatched: [], unknown: 0, models: 0 };
  for (const dir of fs.readdirSync(SUITE).filter((d) => d.startsWith('test_')).sort()) {
    const file = path.join(SUITE, dir, 'model.onnx');
    if (!fs.existsSync(file)) continue;
    let model;
    try {
      model = loadModel(file);
    } catch {
      continue; // the loader's own tests cover models it refuses
    }
    tally.models++;
    const shapes = inferShapes(model, { declared });
    model.graph.outputs.forEach((o, i) => {
      let dims: number[];
      try {
        dims = loadTensorFile(path.join(SUITE, dir, 'test_data_set_0', `output_${i}.pb`)).dims;
      } catch {
        return; // sequences, optionals and maps are not tensors
      }
      const t = shapes.get(o.name);
      const shape = t && t.kind === 'tensor' ? t.shape : undefined;
      if (!shape || !shape.every((d) => typeof d === 'number')) {
        tally.unknown++;
        return;
      }
      if (shape.length === dims.length && shape.every((d, k) => d === dims[k])) tally.matched++;
      else tally.mismatched.push(`${dir} ${o.name}: inferred [${shape.join(',')}], expected [${dims.join(',')}]`);
    });
  }
  return tally;
}

const hasSuite = fs.existsSync(SUITE);

(hasSuite ? describe : describe.skip)('inferShapes over the ONNX backend suite', () => {
  it('infers concrete output shapes that match the expected tensors (rules only, no declarations)', () => {
    const t = tallySuite(false);
    console.log(`      rules only: ${t.models} models, ${t.matched} outputs matched, ${t.mismatched.length} mismatched, ${t.unknown} not concrete`);
    assert.deepEqual(t.mismatched, []);
    assert.ok(t.matched > 1600, `only ${t.matched} outputs inferred concretely`);
  });

  it('keeps matching when value_info and output declarations fill the gaps', () => {
    const t = tallySuite(true);
    console.log(`      with declarations: ${t.matched} matched, ${t.mismatched.length} mismatched, ${t.unknown} not concrete`);
    assert.deepEqual(t.mismatched, []);
  });
});
