// The viewer's static sections: model facts, doc string, metadata, inputs/outputs and the op
// histogram. Every model string enters the DOM as a text node.
import type { ModelSummary, ValueSummary } from '../protocol/viewer';
import { Child, h } from './dom';
import { bytes, shapeParts, thousands } from './format';

/** A titled section card. */
export function section(id: string, title: string, ...body: Child[]): HTMLElement {
  return h('section', { id, class: 'card', testid: id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

/** The key facts: producer, IR version, opsets, graph, counts. */
export function summarySection(s: ModelSummary, byteLength: number): HTMLElement {
  const producer = [s.producerName, s.producerVersion].filter(Boolean).join(' ');
  const rows: Array<[string, Child, string]> = [
    ['Producer', producer || h('span', { class: 'muted' }, 'not recorded'), 'producer'],
    ['IR version', String(s.irVersion), 'ir-version'],
    ['Opsets', s.opsets.length ? s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ') : h('span', { class: 'muted' }, 'none'), 'opsets'],
    ['Graph', s.graphName || h('span', { class: 'muted' }, 'unnamed'), 'graph-name'],
    ['Nodes', thousands(s.nodeCount), 'node-count'],
    ['Parameters', `${thousands(s.parameterCount)} (${bytes(s.parameterBytes)})`, 'parameter-count'],
    ['ReLU sites', thousands(s.reluSites.length), 'relu-site-count'],
    ['File size', bytes(byteLength), 'file-size'],
  ];
  if (s.domain) rows.push(['Domain', s.domain, 'domain']);
  if (s.modelVersion) rows.push(['Model version', String(s.modelVersion), 'model-version']);
  if (s.functions) rows.push(['Functions', thousands(s.functions), 'functions']);
  return section(
    'summary',
    'Model',
    h('dl', { id: 'summary-list', class: 'facts' }, ...rows.flatMap(([k, v, id]) => [h('dt', {}, k), h('dd', { testid: id }, v)])),
  );
}

/** Text that folds behind a <details> toggle when it is long, so one huge value cannot swamp the page. */
export function longText(text: string, limit = 160): HTMLElement {
  if (text.length <= limit) return h('span', { class: 'pre' }, text);
  return h('details', { class: 'long' }, h('summary', {}, `${text.slice(0, limit - 40)}… (${text.length.toLocaleString('en-US')} characters)`), h('span', { class: 'pre' }, text));
}

/** The model doc string, when there is one. */
export function docSection(s: ModelSummary): HTMLElement | null {
  return s.docString ? section('doc', 'Documentation', h('pre', { id: 'doc-string', class: 'doc' }, s.docString)) : null;
}

/** metadata_props as a stacked key/value list, when there are any (keys can be long too). */
export function metadataSection(s: ModelSummary): HTMLElement | null {
  if (!s.metadata.length) return null;
  const items = s.metadata.flatMap((m) => [h('dt', {}, h('code', {}, m.key)), h('dd', {}, longText(m.value))]);
  return section('metadata', 'Metadata', h('dl', { id: 'metadata-list', testid: 'metadata-list', class: 'stacked' }, ...items));
}

/** A shape with symbolic dims marked (class "sym"). */
export function shapeCell(v: ValueSummary): HTMLElement {
  const parts = shapeParts(v.shape);
  const code = h('code', { class: 'type' }, v.dtype);
  if (parts === null) return code;
  code.append('[');
  parts.forEach((p, i) => {
    if (i) code.append(',');
    code.append(p.symbolic ? h('span', { class: 'sym', title: p.text === '?' ? 'unknown size' : 'symbolic dimension' }, p.text) : p.text);
  });
  code.append(']');
  return code;
}

/** Rows shown before a long input/output list folds (models with weights as inputs have hundreds). */
const VALUE_ROWS = 10;

function valueRows(values: readonly ValueSummary[]): HTMLElement {
  return h('tbody', {}, ...values.map((v) => h('tr', {}, h('td', {}, h('code', {}, v.name)), h('td', {}, shapeCell(v)))));
}

function valueTable(id: string, values: readonly ValueSummary[], noun: string): HTMLElement {
  if (!values.length) return h('p', { id, class: 'muted' }, 'none');
  const head = () => h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type')));
  const table = h('table', { id, testid: id }, head(), valueRows(values.slice(0, VALUE_ROWS)));
  if (values.length <= VALUE_ROWS) return table;
  const rest = values.length - VALUE_ROWS;
  return h(
    'div',
    {},
    table,
    h('details', { class: 'more-values' }, h('summary', {}, `${thousands(rest)} more ${noun}`), h('table', { id: `${id}-more`, testid: `${id}-more` }, head(), valueRows(values.slice(VALUE_ROWS)))),
  );
}

/** Inputs and outputs with dtype and shape. */
export function ioSection(s: ModelSummary): HTMLElement {
  return section('io', 'Inputs and outputs', h('h3', {}, 'Inputs'), valueTable('inputs-table', s.inputs, 'inputs'), h('h3', {}, 'Outputs'), valueTable('outputs-table', s.outputs, 'outputs'));
}

/** The op histogram as a bar list (bar widths set through the CSSOM, never a style attribute). */
export function histogramSection(s: ModelSummary): HTMLElement {
  const max = s.opHistogram.reduce((m, o) => Math.max(m, o.count), 1);
  const items = s.opHistogram.map((o) => {
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
    bar.style.width = `${Math.max(1, (100 * o.count) / max).toFixed(1)}%`;
    return h('li', {}, h('span', { class: 'op' }, o.op), h('span', { class: 'track' }, bar), h('span', { class: 'count' }, thousands(o.count)));
  });
  return section('ops', 'Operators', h('ol', { id: 'op-histogram', testid: 'op-histogram', class: 'histogram' }, ...items));
}
