// The contract between the executor and one operator implementation (one file per op under ops/).
import { DataType, Node, TensorValues } from '../onnx/ir';
import { Tensor } from './tensor';

/** What an op's `parse` sees once per node, at plan time. */
export interface PlanContext {
  readonly node: Node;
  /** The opset version of the node's domain imported by the model (or function). */
  readonly opset: number;
  /** Static input tensors known at plan time (initializers, constants), by input index. */
  readonly constantInputs: ReadonlyArray<Tensor | undefined>;
}

/** What an op's `run` sees on every execution. */
export interface RunContext {
  readonly node: Node;
  readonly opset: number;
  /**
   * Allocates storage for an output of the given dtype and shape; refuses (throws a one-line error
   * naming the node) a tensor above the executor's memory limit. Prefer it over `new Float32Array`.
   */
  alloc(dtype: DataType, shape: readonly number[]): TensorValues;
  /** Runs a subgraph attribute (If/Loop/Scan bodies) with outer-scope values visible. */
  runSubgraph?(graphAttr: string, inputs: ReadonlyArray<Tensor | undefined>): Tensor[];
}

/**
 * One version of one operator. `since` is the opset where this behaviour begins; the registry
 * picks the highest `since` not above the model's opset for the node's domain.
 */
export interface OpDef<A = unknown> {
  readonly domain: string; // '' is ai.onnx
  readonly opType: string;
  readonly since: number;
  /**
   * How float16 / bfloat16 / float8 inputs are handled. 'widen' (default): the executor converts
   * them to float32 before `run` and converts float32 outputs back to the input's dtype.
   * 'native': the op handles every dtype itself (Cast, Shape, Identity, Reshape, ...).
   */
  readonly lowPrecision?: 'widen' | 'native';
  /**
   * True for ops that take or give sequences and optionals (SequenceAt, Optional, Identity, ...):
   * `run` then receives the raw values (typed as tensors; the op checks with `isTensor`) and may
   * return sequences and optionals. Other ops only ever see tensors.
   */
  readonly values?: boolean;
  /** Parses and validates attributes once per node. Throws a one-line error naming the problem. */
  parse?(ctx: PlanContext): A;
  /** Computes the outputs; `inputs[i]` is undefined for an omitted optional input. */
  run(inputs: ReadonlyArray<Tensor | undefined>, attrs: A, ctx: RunContext): Tensor[];
}
