// Finds sample data near a model for the "Analyze Activations" quick pick: .npy / .npz / .pb files,
// test_data_set_* folders and image folders in the model's folder and its direct subfolders.
// Reads folder listings only (bounded), never follows symbolic links, never leaves the model's folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model } from '../onnx/ir';
import { checkSampleShape, convertData, inputSpecs } from './inputs';
import { readNpyHeader } from './npy';

/** A data file or folder that openSampleSource can read. */
export interface DataCandidate {
  /** Absolute path, inside the model's folder. */
  path: string;
  kind: 'npy' | 'npz' | 'pb' | 'test-data-sets' | 'images';
  /** Path relative to the model's folder, for display. */
  label: string;
  /** A short description ("3 test data sets", "120 images"). */
  detail: string;
  /** Checked against the model when one is given (.npy only): does the array fit its input? */
  fits?: boolean;
}

/** Most folder entries looked at per folder. */
export const MAX_ENTRIES = 5000;

const IMAGE = /\.(png|jpe?g|bmp|p[pgn]m|tiff?)$/i;
const ORDER: Record<DataCandidate['kind'], number> = { 'test-data-sets': 0, npz: 1, npy: 2, images: 3, pb: 4 };

function list(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).slice(0, MAX_ENTRIES);
  } catch {
    return [];
  }
}

/** Data candidates for the model at `modelPath`, most likely first (with `model`: .npy files that fit its input first). */
export function discoverData(modelPath: string, model?: Model): DataCandidate[] {
  const root = path.dirname(path.resolve(modelPath));
  const out: DataCandidate[] = [];
  const add = (p: string, kind: DataCandidate['kind'], detail: string): void => {
    out.push({ path: p, kind, label: path.relative(root, p) || '.', detail });
  };
  const scan = (dir: string, depth: number): void => {
    const entries = list(dir);
    const sets = entries.filter((e) => e.isDirectory() && /^test_data_set_\d+$/.test(e.name));
    if (sets.length) add(dir, 'test-data-sets', `${sets.length} test data set${sets.length === 1 ? '' : 's'}`);
    const images = entries.filter((e) => e.isFile() && IMAGE.test(e.name)).length;
    if (images && depth > 0) add(dir, 'images', `${images} image${images === 1 ? '' : 's'}`);
    const pbs = entries.filter((e) => e.isFile() && /\.pb$/i.test(e.name) && !/^output_\d+\.pb$/i.test(e.name));
    if (pbs.length && depth > 0 && /^test_data_set_\d+$/.test(path.basename(dir)) === false) add(dir, 'pb', `${pbs.length} tensor file${pbs.length === 1 ? '' : 's'}`);
    for (const e of entries) {
      if (!e.isFile()) continue;
      const p = path.join(dir, e.name);
      if (/\.npy$/i.test(e.name)) add(p, 'npy', sizeLabel(p));
      else if (/\.npz$/i.test(e.name)) add(p, 'npz', sizeLabel(p));
      else if (/\.pb$/i.test(e.name) && depth === 0) add(p, 'pb', 'tensor file');
    }
    if (depth === 0) {
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && !/^test_data_set_\d+$/.test(e.name)) scan(path.join(dir, e.name), 1);
      }
      if (sets.length === 1) add(path.join(dir, sets[0].name), 'pb', 'one test data set');
    }
  };
  scan(root, 0);
  if (model) for (const c of out) c.fits = fits(c, model);
  const rank = (c: DataCandidate): number => (c.fits === false ? 10 : 0) + ORDER[c.kind];
  return out.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label, 'en', { numeric: true }));
}

/** For .npy files: whether the array's shape fits the model's single input (other kinds: undefined, not checked). */
function fits(c: DataCandidate, model: Model): boolean | undefined {
  if (c.kind !== 'npy') return undefined;
  try {
    const specs = inputSpecs(model);
    if (specs.length !== 1) return false;
    const fd = fs.openSync(c.path, 'r');
    const head = new Uint8Array(4096);
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    const h = readNpyHeader(head, c.path);
    checkSampleShape(specs[0], h.shape, {}, c.path);
    convertData({ dtype: h.dtype, shape: [0], data: new Float32Array(0) }, specs[0].dtype, c.path, specs[0].name);
    return true;
  } catch {
    return false;
  }
}

function sizeLabel(p: string): string {
  try {
    const n = fs.statSync(p).size;
    return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
  } catch {
    return '';
  }
}
