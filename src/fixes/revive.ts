// Fix "Revive dead units" (ReDo, Sokar et al. 2023): each dead unit gets fresh He-initialized
// incoming weights and a zero bias, and every layer it feeds gets zero weights from it. The model
// computes exactly what it did (the dead units contributed zeros; now their contribution is
// multiplied by zero), but the units fire again and can learn when training resumes.
//
// Through a BatchNormalization between the producer and the ReLU, the unit's BN is reset to the
// identity (scale 1, bias 0, mean 0, variance 1): its old statistics describe a dead unit, and
// a zero-bias He unit normalized by them could stay dead.
import { Model } from '../onnx/ir';
import { inferShapes } from '../onnx/shapes';
import { LayerReport } from '../analysis/report';
import { setSlice } from './axis';
import { resolveIncoming, UnitTensor } from './chain';
import { Outgoing, resolveOutgoing } from './consumers';
import { editableCopy, floatValues, initializerOf, label, replaceInitializer } from './edit';
import { normals } from './he-init';
import { FixError, FixResult } from './types';

/** The dead units of a layer: observed dead or proven dead, ascending. */
export function deadUnits(layer: LayerReport): number[] {
  return [...new Set([...layer.dead, ...layer.provenDead])].sort((a, b) => a - b);
}

/** Checks that revive can rewrite the layer (throws the FixError apply would throw). */
export function planRevive(model: Model, layer: LayerReport, types = inferShapes(model)): { inc: ReturnType<typeof resolveIncoming>; outg: Outgoing } {
  const inc = resolveIncoming(model, layer, types);
  const outg = resolveOutgoing(model, inc.output, inc.rank, inc.unitPos, inc.units, types, `layer "${layer.node}"`);
  if (outg.consumers.length === 0) throw new FixError(`layer "${layer.node}": no layer reads its units`);
  return { inc, outg };
}

/** Revives the dead units of a layer; outputs are unchanged, the units fire again. */
export function reviveUnits(model: Model, layer: LayerReport, seed: number): FixResult {
  const dead = deadUnits(layer);
  if (dead.length === 0) throw new FixError(`layer "${layer.node}" has no dead units to revive`);
  const { inc, outg } = planRevive(model, layer);
  const out = editableCopy(model);
  const edit = (t: UnitTensor, f: (v: Float32Array) => void): void => {
    const v = floatValues(out, initializerOf(out, t.name)!);
    f(v);
    replaceInitializer(out, t.name, v);
  };
  const list = dead.length > 8 ? `${dead.length} units` : `unit${dead.length > 1 ? 's' : ''} ${dead.join(', ')}`;
  const changes: string[] = [];

  const w = inc.weight;
  const std = Math.sqrt(2 / w.fanIn);
  const draws = normals(w.fanIn * dead.length, seed);
  for (let i = 0; i < draws.length; i++) draws[i] *= std;
  edit(w, (v) => dead.forEach((u, k) => setSlice(v, w.dims, w.axis, u, draws.subarray(k * w.fanIn, (k + 1) * w.fanIn))));
  changes.push(`${label(inc.producer)}: incoming weights of ${list} re-drawn from N(0, 2/${w.fanIn}) (seed ${seed})`);
  const zero = (t: UnitTensor | undefined, value = 0): void => {
    if (t) edit(t, (v) => dead.forEach((u) => setSlice(v, t.dims, t.axis, u, value)));
  };
  zero(inc.bias);
  if (inc.bias) changes.push(`${label(inc.producer)}: bias of ${list} set to 0`);
  if (inc.sharedBias) changes.push(`${label(inc.producer)}: bias "${inc.sharedBias}" is one value shared by all units; left as it is`);
  const bn = inc.batchNorm;
  if (bn) {
    zero(bn.scale, 1);
    zero(bn.bias, 0);
    zero(bn.mean, 0);
    zero(bn.variance, 1);
    changes.push(`${label(bn.node)}: ${list} reset to the identity (scale 1, bias 0, mean 0, variance 1)`);
  }
  for (const t of inc.offsets) {
    zero(t);
    changes.push(`${t.what}: ${list} set to 0`);
  }

  for (const c of outg.consumers) {
    const t = { name: c.weight, dims: c.dims, axis: c.axis, what: '' };
    edit(t, (v) => {
      for (const u of dead) {
        for (let k = 0; k < c.block; k++) {
          const idx = u * c.block + k;
          const g = Math.floor(idx / c.inPerGroup);
          setSlice(v, c.dims, c.axis, idx % c.inPerGroup, 0, c.group > 1 ? [g * c.outPerGroup, (g + 1) * c.outPerGroup] : undefined);
        }
      }
    });
    changes.push(`${label(c.node)}: outgoing weights from ${list} set to 0${c.block > 1 ? ` (${c.block} features per unit)` : ''}, so the outputs are unchanged`);
  }
  return { model: out, changes };
}
