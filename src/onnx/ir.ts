// The typed model IR: what every part of ReLU Doctor outside src/onnx/ sees of an ONNX file.
// Raw protobuf objects never leave src/onnx/; this file is the contract.
//
// Unknown-field policy: onnx-proto is generated from ONNX 1.10 (IR 8). Fields that it does
// not know (newer IR versions, vendor extensions) are kept as their raw wire bytes in
// `unknownFields` on the message that held them, and written back verbatim by write.ts.

/** ONNX TensorProto.DataType numbers (onnx.proto, IR 11). */
export enum DataType {
  UNDEFINED = 0,
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
  FLOAT8E8M0 = 24,
  UINT2 = 25,
  INT2 = 26,
}

/**
 * Decoded element storage, one JS array kind per dtype:
 * FLOAT Float32Array; DOUBLE Float64Array; INT8 Int8Array; UINT8/BOOL Uint8Array;
 * INT16 Int16Array; UINT16 Uint16Array; INT32 Int32Array; UINT32 Uint32Array;
 * INT64 BigInt64Array; UINT64 BigUint64Array; STRING string[] (UTF-8 decoded);
 * FLOAT16/BFLOAT16 Uint16Array of the raw bits; FLOAT8* / FLOAT8E8M0 / FLOAT4E2M1 Uint8Array of
 * the raw bits (one element per entry, unpacked); INT4/INT2 Int8Array, UINT4/UINT2 Uint8Array
 * (one element per entry, unpacked); COMPLEX64 Float32Array and COMPLEX128 Float64Array,
 * interleaved (re, im), so length is 2 × element count.
 */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

/** A dimension: a fixed size, a symbolic name (dim_param), or unknown (null). */
export type Dim = number | string | null;

/** Where a tensor's bytes live, as stored in the file. Decode with `tensorValues()` in tensor-data.ts. */
export type TensorStorage =
  /** raw_data: a zero-copy view into the model buffer. */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  /** The typed repeated fields (float_data, int32_data, ...), already converted to TensorValues. */
  | { readonly kind: 'fields'; readonly values: TensorValues }
  /** data_location = EXTERNAL; location is relative to the model's folder and was validated at load. */
  | {
      readonly kind: 'external';
      readonly location: string;
      readonly offset: number;
      readonly length: number | undefined;
      /** Every external_data key/value as stored (location, offset, length, checksum, …). */
      readonly entries: ReadonlyArray<readonly [string, string]>;
    };

/** A TensorProto: initializers, Constant values, attribute tensors, .pb sample files. */
export interface OnnxTensor {
  name: string;
  dataType: DataType;
  dims: number[];
  docString: string;
  storage: TensorStorage;
  /** Present for segmented tensors (rare); kept for round-trip. */
  segment?: { begin: number; end: number };
  unknownFields?: Uint8Array;
}

export interface SparseTensor {
  values: OnnxTensor;
  indices: OnnxTensor;
  dims: number[];
  unknownFields?: Uint8Array;
}

/** A TypeProto. */
export type TypeInfo =
  | { kind: 'tensor'; elemType: DataType; shape?: Dim[]; denotation?: string }
  | { kind: 'sparse_tensor'; elemType: DataType; shape?: Dim[]; denotation?: string }
  | { kind: 'sequence'; elem?: TypeInfo; denotation?: string }
  | { kind: 'map'; keyType: DataType; value?: TypeInfo; denotation?: string }
  | { kind: 'optional'; elem?: TypeInfo; denotation?: string }
  /** A type onnx-proto cannot express (e.g. opaque); its raw bytes are kept. */
  | { kind: 'unknown'; raw?: Uint8Array; denotation?: string };

export interface ValueInfo {
  name: string;
  type?: TypeInfo;
  docString: string;
  unknownFields?: Uint8Array;
}

export type AttributeType =
  | 'float'
  | 'int'
  | 'string'
  | 'tensor'
  | 'graph'
  | 'sparse_tensor'
  | 'type_proto'
  | 'floats'
  | 'ints'
  | 'strings'
  | 'tensors'
  | 'graphs'
  | 'sparse_tensors'
  | 'type_protos'
  | 'undefined';

/**
 * A node attribute, decoded by its declared type. Integers are JS numbers (exact below 2^53;
 * ±(2^63−1) map to ±Number.MAX_SAFE_INTEGER-saturated values and are written back as INT64 max/min).
 * Strings are raw bytes (ONNX strings are bytes); use attrString() to read them as UTF-8.
 */
export type Attribute = {
  name: string;
  docString?: string;
  /** Set inside function bodies: the attribute takes the calling node's attribute of this name. */
  refAttrName?: string;
  unknownFields?: Uint8Array;
} & (
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: Uint8Array }
  | { type: 'tensor'; value: OnnxTensor }
  | { type: 'graph'; value: Graph }
  | { type: 'sparse_tensor'; value: SparseTensor }
  | { type: 'type_proto'; value: TypeInfo }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: Uint8Array[] }
  | { type: 'tensors'; value: OnnxTensor[] }
  | { type: 'graphs'; value: Graph[] }
  | { type: 'sparse_tensors'; value: SparseTensor[] }
  | { type: 'type_protos'; value: TypeInfo[] }
  | { type: 'undefined'; value: undefined }
);

export interface Node {
  /** The node's name as stored (may be empty; use nodeLabel() for display). */
  name: string;
  opType: string;
  /** '' is the default ONNX domain ('ai.onnx'). */
  domain: string;
  /** Input value names; '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
  docString: string;
  unknownFields?: Uint8Array;
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: OnnxTensor[];
  sparseInitializers: SparseTensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
  docString: string;
  /** quantization_annotation entries, kept opaque (raw message bytes). */
  quantizationAnnotation: Uint8Array[];
  unknownFields?: Uint8Array;
}

/** A model-local function (FunctionProto). */
export interface OnnxFunction {
  name: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Attribute names without defaults. */
  attributeNames: string[];
  /** Attributes with default values. */
  attributeDefaults: Attribute[];
  nodes: Node[];
  opsetImports: OpsetImport[];
  docString: string;
  unknownFields?: Uint8Array;
}

export interface Model {
  irVersion: number;
  opsetImports: OpsetImport[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: Graph;
  metadata: Array<{ key: string; value: string }>;
  /** training_info entries, kept opaque (raw message bytes). */
  trainingInfo: Uint8Array[];
  functions: OnnxFunction[];
  unknownFields?: Uint8Array;
  /** Where the model came from; `dir` anchors external data. Not part of the file. */
  source: ModelSource;
}

export interface ModelSource {
  /** Absolute path of the .onnx file, when loaded from disk. */
  path?: string;
  /** Folder that external data locations are relative to. */
  dir?: string;
  byteLength: number;
}

/** Error raised for a model that cannot be loaded; `message` is one line naming file and what to do. */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}
