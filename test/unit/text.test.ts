// The text view against onnx.printer's output (fixtures made by scripts/fixtures/make-text-fixtures.py),
// on every backend model, and on hostile names that must not break the one-node-per-line layout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, Model, Node } from '../../src/onnx/ir';
import { loadModel } from '../../src/onnx/load';
import { inferShapes } from '../../src/onnx/shapes';
import { formatFloat, modelToText } from '../../src/onnx/text';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'text');
const SUITE = '/work/shared/onnx-backend-node';

/** The printer writes initializer values (`w =  {1,2}`); the view deliberately does not. */
function dropInitializerValues(text: string): string {
  return text.replace(/^( *<.*)$/gm, (line) => line.replace(/ = +\{[^}]*\}/g, ''));
}

describe('modelToText', () => {
  for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.onnx'))) {
    it(`matches onnx.printer for ${file}`, () => {
      const model = loadModel(path.join(FIXTURES, file));
      const expected = fs.readFileSync(path.join(FIXTURES, file.replace(/\.onnx$/, '.txt')), 'utf8');
      assert.equal(modelToText(model).text, dropInitializerValues(expected));
    });
  }

  it('maps every node, nested ones included, to its line', () => {
    const model = loadModel(path.join(FIXTURES, 'test_if.onnx'));
    const view = modelToText(model);
    const ifNode = model.graph.nodes[0];
    assert.equal(view.lines[view.nodeLines.get(ifNode)!].trimStart().startsWith('res = If (cond)'), true);
    const thenAttr = ifNode.attributes.find((a) => a.name === 'then_branch')!;
    const inner = (thenAttr.value as { nodes: Node[] }).nodes[0];
    assert.match(view.lines[view.nodeLines.get(inner)!], /^ {6}then_out = Constant/);
    assert.equal(view.lineNodes[view.nodeLines.get(inner)!], inner);
    assert.equal(view.findNode('res'), ifNode);
    assert.equal(view.findNode('then_out'), inner);
  });

  it('adds inferred shapes as trailing comments the parser ignores', () => {
    const model = loadModel(path.join(FIXTURES, 'small_cnn.onnx'));
    const view = modelToText(model, inferShapes(model));
    assert.match(view.lines[view.nodeLines.get(model.graph.nodes[0])!], /\(input, "conv1.weight", "conv1.bias"\) # float\[N,4,8,8\]$/);
    assert.match(view.lines[view.nodeLines.get(model.graph.nodes[4])!], /# float\[N,10\]$/);
  });

  it('keeps each hostile node on exactly one line', () => {
    const node = (name: string, out: string): Node => ({ name, opType: 'Relu', domain: '', inputs: ['x'], outputs: [out], attributes: [], docString: '' });
    const nodes = [node('<script>alert(1)</script>\nx = Evil (y)', 'a\nb'), node('r\u2028s"\\', 'c\rd')];
    const model: Model = {
      irVersion: 8, opsetImports: [{ domain: '', version: 13 }], producerName: 'p\n"q"', producerVersion: '', domain: '',
      modelVersion: 0, docString: 'doc\nstring', metadata: [], trainingInfo: [], functions: [], source: { byteLength: 0 },
      graph: {
        name: 'g\n', nodes, initializers: [], sparseInitializers: [], valueInfo: [], docString: '', quantizationAnnotation: [],
        inputs: [{ name: 'x', docString: '', type: { kind: 'tensor', elemType: DataType.FLOAT, shape: ['N\n', 3] } }],
        outputs: [{ name: 'a\nb', docString: '' }],
      },
    };
    const view = modelToText(model);
    assert.equal(view.lines.length, view.text.split('\n').length);
    for (const n of nodes) {
      const line = view.lines[view.nodeLines.get(n)!];
      assert.equal(view.lineNodes[view.nodeLines.get(n)!], n);
      assert.ok(!/[\n\r\u2028]/.test(line));
    }
    assert.match(view.text, /\["<script>alert\(1\)<\/script>\\nx = Evil \(y\)"\] "a\\nb" = Relu \(x\)/);
    assert.equal(view.findNode('c\rd'), nodes[1]);
    assert.equal(view.text.split('\n').length, 10);
  });

  it('caps Constant values at 16 with a comment', () => {
    const vals = new Float32Array(40).map((_, i) => i);
    const c: Node = { name: '', opType: 'Constant', domain: '', inputs: [], outputs: ['k'], docString: '',
      attributes: [{ name: 'value', type: 'tensor', value: { name: '', dataType: DataType.FLOAT, dims: [40], docString: '', storage: { kind: 'fields', values: vals } } }] };
    const model = loadModel(path.join(FIXTURES, 'test_relu.onnx'));
    model.graph.nodes.push(c);
    const line = modelToText(model).lines.find((l) => l.includes('Constant'))!;
    assert.equal(line, '   k = Constant <value: tensor = float[40] {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}> () # 40 values, first 16 shown');
  });

  it('formats floats like std::to_chars', () => {
    assert.deepEqual([0.1, 1e-8, 3e20, 1e-5, 1.5, 100, 100000, 123456, -2.5, 0].map((x) => formatFloat(Math.fround(x), true)),
      ['0.1', '1e-08', '3e+20', '1e-05', '1.5', '100', '1e+05', '123456', '-2.5', '0']);
  });

  (fs.existsSync(SUITE) ? it : it.skip)('renders every backend model without throwing, one line per node', () => {
    let count = 0;
    for (const dir of fs.readdirSync(SUITE).filter((d) => d.startsWith('test_'))) {
      let model;
      try {
        model = loadModel(path.join(SUITE, dir, 'model.onnx'));
      } catch {
        continue;
      }
      const view = modelToText(model, inferShapes(model));
      for (const n of model.graph.nodes) assert.equal(view.lineNodes[view.nodeLines.get(n)!], n, dir);
      assert.equal(view.lines.length, view.text.split('\n').length, dir);
      count++;
    }
    assert.ok(count > 1700, `${count} models rendered`);
  });
});
