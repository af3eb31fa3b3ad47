// NumPy .npz archives (zip of .npy files, as written by np.savez / np.savez_compressed): one tensor
// per entry, keyed by the entry name without `.npy` (for model inputs: the input name).
import * as fs from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { Tensor } from '../runtime/tensor';
import { DataFileError, decodeNpy, encodeNpy } from './npy';

/** Largest total uncompressed size accepted from one archive. */
export const MAX_NPZ_BYTES = 4 * 1024 ** 3;

/** Reads a .npz file from disk. */
export function loadNpz(file: string): Record<string, Tensor> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DataFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeNpz(bytes, file);
}

/** Decodes .npz bytes into tensors by key; `label` names the file in errors. */
export function decodeNpz(bytes: Uint8Array, label: string): Record<string, Tensor> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new DataFileError(`${label}: not a .npz file (not a zip archive)`);
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_NPZ_BYTES) throw new DataFileError(`${label}: archive expands to more than 4 GiB; refusing to read it`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(`${label}: corrupt .npz archive (${(e as Error).message})`);
  }
  const out: Record<string, Tensor> = {};
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    out[key] = decodeNpy(data, `${label}[${key}]`);
  }
  if (Object.keys(out).length === 0) throw new DataFileError(`${label}: the archive holds no arrays`);
  return out;
}

/** Encodes tensors as an uncompressed .npz archive. */
export function encodeNpz(tensors: Record<string, Tensor>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, t] of Object.entries(tensors)) files[`${k}.npy`] = encodeNpy(t);
  return zipSync(files, { level: 0 });
}
