// The op registry: one table of every OpDef, keyed by domain, op type and the opset where each
// version begins. `resolveOp` picks the highest `since` not above the model's opset.
import { OpDef } from './op';
import { allOps } from './ops';

/** The default ONNX domain is spelled '' or 'ai.onnx'; both map to ''. */
export function normalizeDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

/** `domain.OpType`, or just `OpType` in the default domain (how errors name an op). */
export function opName(domain: string, opType: string): string {
  const d = normalizeDomain(domain);
  return d ? `${d}.${opType}` : opType;
}

/** The result of a lookup: the op, or what versions exist when none fits. */
export type OpLookup =
  | { readonly ok: true; readonly def: OpDef<unknown> }
  | { readonly ok: false; readonly versions: readonly number[] };

/** A table of ops: lookups by (domain, op type, opset). */
export interface Registry {
  /** The OpDef with the highest `since` ≤ opset, or the versions that exist. */
  lookup(domain: string, opType: string, opset: number): OpLookup;
  /** The `since` versions registered for an op, ascending (empty when the op is unknown). */
  versions(domain: string, opType: string): readonly number[];
  /** Every registered op, as `domain.OpType` names, sorted. */
  names(): string[];
}

/** Builds a registry from a list of OpDefs; a duplicate (domain, op type, since) is a programming error. */
export function buildRegistry(defs: ReadonlyArray<OpDef<unknown>>): Registry {
  const table = new Map<string, OpDef<unknown>[]>();
  for (const def of defs) {
    const key = opName(def.domain, def.opType);
    const list = table.get(key) ?? [];
    if (list.some((d) => d.since === def.since)) {
      throw new Error(`op registry: ${key} since opset ${def.since} is registered twice`);
    }
    list.push(def);
    table.set(key, list);
  }
  for (const list of table.values()) list.sort((a, b) => a.since - b.since);
  return {
    lookup(domain, opType, opset) {
      const list = table.get(opName(domain, opType));
      if (!list) return { ok: false, versions: [] };
      let best: OpDef<unknown> | undefined;
      for (const d of list) if (d.since <= opset) best = d;
      return best ? { ok: true, def: best } : { ok: false, versions: list.map((d) => d.since) };
    },
    versions(domain, opType) {
      return (table.get(opName(domain, opType)) ?? []).map((d) => d.since);
    },
    names() {
      return [...table.keys()].sort();
    },
  };
}

/** A one-line description of a failed lookup: `Baz (opset 21, have 1, 13)` or `com.foo.Bar (opset 1)`. */
export function describeMissing(domain: string, opType: string, opset: number, versions: readonly number[]): string {
  const have = versions.length ? `, have ${versions.join(', ')}` : '';
  return `${opName(domain, opType)} (opset ${opset}${have})`;
}

let defaultRegistry: Registry | undefined;

/** The registry of every op ReLU Doctor implements (built on first use). */
export function getRegistry(): Registry {
  defaultRegistry ??= buildRegistry(allOps);
  return defaultRegistry;
}

/** Resolves an op in the default registry; throws a one-line error saying which versions exist. */
export function resolveOp(domain: string, opType: string, opset: number): OpDef<unknown> {
  const r = getRegistry().lookup(domain, opType, opset);
  if (r.ok) return r.def;
  throw new Error(`unsupported op: ${describeMissing(domain, opType, opset, r.versions)}`);
}
