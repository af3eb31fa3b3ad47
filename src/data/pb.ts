// ONNX TensorProto sample files: one .pb per input (`input_N.pb` of an ONNX test_data_set_* folder,
// or any tensor file whose stored name is an input's name), and folders of such sets.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTensorFile } from '../onnx/load';
import { tensorValues } from '../onnx/tensor-data';
import { DataType } from '../onnx/ir';
import { makeTensor, Tensor } from '../runtime/tensor';
import { InputSpec } from './inputs';
import { DataFileError } from './npy';

/** Reads one .pb TensorProto as a runtime tensor, with the name stored in it. */
export function readPbTensor(file: string): { name: string; tensor: Tensor } {
  const t = loadTensorFile(file);
  if (t.dataType === DataType.STRING) throw new DataFileError(`${file}: holds strings; ReLU analysis feeds numeric tensors only`);
  return { name: t.name, tensor: makeTensor(t.dataType, t.dims, tensorValues(t)) };
}

/** Sorts names with embedded numbers in numeric order (input_2 before input_10). */
export function naturalSort(names: string[]): string[] {
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The `test_data_set_*` subfolders of `dir`, in numeric order. */
export function listTestDataSets(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return naturalSort(entries.filter((e) => e.isDirectory() && /^test_data_set_\d+$/.test(e.name)).map((e) => e.name)).map((n) => path.join(dir, n));
}

/** The input .pb files of a folder: `input_N.pb` (or any `*.pb` except `output_*`), in order. */
export function listInputPbs(dir: string): string[] {
  const names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.pb') && !/^output_\d+\.pb$/i.test(n));
  return naturalSort(names).map((n) => path.join(dir, n));
}

/**
 * The feeds stored in one set folder (or a single .pb file), keyed by model input: a tensor whose
 * stored name is an input's name feeds it, else `input_N.pb` feeds the N-th input to feed.
 * Every input must be covered exactly once.
 */
export function readTensorSet(files: string[], specs: readonly InputSpec[], where: string): Record<string, Tensor> {
  if (files.length === 0) throw new DataFileError(`${where}: holds no .pb tensor files (expected input_0.pb, …)`);
  const feeds: Record<string, Tensor> = {};
  for (const file of files) {
    const { name, tensor } = readPbTensor(file);
    let spec = specs.find((s) => s.name === name);
    if (!spec) {
      const m = /^input_(\d+)\.pb$/i.exec(path.basename(file));
      spec = m ? specs[Number(m[1])] : specs.length === 1 && files.length === 1 ? specs[0] : undefined;
    }
    if (!spec) throw new DataFileError(`${file}: tensor '${name}' matches no model input (inputs: ${specs.map((s) => s.name).join(', ')}); name it after an input or call it input_N.pb`);
    if (feeds[spec.name]) throw new DataFileError(`${file}: input "${spec.name}" is given twice in ${where}`);
    feeds[spec.name] = tensor;
  }
  const missing = specs.filter((s) => !feeds[s.name]);
  if (missing.length) throw new DataFileError(`${where}: no tensor for input "${missing[0].name}" (add input_${missing[0].index}.pb)`);
  return feeds;
}
