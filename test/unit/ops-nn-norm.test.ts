// Normalisation ops (BatchNormalization incl. training outputs, Instance/Layer/Group/RMS
// normalisation, LRN, LpNormalization, MVN) and the softmax family (both axis semantics).

import * as assert from 'node:assert/strict';
import { DataType } from '../../src/onnx/ir';
import { batchNormalization } from '../../src/runtime/ops/nn/batch-normalization';
import { groupNormalization18, groupNormalization21 } from '../../src/runtime/ops/nn/group-normalization';
import { hardmaxOps } from '../../src/runtime/ops/nn/hardmax';
import { instanceNormalization } from '../../src/runtime/ops/nn/instance-normalization';
import { layerNormalization } from '../../src/runtime/ops/nn/layer-normalization';
import { logSoftmaxOps } from '../../src/runtime/ops/nn/log-softmax';
import { lpNormalization } from '../../src/runtime/ops/nn/lp-normalization';
import { lrn } from '../../src/runtime/ops/nn/lrn';
import { meanVarianceNormalization } from '../../src/runtime/ops/nn/mean-variance-normalization';
import { rmsNormalization } from '../../src/runtime/ops/nn/rms-normalization';
import { softmaxOps } from '../../src/runtime/ops/nn/softmax';
import { assertClose, attr, randTensor, rng, runOp, tensor } from '../helpers/fake-context-nn';

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const pvar = (v: number[]): number => { const m = mean(v); return mean(v.map((x) => (x - m) ** 2)); };

describe('nn ops: BatchNormalization', () => {
  const X = tensor([2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const scale = tensor([2], [1, 2]), B = tensor([2], [0, 1]), m = tensor([2], [0, 1]), v = tensor([2], [1, 4]);

  it('normalises with running statistics in inference mode', () => {
    const [Y] = runOp(batchNormalization, [X, scale, B, m, v], [attr.float('epsilon', 0)], { opset: 15 });
    assertClose(Y, [2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => {
      const c = Math.floor(i / 2) % 2;
      return c === 0 ? x : (2 * (x - 1)) / 2 + 1;
    }));
  });

  it('uses batch statistics and updates running mean/var in training mode (opset 14+)', () => {
    const [Y, rm, rv] = runOp(batchNormalization, [X, scale, B, m, v], [attr.int('training_mode', 1), attr.float('momentum', 0.9)],
      { opset: 15, outputs: ['y', 'rm', 'rv'] });
    const ch0 = [1, 2, 5, 6], ch1 = [3, 4, 7, 8];
    assertClose(rm, [2], [0 * 0.9 + mean(ch0) * 0.1, 1 * 0.9 + mean(ch1) * 0.1]);
    assertClose(rv, [2], [1 * 0.9 + pvar(ch0) * 0.1, 4 * 0.9 + pvar(ch1) * 0.1]);
    const s0 = Math.sqrt(pvar(ch0) + 1e-5);
    assert.ok(Math.abs(Number(Y.data[0]) - (1 - mean(ch0)) / s0) < 1e-5);
  });

  it('refuses training outputs it cannot produce', () => {
    assert.throws(() => runOp(batchNormalization, [X, scale, B, m, v], [], { opset: 9, outputs: ['y', 'm'] }), /before opset 14 are not supported/);
    assert.throws(() => runOp(batchNormalization, [X, scale, B, m, v], [], { opset: 15, outputs: ['y', 'm'] }), /require training_mode=1/);
    assert.throws(() => runOp(batchNormalization, [X, scale, B, m, v], [attr.int('spatial', 0)], { opset: 7 }), /spatial=0/);
  });
});

describe('nn ops: Instance / Layer / Group / RMS normalisation', () => {
  const r = rng(17);

  it('InstanceNormalization normalises each (n, c) plane', () => {
    const X = randTensor(r, [2, 3, 4]);
    const scale = randTensor(r, [3]), B = randTensor(r, [3]);
    const [Y] = runOp(instanceNormalization, [X, scale, B]);
    const want: number[] = [];
    for (let p = 0; p < 6; p++) {
      const v = Array.from(X.data.slice(p * 4, p * 4 + 4) as Float32Array);
      const mu = mean(v), sd = Math.sqrt(pvar(v) + 1e-5);
      for (const x of v) want.push(((x - mu) / sd) * Number(scale.data[p % 3]) + Number(B.data[p % 3]));
    }
    assertClose(Y, [2, 3, 4], want);
  });

  it('LayerNormalization over trailing axes with broadcast scale and Mean/InvStdDev outputs', () => {
    const X = randTensor(r, [2, 3, 4]);
    const scale = randTensor(r, [4]), B = randTensor(r, [1, 4]);
    const [Y, Mn, Inv] = runOp(layerNormalization, [X, scale, B], [attr.int('axis', 1)], { opset: 17, outputs: ['y', 'm', 'i'] });
    assert.deepEqual([...Mn.shape], [2, 1, 1]);
    for (let n = 0; n < 2; n++) {
      const v = Array.from(X.data.slice(n * 12, n * 12 + 12) as Float32Array);
      const mu = mean(v), inv = 1 / Math.sqrt(pvar(v) + 1e-5);
      assert.ok(Math.abs(Number(Mn.data[n]) - mu) < 1e-6);
      assert.ok(Math.abs(Number(Inv.data[n]) - inv) < 1e-4 * inv);
      for (let i = 0; i < 12; i++) {
        const w = (v[i] - mu) * inv * Number(scale.data[i % 4]) + Number(B.data[i % 4]);
        assert.ok(Math.abs(Number(Y.data[n * 12 + i]) - w) < 1e-5);
      }
    }
    assert.throws(() => runOp(layerNormalization, [X, tensor([3], [1, 2, 3])], [], { opset: 17 }), /does not broadcast/);
  });

  it('GroupNormalization takes per-group scale in opset 18 and per-channel scale in opset 21', () => {
    const X = randTensor(r, [1, 4, 3]);
    const stats = [0, 1].map((g) => {
      const v = Array.from(X.data.slice(g * 6, g * 6 + 6) as Float32Array);
      return [mean(v), Math.sqrt(pvar(v) + 1e-5)];
    });
    const norm = Array.from(X.data as Float32Array, (x, i) => { const [mu, sd] = stats[Math.floor(i / 6)]; return (x - mu) / sd; });
    const [Y18] = runOp(groupNormalization18, [X, tensor([2], [2, 3]), tensor([2], [1, -1])], [attr.int('num_groups', 2)], { opset: 18 });
    assertClose(Y18, [1, 4, 3], norm.map((v, i) => (i < 6 ? 2 * v + 1 : 3 * v - 1)));
    const sc = [1, 2, 3, 4];
    const [Y21] = runOp(groupNormalization21, [X, tensor([4], sc), tensor([4], [0, 0, 0, 1])], [attr.int('num_groups', 2)], { opset: 21 });
    assertClose(Y21, [1, 4, 3], norm.map((v, i) => sc[Math.floor(i / 3)] * v + (i >= 9 ? 1 : 0)));
    assert.throws(() => runOp(groupNormalization21, [X, tensor([2], [1, 1]), tensor([2], [0, 0])], [attr.int('num_groups', 2)], { opset: 21 }), /4 elements \(channels, opset 21\)/);
    assert.throws(() => runOp(groupNormalization18, [X, tensor([3], [1, 1, 1]), tensor([3], [0, 0, 0])], [attr.int('num_groups', 3)], { opset: 18 }), /not divisible by num_groups 3/);
  });

  it('RMSNormalization divides by the root mean square', () => {
    const X = tensor([2, 2], [3, 4, 0, 0], DataType.DOUBLE);
    const [Y] = runOp(rmsNormalization, [X, tensor([2], [1, 2], DataType.DOUBLE)], [attr.float('epsilon', 0.5)], { opset: 23 });
    const d = Math.sqrt(12.5 + 0.5);
    assertClose(Y, [2, 2], [3 / d, 8 / d, 0, 0], 1e-12, 1e-12);
  });
});

describe('nn ops: LRN, LpNormalization, MeanVarianceNormalization', () => {
  it('LRN sums squares over the channel window', () => {
    const X = tensor([1, 3, 1, 1], [1, 2, 3]);
    const [Y] = runOp(lrn, [X], [attr.int('size', 2), attr.float('alpha', 0.5), attr.float('beta', 1), attr.float('bias', 1)]);
    // size 2: window [c, c+1]; alpha/size = 0.25.
    assertClose(Y, [1, 3, 1, 1], [1 / (1 + 0.25 * 5), 2 / (1 + 0.25 * 13), 3 / (1 + 0.25 * 9)]);
  });

  it('LpNormalization divides by the L1/L2 norm, zero norm giving zeros', () => {
    const X = tensor([2, 2], [3, 4, 0, 0]);
    assertClose(runOp(lpNormalization, [X], [attr.int('p', 2)])[0], [2, 2], [0.6, 0.8, 0, 0]);
    assertClose(runOp(lpNormalization, [X], [attr.int('p', 1), attr.int('axis', 0)])[0], [2, 2], [1, 1, 0, 0]);
    assert.throws(() => runOp(lpNormalization, [X], [attr.int('p', 3)]), /p must be 1 or 2/);
  });

  it('MeanVarianceNormalization uses the spec formula over the given axes', () => {
    const X = tensor([2, 2], [1, 3, 5, 9]);
    const [Y] = runOp(meanVarianceNormalization, [X], [attr.ints('axes', [1])], { opset: 13 });
    assertClose(Y, [2, 2], [-1 / (1 + 1e-9), 1 / (1 + 1e-9), -2 / (2 + 1e-9), 2 / (2 + 1e-9)]);
  });
});

describe('nn ops: Softmax / LogSoftmax / Hardmax', () => {
  const X = tensor([2, 2], [1, 2, 3, 4]);
  const sm = (v: number[]): number[] => { const e = v.map(Math.exp); const s = e.reduce((a, b) => a + b, 0); return e.map((x) => x / s); };

  it('opset 13 works along one axis, opset < 13 over the 2-D coerced tail', () => {
    const [s13, s1] = [softmaxOps[1], softmaxOps[0]];
    assertClose(runOp(s13, [X], [attr.int('axis', 0)], { opset: 13 })[0], [2, 2], [...sm([1, 3]), ...sm([2, 4])].map((_, i, a) => [a[0], a[2], a[1], a[3]][i]));
    // Opset 11, axis 0: the whole tensor is one row.
    assertClose(runOp(s1, [X], [attr.int('axis', 0)], { opset: 11 })[0], [2, 2], sm([1, 2, 3, 4]));
    const X3 = tensor([1, 2, 2], [1, 2, 3, 4]);
    assertClose(runOp(s1, [X3], [], { opset: 11 })[0], [1, 2, 2], sm([1, 2, 3, 4]));
    assertClose(runOp(s13, [X3], [], { opset: 13 })[0], [1, 2, 2], [...sm([1, 2]), ...sm([3, 4])]);
    const ls = runOp(logSoftmaxOps[1], [tensor([3], [1000, 1001, 1002])], [], { opset: 13 })[0];
    assertClose(ls, [3], sm([0, 1, 2]).map(Math.log), 1e-5);
  });

  it('Hardmax marks the first maximum', () => {
    const T = tensor([2, 3], [1, 3, 3, 2, 2, 2]);
    assertClose(runOp(hardmaxOps[1], [T], [], { opset: 13 })[0], [2, 3], [0, 1, 0, 1, 0, 0]);
    assertClose(runOp(hardmaxOps[0], [T], [attr.int('axis', 0)], { opset: 11 })[0], [2, 3], [0, 1, 0, 0, 0, 0]);
    assert.throws(() => runOp(hardmaxOps[1], [T], [attr.int('axis', 2)], { opset: 13 }), /axis 2 is out of range for rank 2/);
  });
});
