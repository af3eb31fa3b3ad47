// Typed attribute lookups on IR nodes: each returns the value or a default, and throws a one-line
// ModelError naming the node and attribute on a wrong type or a missing required attribute.
import { Attribute, Graph, ModelError, Node, OnnxTensor } from './ir';

const utf8 = new TextDecoder('utf-8');

/** "Relu node 'name'" or "Relu node (unnamed, output 'y')". */
export function nodeLabel(node: Node): string {
  const label = node.name ? `'${node.name}'` : `(unnamed, output '${node.outputs[0] ?? '?'}')`;
  return `${node.opType} node ${label}`;
}

/** The attribute called `name`, or undefined. */
export function findAttr(node: Node, name: string): Attribute | undefined {
  return node.attributes.find((a) => a.name === name);
}

type ValueOf<K extends Attribute['type']> = Extract<Attribute, { type: K }>['value'];

function get<K extends Attribute['type']>(node: Node, name: string, kinds: readonly K[], def: unknown): ValueOf<K> {
  const a = findAttr(node, name);
  if (!a) {
    if (def !== undefined) return def as ValueOf<K>;
    throw new ModelError(`${nodeLabel(node)}: required attribute '${name}' is missing; fix the model`);
  }
  if (!(kinds as readonly string[]).includes(a.type)) {
    throw new ModelError(`${nodeLabel(node)}: attribute '${name}' must be ${kinds.join(' or ')}, but is ${a.type}; fix the model`);
  }
  return a.value as ValueOf<K>;
}

/** An int attribute (default when absent; required when no default). */
export function attrInt(node: Node, name: string, def?: number): number {
  return get(node, name, ['int'], def);
}

/** A float attribute (an int attribute is accepted and widened). */
export function attrFloat(node: Node, name: string, def?: number): number {
  return get(node, name, ['float', 'int'], def);
}

/** A string attribute decoded as UTF-8. */
export function attrString(node: Node, name: string, def?: string): string {
  const a = findAttr(node, name);
  if (!a && def !== undefined) return def;
  return utf8.decode(get(node, name, ['string'], undefined));
}

/** An ints attribute. */
export function attrInts(node: Node, name: string, def?: number[]): number[] {
  return get(node, name, ['ints'], def);
}

/** A floats attribute. */
export function attrFloats(node: Node, name: string, def?: number[]): number[] {
  return get(node, name, ['floats'], def);
}

/** A strings attribute decoded as UTF-8. */
export function attrStrings(node: Node, name: string, def?: string[]): string[] {
  const a = findAttr(node, name);
  if (!a && def !== undefined) return def;
  return get(node, name, ['strings'], undefined).map((s) => utf8.decode(s));
}

/** A tensor attribute (decode its values with tensorValues()). */
export function attrTensor(node: Node, name: string): OnnxTensor;
export function attrTensor(node: Node, name: string, optional: true): OnnxTensor | undefined;
export function attrTensor(node: Node, name: string, optional = false): OnnxTensor | undefined {
  if (optional && !findAttr(node, name)) return undefined;
  return get(node, name, ['tensor'], undefined);
}

/** A graph attribute (If/Loop/Scan bodies). */
export function attrGraph(node: Node, name: string): Graph;
export function attrGraph(node: Node, name: string, optional: true): Graph | undefined;
export function attrGraph(node: Node, name: string, optional = false): Graph | undefined {
  if (optional && !findAttr(node, name)) return undefined;
  return get(node, name, ['graph'], undefined);
}

/** A graphs attribute. */
export function attrGraphs(node: Node, name: string, def?: Graph[]): Graph[] {
  return get(node, name, ['graphs'], def);
}
