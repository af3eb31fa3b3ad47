// Renders a model in ONNX's textual syntax, following onnx.printer (to_text) so onnx.parser
// reads it back, with one node per line and a map between lines and nodes.
// Deviations from the printer, each on purpose:
// - Initializers print their type and name only (`float[64,3,7,7] conv1.weight`), never values;
//   the parser reads that as a value_info declaration.
// - Quoted strings also escape control characters (\n, \r, \t, \uXXXX), so a hostile name can
//   never break the one-node-per-line layout; the parser reads them back as plain letters.
// - Raw-printed names (domains, op types, attribute names) that are not plain identifiers are
//   quoted the same way, so they stay on one line.
// - Constant tensors with more than MAX_VALUES elements print their first MAX_VALUES values and a
//   trailing `# N values, first 16 shown` comment; the parser accepts the short list.
// - With `shapes`, each node line ends in a `# type, …` comment with its inferred output types.
import { Attribute, DataType, Dim, Graph, Model, Node, OnnxFunction, OnnxTensor, TypeInfo, ValueInfo } from './ir';
import { dtypeName } from './dtype';
import { tensorValues } from './tensor-data';

/** The text of a model and the mapping between its lines and nodes. */
export interface TextView {
  text: string;
  lines: string[];
  /** 0-based first line of each node, subgraph and function nodes included. */
  nodeLines: Map<Node, number>;
  /** The node each line belongs to (continuation lines of a node with subgraphs map to it too). */
  lineNodes: (Node | undefined)[];
  /** A node by name, else by one of its output names (main graph first). */
  findNode(nameOrOutput: string): Node | undefined;
}

/** Most tensor values printed per Constant tensor. */
export const MAX_VALUES = 16;

const utf8 = new TextDecoder('utf-8');
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A string literal: quotes and backslashes escaped as the printer does, control chars too. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** An identifier as the printer writes it: bare when valid, else quoted. */
export function ident(s: string): string {
  return IDENT.test(s) ? s : quote(s);
}

/** A name the printer writes raw (domain, op type, attribute name): raw when safe, else quoted. */
function raw(s: string): string {
  return /^[A-Za-z0-9_.\-:]+$/.test(s) ? s : quote(s);
}

/** Shortest round-trip decimal as C++ std::to_chars prints it (fixed or scientific, the shorter). */
export function formatFloat(x: number, single: boolean): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  const pick = (p: number) => {
    const e = x.toExponential(p - 1);
    const [m, ex] = e.split('e');
    digits = m.replace('-', '').replace('.', '');
    exp = Number(ex);
  };
  if (single) {
    for (let p = 1; p <= 9; p++) {
      pick(p);
      if (Math.fround(Number(x.toExponential(p - 1))) === x) break;
    }
  } else {
    const e = x.toExponential();
    const [m, ex] = e.split('e');
    digits = m.replace('-', '').replace('.', '');
    exp = Number(ex);
  }
  digits = digits.replace(/0+$/, '') || '0';
  const sign = x < 0 ? '-' : '';
  const sci = digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '') + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  let fixed: string;
  if (exp >= digits.length - 1) fixed = digits + '0'.repeat(exp - digits.length + 1);
  else if (exp >= 0) fixed = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  else fixed = '0.' + '0'.repeat(-exp - 1) + digits;
  return sign + (sci.length < fixed.length ? sci : fixed);
}

function dimText(d: Dim): string {
  if (d === null) return '?';
  return typeof d === 'number' ? String(d) : ident(d);
}

function shapeText(shape: Dim[] | undefined): string {
  if (shape === undefined) return '[]';
  return shape.length ? `[${shape.map(dimText).join(',')}]` : '';
}

/** A type as the printer writes it (`float[N,3]`, `float` for scalars, `float[]` for unknown rank). */
export function typeText(t: TypeInfo | undefined): string {
  if (!t) return '';
  switch (t.kind) {
    case 'tensor': return dtypeName(t.elemType) + shapeText(t.shape);
    case 'sparse_tensor': return `sparse_tensor(${dtypeName(t.elemType)}${shapeText(t.shape)})`;
    case 'sequence': return `seq(${typeText(t.elem)})`;
    case 'optional': return `optional(${typeText(t.elem)})`;
    case 'map': return `map(${dtypeName(t.keyType)}, ${typeText(t.value)})`;
    default: return '';
  }
}

function valueInfoText(v: ValueInfo): string {
  return `${typeText(v.type)} ${ident(v.name)}`;
}

/** Tensor values as `{1,2,3}`, capped at MAX_VALUES; `note` receives the cap remark. */
function tensorData(t: OnnxTensor, note: string[]): string {
  if (t.storage.kind === 'external') return ' [external data]';
  let vals;
  try {
    vals = tensorValues(t);
  } catch {
    return '...';
  }
  const dt = t.dataType;
  const n = Math.min(vals.length, MAX_VALUES);
  if (vals.length > MAX_VALUES) note.push(`${vals.length} values, first ${MAX_VALUES} shown`);
  const parts: string[] = [];
  if (dt === DataType.STRING) {
    for (let i = 0; i < n; i++) parts.push(quote(String(vals[i])));
    return '{' + parts.join(', ') + '}';
  }
  if (dt === DataType.COMPLEX64 || dt === DataType.COMPLEX128 || dt === DataType.INT4 || dt === DataType.UINT4 || dt === DataType.FLOAT4E2M1 || dt === DataType.INT2 || dt === DataType.UINT2) return '...';
  for (let i = 0; i < n; i++) {
    const v = vals[i] as number | bigint;
    parts.push(typeof v === 'bigint' ? v.toString() : dt === DataType.FLOAT ? formatFloat(v, true) : dt === DataType.DOUBLE ? formatFloat(v, false) : String(v));
  }
  return ' {' + parts.join(',') + '}';
}

function tensorText(t: OnnxTensor, note: string[]): string {
  const dims = t.dims.length ? `[${t.dims.join(',')}]` : '';
  return dtypeName(t.dataType) + dims + (t.name ? ' ' + ident(t.name) : '') + tensorData(t, note);
}

/** Builds the lines; nodes with subgraph attributes span several lines. */
class Writer {
  lines: string[] = [];
  lineNodes: (Node | undefined)[] = [];
  nodeLines = new Map<Node, number>();
  byName = new Map<string, Node>();
  byOutput = new Map<string, Node>();
  cur = '';
  curNode: Node | undefined;
  constructor(readonly shapes: ReadonlyMap<string, TypeInfo> | undefined) {}

  /** Ends the current line. */
  nl(): void {
    this.lines.push(this.cur);
    this.lineNodes.push(this.curNode);
    this.cur = '';
  }

  attr(a: Attribute, indent: number, note: string[]): void {
    const head = `${raw(a.name)}: ${a.type} = `;
    if (a.refAttrName !== undefined && a.refAttrName !== '') {
      this.cur += `${head.slice(0, -1)}@${raw(a.refAttrName)}`;
      return;
    }
    this.cur += head;
    switch (a.type) {
      case 'int': case 'float':
        this.cur += a.type === 'float' ? formatFloat(a.value, true) : String(a.value);
        break;
      case 'ints': this.cur += `[${a.value.join(', ')}]`; break;
      case 'floats': this.cur += `[${a.value.map((f) => formatFloat(f, true)).join(', ')}]`; break;
      case 'string': this.cur += quote(utf8.decode(a.value)); break;
      case 'strings': this.cur += a.value.length ? `[${a.value.map((s) => quote(utf8.decode(s))).join(', ')}]` : ''; break;
      case 'tensor': this.cur += tensorText(a.value, note); break;
      case 'tensors': this.cur += `[${a.value.map((t) => tensorText(t, note)).join(', ')}]`; break;
      case 'graph': this.graph(a.value, indent + 3); break;
      case 'graphs':
        this.cur += '[';
        a.value.forEach((g, i) => {
          if (i) this.cur += ', ';
          this.graph(g, indent + 3);
        });
        this.cur += ']';
        break;
      case 'type_proto': this.cur += typeText(a.value); break;
      case 'type_protos': this.cur += `[${a.value.map(typeText).join(', ')}]`; break;
      default: break;
    }
  }

  node(n: Node, indent: number): void {
    const saved = this.curNode;
    this.curNode = n;
    this.nodeLines.set(n, this.lines.length);
    if (n.name && !this.byName.has(n.name)) this.byName.set(n.name, n);
    for (const o of n.outputs) if (o && !this.byOutput.has(o)) this.byOutput.set(o, n);
    const note: string[] = [];
    this.cur += ' '.repeat(indent);
    if (n.name) this.cur += `[${ident(n.name)}] `;
    this.cur += n.outputs.map(ident).join(', ') + ' = ' + (n.domain ? raw(n.domain) + '.' : '') + raw(n.opType);
    const hasGraph = n.attributes.some((a) => a.type === 'graph' || (a.type === 'graphs' && a.value.length > 0));
    const attrs = () => {
      if (!n.attributes.length) return;
      this.cur += ' <';
      n.attributes.forEach((a, i) => {
        if (i) this.cur += ', ';
        this.attr(a, indent, note);
      });
      this.cur += '>';
    };
    const firstLine = this.lines.length;
    if (!hasGraph) attrs();
    this.cur += ` (${n.inputs.map(ident).join(', ')})`;
    if (hasGraph) attrs();
    const comments = [...note];
    if (this.shapes) {
      const types = n.outputs.map((o) => (o ? typeText(this.shapes!.get(o)) || '?' : '')).filter((t) => t);
      if (types.length) comments.push(types.join(', '));
    }
    if (comments.length) {
      // A comment must sit on the node's first line; for a multi-line node, append it there.
      if (this.lines.length === firstLine) this.cur += ' # ' + comments.join('; ');
      else this.lines[firstLine] += ' # ' + comments.join('; ');
    }
    this.nl();
    this.curNode = saved;
  }

  /** A graph: `name (inputs) => (outputs) <inits> {` nodes `}` (closing brace left open on `cur`). */
  graph(g: Graph, indent: number): void {
    this.cur += `${ident(g.name)} (${g.inputs.map(valueInfoText).join(', ')}) => (${g.outputs.map(valueInfoText).join(', ')}) `;
    if (g.initializers.length || g.valueInfo.length) {
      const items = [...g.initializers.map((t) => `${dtypeName(t.dataType)}${t.dims.length ? `[${t.dims.join(',')}]` : ''} ${ident(t.name)}`), ...g.valueInfo.map(valueInfoText)];
      this.nl();
      this.cur += ' '.repeat(indent) + '<' + items.join(', ') + '>';
      this.nl();
    }
    this.cur += '{';
    this.nl();
    for (const n of g.nodes) this.node(n, indent);
    this.cur += ' '.repeat(indent - 3) + '}';
  }

  fn(f: OnnxFunction): void {
    this.cur += '<';
    this.nl();
    this.cur += `  domain: ${quote(f.domain)},`;
    this.nl();
    this.cur += `  opset_import: [${f.opsetImports.map((o) => `${quote(o.domain)} : ${o.version}`).join(',')}]`;
    this.nl();
    this.cur += '>';
    this.nl();
    const attrNames = [...f.attributeNames, ...f.attributeDefaults.map((a) => a.name)];
    this.cur += `${ident(f.name)} ${attrNames.length ? `<${attrNames.map(raw).join(',')}>` : ''}(${f.inputs.map(ident).join(', ')}) => (${f.outputs.map(ident).join(', ')})`;
    this.nl();
    this.cur += '{';
    this.nl();
    for (const n of f.nodes) this.node(n, 3);
    this.cur += '}';
  }
}

/** Renders `model` as ONNX text; `shapes` adds inferred output types as trailing comments. */
export function modelToText(model: Model, shapes?: ReadonlyMap<string, TypeInfo>): TextView {
  const w = new Writer(shapes);
  const header: string[] = [`   ir_version: ${model.irVersion}`, `   opset_import: [${model.opsetImports.map((o) => `${quote(o.domain)} : ${o.version}`).join(', ')}]`];
  if (model.producerName) header.push(`   producer_name: ${quote(model.producerName)}`);
  if (model.producerVersion) header.push(`   producer_version: ${quote(model.producerVersion)}`);
  if (model.domain) header.push(`   domain: ${quote(model.domain)}`);
  if (model.modelVersion) header.push(`   model_version: ${model.modelVersion}`);
  if (model.docString) header.push(`   doc_string: ${quote(model.docString)}`);
  if (model.metadata.length) header.push(`   metadata_props: [${model.metadata.map((m) => `${quote(m.key)}: ${quote(m.value)}`).join(', ')}]`);
  w.cur = '<';
  w.nl();
  header.forEach((h, i) => {
    w.cur = h + (i < header.length - 1 ? ',' : '');
    w.nl();
  });
  w.cur = '>';
  w.nl();
  w.graph(model.graph, 3);
  for (const f of model.functions) {
    w.nl();
    w.fn(f);
  }
  w.nl();
  const graphNodes = new Map<string, Node>();
  for (const n of model.graph.nodes) {
    if (n.name && !graphNodes.has(n.name)) graphNodes.set(n.name, n);
  }
  const outputs = new Map<string, Node>();
  for (const n of model.graph.nodes) for (const o of n.outputs) if (o && !outputs.has(o)) outputs.set(o, n);
  return {
    text: w.lines.join('\n'),
    lines: w.lines,
    nodeLines: w.nodeLines,
    lineNodes: w.lineNodes,
    findNode: (s) => graphNodes.get(s) ?? outputs.get(s) ?? w.byName.get(s) ?? w.byOutput.get(s),
  };
}
