// Writes a fixed model beside the original as <name>.fixed.onnx (then .fixed-2.onnx, …), never
// overwriting without being told to, never outside the model's folder, and never half-written:
// the bytes go to a temporary file in the same folder that is then renamed into place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { Model } from '../onnx/ir';
import { encodeModel } from '../onnx/write';
import { FixError } from './types';

/** The path a fixed model of `originalPath` is written to: the first free `.fixed[-N].onnx` name. */
export function fixedModelPath(originalPath: string, overwrite = false): string {
  const dir = path.dirname(path.resolve(originalPath));
  const base = path.basename(originalPath).replace(/\.onnx$/i, '').replace(/\.fixed(-\d+)?$/, '');
  for (let k = 1; k < 1000; k++) {
    const p = path.join(dir, `${base}.fixed${k === 1 ? '' : `-${k}`}.onnx`);
    if (overwrite || !fs.existsSync(p)) return p;
  }
  throw new FixError(`${originalPath}: 999 fixed models exist beside it already; remove some`);
}

/**
 * Encodes `model` and writes it beside `originalPath`; returns the written path. `target` may name
 * the file (it must stay in the original's folder and not be the original); an existing target
 * is replaced only with `overwrite`.
 */
export function writeFixedModel(originalPath: string, model: Model, opts: { overwrite?: boolean; target?: string } = {}): string {
  const original = path.resolve(originalPath);
  const dir = path.dirname(original);
  const target = opts.target ? path.resolve(dir, opts.target) : fixedModelPath(original, opts.overwrite);
  if (path.dirname(target) !== dir) throw new FixError(`${target}: a fixed model is written beside the original, in ${dir}`);
  if (target === original) throw new FixError(`${target}: refusing to overwrite the original model; choose another name`);
  if (fs.existsSync(target) && !opts.overwrite) throw new FixError(`${target} exists; pass overwrite to replace it`);
  const bytes = encodeModel(model);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new FixError(`${target}: could not write the fixed model (${(err as Error).message})`);
  }
  return target;
}
