// Finding activation sites: every ReLU form, producers through BN and ops by constants, unit axes
// and overrides, sites inside subgraphs and model-local functions, and non-dying activations.
import * as assert from 'node:assert/strict';
import { findActivationSites, findNonDyingActivations } from '../../src/analysis/sites';
import { Graph } from '../../src/onnx/ir';
import * as m from '../helpers/analysis-models';

describe('analysis activation sites', () => {
  it('Relu, Clip(min 0) in attribute and input form, Max(x, 0) with 0 on either side, fused Relu', () => {
    const model = m.model([
      m.node('MatMul', ['x', 'W'], ['a'], {}, { name: 'mm' }),
      m.node('Add', ['a', 'bias'], ['a2'], {}, { name: 'bias_add' }),
      m.node('Relu', ['a2'], ['r'], {}, { name: '' }),
      m.node('Clip', ['r'], ['c6'], { min: 0, max: 6 }, { name: 'clip_attr' }),
      m.node('Clip', ['c6', 'zero'], ['c'], {}, { name: 'clip_open' }),
      m.node('Clip', ['c', 'minus1'], ['cneg'], {}, { name: 'clip_neg' }),
      m.node('Max', ['zero', 'cneg'], ['mx'], {}, { name: 'max0' }),
      m.node('Max', ['mx', 'cneg'], ['mx2'], {}, { name: 'max_not_relu' }),
      m.node('LeakyRelu', ['mx2'], ['y'], { alpha: 0.1 }, { name: 'leaky' }),
    ], [m.f32('W', [3, 4], new Array(12).fill(1)), m.f32('bias', [4], [0, 0, 0, 0]), m.f32('zero', [], [0]), m.f32('minus1', [], [-1])], ['N', 3]);
    const sites = findActivationSites(model);
    assert.deepEqual(sites.map((s) => [s.id, s.kind, s.input, s.cap]), [
      ['r', 'relu', 'a2', undefined],
      ['clip_attr', 'relu6', 'r', 6],
      ['clip_open', 'clip', 'c6', undefined],
      ['max0', 'max0', 'cneg', undefined],
    ]);
    assert.deepEqual(sites[0].producer, { node: 'mm', op: 'MatMul', nodeIndex: 0 });
    assert.deepEqual(sites[0].path, ['Add']);
    assert.equal(sites[0].affine, true);
    assert.equal(sites[0].unitAxis, -1);
    assert.equal(sites[3].inputIndex, 1);
    assert.deepEqual(findNonDyingActivations(model), [{ node: 'leaky', op: 'LeakyRelu', nodeIndex: 8, graphPath: '' }]);
  });

  it('Conv → BN → Mul(constant) → ReLU: producer, BN and channel axis; override by site id', () => {
    const model = m.model([
      m.node('Conv', ['x', 'W'], ['c'], { kernel_shape: [1, 1] }, { name: 'conv' }),
      m.node('BatchNormalization', ['c', 'g', 'b', 'mu', 'v'], ['n'], {}, { name: 'bn' }),
      m.node('Mul', ['n', 's'], ['ns'], {}, { name: 'scale' }),
      m.node('Relu', ['ns'], ['y'], {}, { name: 'relu' }),
    ], [m.f32('W', [2, 2, 1, 1], [1, 0, 0, 1]), m.f32('s', [], [2])], ['N', 2, 4, 4]);
    const [s] = findActivationSites(model);
    assert.equal(s.producer?.node, 'conv');
    assert.deepEqual(s.batchNorm, { node: 'bn', nodeIndex: 1 });
    assert.deepEqual(s.path, ['BatchNormalization', 'Mul']);
    assert.equal(s.unitAxis, 1);
    assert.equal(findActivationSites(model, { unitAxis: { relu: 3 } })[0].unitAxis, 3);
  });

  it('without a producer, the axis follows the rank: channel axis for rank > 2', () => {
    const model = m.model([m.node('Relu', ['x'], ['y'], {}, { name: 'r' })], [], [1, 3, 8, 8]);
    const [s] = findActivationSites(model);
    assert.equal(s.producer, undefined);
    assert.equal(s.unitAxis, 1);
  });

  it('ReLUs inside subgraphs and model-local functions are found and observed, with a note on how they aggregate', () => {
    const body: Graph = {
      name: 'then', nodes: [m.node('Relu', ['x'], ['t'], {}, { name: 'inner' })], initializers: [], sparseInitializers: [],
      inputs: [], outputs: [{ name: 't', docString: '' }], valueInfo: [], docString: '', quantizationAnnotation: [],
    };
    const ifNode = m.node('If', ['cond'], ['y'], {}, { name: 'branch' });
    ifNode.attributes = [{ name: 'then_branch', type: 'graph', value: body }, { name: 'else_branch', type: 'graph', value: body }];
    const model = m.model([m.node('Block', ['x'], ['z'], {}, { name: 'call', domain: 'local' }), ifNode], [], ['N', 4], {
      functions: [{ name: 'Block', domain: 'local', inputs: ['a'], outputs: ['b'], attributeNames: [], attributeDefaults: [], nodes: [m.node('Relu', ['a'], ['b'], {}, { name: 'fr' })], opsetImports: [{ domain: '', version: 17 }], docString: '' }],
    });
    const sites = findActivationSites(model);
    assert.deepEqual(sites.map((s) => [s.id, s.graphPath, s.observation]), [
      ['branch/then_branch/inner', 'branch/then_branch', 'pre-activation'],
      ['branch/else_branch/inner', 'branch/else_branch', 'pre-activation'],
      ['function:local.Block/fr', 'function:local.Block', 'pre-activation'],
    ]);
    assert.match(sites[0].note ?? '', /subgraph.*aggregate/);
    assert.match(sites[2].note ?? '', /function local\.Block: statistics aggregate over every call/);
  });

  it('FusedConv / FusedGemm with activation Relu are fused sites; other activations are non-dying', () => {
    const fused = m.fusedConvModel();
    const [s] = findActivationSites(fused);
    assert.equal(s.kind, 'fused-relu');
    assert.equal(s.input, '');
    assert.equal(s.observation, 'output');
    assert.equal(s.unitAxis, 1);
    const gemm = m.model([m.node('FusedGemm', ['x', 'W'], ['y'], { activation: 'LeakyRelu' }, { name: 'fg', domain: 'com.microsoft' })], [], ['N', 2]);
    assert.deepEqual(findActivationSites(gemm), []);
    assert.equal(findNonDyingActivations(gemm)[0].op, 'com.microsoft.FusedGemm');
  });

  it('duplicate labels get a #k suffix so site ids stay unique', () => {
    const model = m.model([m.node('Relu', ['x'], ['a'], {}, { name: 'r' }), m.node('Relu', ['a'], ['y'], {}, { name: 'r' })], [], ['N', 2]);
    assert.deepEqual(findActivationSites(model).map((s) => s.id), ['r', 'r#1']);
  });
});
