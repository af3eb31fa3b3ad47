// Reads ONNX files into the IR: models (.onnx), TensorProto sample files (.pb) and the
// Sequence/Optional/Map .pb files of the conformance suite. Every failure is a one-line ModelError.
//
// Unknown fields: onnx-proto is generated from ONNX 1.10 (IR 8), so newer fields (NodeProto
// overload/metadata_props, ModelProto configuration, TensorProto metadata_props, …) are unknown
// to it. We decode with onnx-proto, and while converting each message we also walk that
// message's own wire bytes (wire.ts): every field number onnx-proto does not declare is kept
// verbatim in the IR's `unknownFields` and written back by write.ts. Nested messages are paired
// with their bytes by occurrence order. Newer enum values (dtypes 17–26, attribute types) arrive
// as plain ints and are kept. FunctionProto.attribute_proto (field 11) is decoded by number.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { Model, ModelError, OnnxTensor, TypeInfo } from './ir';
import { Ctx, convertModel, convertTensor } from './convert';
import { OnnxValue, decodeValue } from './value-file';
import { alignRawInPlace } from './tensor-data';

export type { OnnxValue } from './value-file';

/** Guess what a non-ONNX file is from its first bytes, for a helpful error. */
function sniff(b: Uint8Array): string | undefined {
  const head = (n: number): string => String.fromCharCode(...b.subarray(0, n));
  if (b[0] === 0x89 && head(4).slice(1) === 'PNG') return 'a PNG image';
  if (b[0] === 0x89 && head(4).slice(1) === 'HDF') return 'an HDF5 file (Keras?)';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'a JPEG image';
  if (head(4) === 'GIF8') return 'a GIF image';
  if (head(4) === 'PK\x03\x04') return 'a ZIP archive (a PyTorch checkpoint or .npz?)';
  if (head(4) === '\x93NUM') return 'a NumPy .npy file';
  if (head(8).slice(4) === 'TFL3') return 'a TensorFlow Lite model';
  if (head(24).startsWith('version https://git-lfs')) return 'a Git LFS pointer (run git lfs pull)';
  let i = 0;
  while (i < b.length && i < 64 && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  if (b[i] === 0x7b || b[i] === 0x5b) return 'JSON text';
  if (b[i] === 0x3c) return 'HTML/XML text';
  return undefined;
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function describe(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0];
}

/** A plain Uint8Array view (protobufjs then returns plain Uint8Array views, not Buffers). */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decode a model from its bytes; `source.path` names it in errors and `source.dir` anchors external data. */
export function decodeModel(bytes: Uint8Array, source: { path?: string; dir?: string }): Model {
  const file = source.path ?? 'model';
  const dir = source.dir ?? (source.path ? path.dirname(source.path) : undefined);
  const view = plain(bytes);
  if (view.length === 0) throw new ModelError(`${file}: the file is empty; re-export or re-download the model`);
  const kind = sniff(view);
  if (kind) throw new ModelError(`${file}: not an ONNX model (looks like ${kind}); open a .onnx file`);
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(view);
  } catch (e) {
    if (isStackOverflow(e)) throw new ModelError(`${file}: messages are nested too deeply to decode; the file is corrupt or hostile`);
    throw new ModelError(`${file}: not a valid ONNX model (protobuf decoding failed: ${describe(e)}); the file may be truncated or not ONNX`);
  }
  const ctx: Ctx = { file, dir };
  try {
    return convertModel(proto, view, ctx, { ...(source.path ? { path: source.path } : {}), ...(dir ? { dir } : {}), byteLength: view.length });
  } catch (e) {
    if (e instanceof ModelError) throw e;
    if (isStackOverflow(e)) throw new ModelError(`${file}: messages are nested too deeply to decode; the file is corrupt or hostile`);
    throw new ModelError(`${file}: malformed ONNX model (${describe(e)}); the file may be truncated or corrupt`);
  }
}

function readError(file: string, e: unknown): ModelError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ModelError(`${file}: file not found; check the path`);
  if (code === 'EISDIR') return new ModelError(`${file}: is a folder, not a model file; pick the .onnx file inside it`);
  if (code === 'EACCES' || code === 'EPERM') return new ModelError(`${file}: permission denied; check the file's permissions`);
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new ModelError(`${file}: too large to read (ONNX protobuf files are limited to 2 GB; use external data)`);
  return new ModelError(`${file}: cannot read the file (${describe(e)})`);
}

/** Load a model file synchronously. */
export function loadModel(file: string): Model {
  const abs = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    throw readError(file, e);
  }
  return decodePrivate(bytes, abs);
}

/** Load a model file, reading it asynchronously (decoding itself is synchronous). */
export async function loadModelAsync(file: string): Promise<Model> {
  const abs = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(abs);
  } catch (e) {
    throw readError(file, e);
  }
  return decodePrivate(bytes, abs);
}

/** Decodes a file buffer only this model uses, aligning its unaligned weights in place (no second copy of them). */
function decodePrivate(bytes: Uint8Array, abs: string): Model {
  const model = decodeModel(bytes, { path: abs, dir: path.dirname(abs) });
  alignRawInPlace(model.graph.initializers, bytes.buffer);
  return model;
}

/** Decode a TensorProto (.pb sample file); `label` names it in errors. Its external data, if any, has no folder to be read from. */
export function decodeTensor(bytes: Uint8Array, label: string): OnnxTensor {
  const view = plain(bytes);
  let proto: onnx.TensorProto;
  try {
    proto = onnx.TensorProto.decode(view);
  } catch (e) {
    throw new ModelError(`${label}: not a valid ONNX TensorProto (protobuf decoding failed: ${describe(e)}); the file may be truncated`);
  }
  try {
    return convertTensor(proto, view, { file: label });
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`${label}: malformed TensorProto (${describe(e)})`);
  }
}

function readSmall(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw readError(file, e);
  }
}

/** Load a TensorProto .pb file. */
export function loadTensorFile(file: string): OnnxTensor {
  return decodeTensor(readSmall(file), file);
}

/**
 * Load a conformance value file: a TensorProto, or a SequenceProto / OptionalProto / MapProto
 * when `expected` (the model's input/output type) says so. Without `expected`, a tensor.
 */
export function loadValueFile(file: string, expected?: TypeInfo): OnnxValue {
  const bytes = plain(readSmall(file));
  if (!expected || expected.kind === 'tensor') return { kind: 'tensor', tensor: decodeTensor(bytes, file) };
  try {
    return decodeValue(bytes, expected, { file });
  } catch (e) {
    if (e instanceof ModelError) throw e;
    if (isStackOverflow(e)) throw new ModelError(`${file}: values are nested too deeply to decode; the file is corrupt`);
    throw new ModelError(`${file}: malformed ${expected.kind} value file (${describe(e)})`);
  }
}
