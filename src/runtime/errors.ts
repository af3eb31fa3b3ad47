// Errors the executor raises: a kernel failure wrapped with its node, the list of unsupported ops
// of a model, an op's refusal of a variant it does not implement (marked `code: 'unsupported'`),
// a cancelled run, and a refused allocation. Each message is one line.
import { Node } from '../onnx/ir';

/** How errors name a node: `node "conv1" (Conv)`, or by index and first output when unnamed. */
export function describeNode(node: Node, index: number): string {
  if (node.name) return `node "${node.name}" (${node.opType})`;
  const out = node.outputs.find((o) => o !== '');
  return out ? `node #${index} (${node.opType}, output "${out}")` : `node #${index} (${node.opType})`;
}

/** A failure while planning or running one node; `message` starts with the node's description. */
export class NodeError extends Error {
  constructor(
    message: string,
    readonly nodeName: string,
    readonly opType: string,
    readonly nodeIndex: number,
    options?: { cause?: unknown; code?: typeof UNSUPPORTED },
  ) {
    super(message, options);
    this.name = 'NodeError';
    if (options?.code) this.code = options.code;
  }
  /** 'unsupported' when the node failed because its op refuses this variant (see `unsupported`). */
  readonly code?: typeof UNSUPPORTED;
}

/** The `code` of errors that mean "not implemented here" rather than "wrong model" or "bug". */
export const UNSUPPORTED = 'unsupported';

/**
 * Marks `err` as a refusal: the op does not implement this (valid) variant, e.g. training-mode
 * Dropout or an attribute value the spec allows. Use as `throw unsupported(nodeError(node, '…'))`.
 */
export function unsupported<E extends Error>(err: E): E {
  (err as E & { code?: string }).code = UNSUPPORTED;
  return err;
}

/** True for an UnsupportedError, an error marked by `unsupported`, or a NodeError wrapping one. */
export function isUnsupported(err: unknown): boolean {
  return err instanceof Error && (err as Error & { code?: unknown }).code === UNSUPPORTED;
}

/** Wraps any error thrown for `node` as a NodeError naming it (kept as is when already wrapped). */
export function wrapNodeError(err: unknown, node: Node, index: number): Error {
  if (err instanceof NodeError || isAbortError(err)) return err as Error;
  let msg = err instanceof Error ? err.message : String(err);
  // Kernels that already name their node (`Conv node 'conv1': …`) would be named twice.
  const own = new RegExp(`^${escapeRegExp(node.opType)} node (?:'[^']*'|\\([^)]*\\)): `);
  msg = msg.replace(own, '').replace(/\s*\n\s*/g, ' ');
  const code = isUnsupported(err) ? UNSUPPORTED : undefined;
  return new NodeError(`${describeNode(node, index)}: ${msg}`, node.name, node.opType, index, { cause: err, code });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The model needs ops (or value types, or op variants) the executor lacks; lists every one of them
 * at once. `refused` holds the nodes whose op refused their attributes at plan time, each described.
 */
export class UnsupportedError extends Error {
  readonly code = UNSUPPORTED;
  constructor(readonly ops: readonly string[], readonly other: readonly string[] = [], readonly refused: readonly string[] = []) {
    const parts: string[] = [];
    if (ops.length) parts.push(`unsupported ops: ${ops.join(', ')}`);
    if (other.length) parts.push(`unsupported: ${other.join(', ')}`);
    if (refused.length) parts.push(`unsupported variants: ${refused.join('; ')}`);
    super(parts.join('; '));
    this.name = 'UnsupportedError';
  }
}

/** A run stopped by its AbortSignal; `name` is 'AbortError' as for fetch and DOM APIs. */
export class AbortError extends Error {
  constructor(message = 'run cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for an error raised by a cancelled run. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** The model graph itself is malformed (cycle, undefined value, duplicate output). */
export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphError';
  }
}
