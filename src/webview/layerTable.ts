// The searchable, filterable, paged layer list. The full list stays in memory (it may still be
// arriving in chunks); the DOM holds only the visible page(s). Clicking a layer's name asks the
// host to show that node in the text view. After an analysis, a Verdict column shows each ReLU
// layer's dead / proven dead / dormant units.
import type { LayerSummary, NodeVerdict, VerdictsMessage } from '../protocol/viewer';
import { clear, h } from './dom';
import { countLabel, filterLayers, LayerFilter, PAGE_SIZE, searchIndex, visibleRows } from './layers';
import { thousands } from './format';
import { section } from './sections';

/** The user's list state, persisted across webview reloads. */
export interface LayerState {
  query: string;
  reluOnly: boolean;
  pages: number;
}

/** The layers section and a way to add layers that arrive later. */
export interface LayerList {
  readonly element: HTMLElement;
  /** Appends layers (graph order, after those already held). */
  append(layers: readonly LayerSummary[]): void;
  /** Shows (or, with an empty list, hides) the latest analysis's verdicts. */
  setVerdicts(m: VerdictsMessage | undefined): void;
}

/** Builds the layers section; `onState` hears every state change, `onReveal` a layer activation. */
export function layerSection(
  initial: readonly LayerSummary[],
  total: number,
  state: LayerState,
  onState: (s: LayerState) => void,
  onReveal: (index: number) => void,
  verdicts?: VerdictsMessage,
): LayerList {
  let byNode = verdictMap(verdicts);
  const layers: LayerSummary[] = initial.slice();
  const index = searchIndex(layers);
  const search = h('input', { id: 'layer-search', testid: 'layer-search', type: 'search', placeholder: 'Search name, op, output or shape', 'aria-label': 'Search layers', spellcheck: 'false' });
  search.value = state.query;
  const reluOnly = h('input', { id: 'relu-only', testid: 'relu-only', type: 'checkbox' });
  reluOnly.checked = state.reluOnly;
  const count = h('span', { id: 'layer-count', testid: 'layer-count', role: 'status' });
  const body = h('tbody', {});
  const more = h('button', { id: 'show-more', testid: 'show-more', type: 'button', class: 'secondary' }, 'Show more');
  const table = h(
    'table',
    { id: 'layer-table', testid: 'layer-table', class: 'layers' },
    h('thead', {}, h('tr', {}, ...['#', 'Name', 'Op', 'Verdict', 'Output shapes', 'Parameters'].map((t) => h('th', { scope: 'col', class: t === 'Verdict' ? 'verdict' : undefined }, t)))),
    body,
  );
  const source = h('p', { id: 'verdict-source', testid: 'verdict-source', class: 'muted' });
  const showSource = (m: VerdictsMessage | undefined) => {
    const on = !!m && m.verdicts.length > 0;
    table.classList.toggle('has-verdicts', on);
    source.hidden = !on;
    source.textContent = on ? `Verdicts from the last analysis: ${m.source}${m.random ? ' (RANDOM inputs, not your data)' : ''}.` : '';
    source.classList.toggle('random', on && m.random);
  };
  showSource(verdicts);

  const filter = (): LayerFilter => ({ query: search.value, reluOnly: reluOnly.checked });
  let matches: number[] = [];
  let shown = 0;
  // Adds rows up to the current page limit, then refreshes the count line and the "Show more" button.
  const fill = () => {
    const limit = visibleRows(matches.length, state.pages);
    for (; shown < limit; shown++) body.appendChild(row(layers[matches[shown]], onReveal, byNode));
    const f = filter();
    const loading = layers.length < total ? ` — loading layers (${thousands(layers.length)} of ${thousands(total)})…` : '';
    count.textContent = countLabel(shown, matches.length, layers.length, f.query.trim() !== '' || f.reluOnly) + loading;
    more.hidden = shown >= matches.length;
    more.textContent = `Show more (${thousands(Math.min(matches.length - shown, PAGE_SIZE))} of ${thousands(matches.length - shown)} remaining)`;
  };
  const render = () => {
    matches = filterLayers(layers, index, filter());
    shown = 0;
    clear(body);
    fill();
  };
  const changed = () => {
    state = { query: search.value, reluOnly: reluOnly.checked, pages: 1 };
    onState(state);
    render();
  };
  // Debounce typing on big models; small ones filter on every key.
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(changed, total > 5000 ? 150 : 0);
  });
  reluOnly.addEventListener('change', changed);
  more.addEventListener('click', () => {
    state = { ...state, pages: state.pages + 1 };
    onState(state);
    fill();
  });
  render();

  const element = section(
    'layers',
    'Layers',
    h('div', { class: 'toolbar' }, search, h('label', { class: 'check' }, reluOnly, 'ReLU sites only'), count),
    source,
    h('div', { class: 'table-wrap' }, table),
    more,
  );
  return {
    element,
    append(added) {
      const start = layers.length;
      layers.push(...added);
      index.push(...searchIndex(added));
      const f = filter();
      for (const i of filterLayers(added, index.slice(start), f)) matches.push(start + i);
      fill();
    },
    setVerdicts(m) {
      byNode = verdictMap(m);
      showSource(m);
      // Re-draw the rows on screen with their verdicts (same rows, same count).
      const n = shown;
      clear(body);
      shown = 0;
      for (; shown < n; shown++) body.appendChild(row(layers[matches[shown]], onReveal, byNode));
    },
  };
}

function verdictMap(m: VerdictsMessage | undefined): Map<number, NodeVerdict> {
  return new Map((m?.verdicts ?? []).map((v) => [v.index, v]));
}

/** A ReLU layer's verdict cell: "20 / 32 dead" with severity colour and word, the details in its title. */
function verdictCell(v: NodeVerdict | undefined): HTMLElement {
  const td = h('td', { class: 'verdict' });
  if (!v) return td;
  const word = v.severity === 'error' ? 'error' : v.severity === 'warning' ? 'warning' : 'ok';
  td.append(
    h(
      'span',
      { class: `verdict-badge sev-${v.severity}`, testid: 'verdict', title: `${word}: ${v.dead} of ${v.units} units dead, ${v.provenDead} proven dead, ${v.dormant} dormant` },
      `${thousands(v.dead)} / ${thousands(v.units)} dead`,
    ),
  );
  if (v.provenDead) td.append(' ', h('span', { class: 'muted' }, `${thousands(v.provenDead)} proven`));
  if (v.dormant) td.append(' ', h('span', { class: 'muted' }, `${thousands(v.dormant)} dormant`));
  return td;
}

function row(l: LayerSummary, onReveal: (index: number) => void, verdicts: ReadonlyMap<number, NodeVerdict>): HTMLTableRowElement {
  const name = h('button', { type: 'button', class: 'link', title: 'Show this node in the text view', 'data-index': l.index }, l.name);
  name.addEventListener('click', () => onReveal(l.index));
  const op = h('td', {}, h('code', {}, l.domain && l.domain !== 'ai.onnx' ? `${l.domain}.${l.opType}` : l.opType));
  if (l.reluSite) op.append(' ', h('span', { class: 'badge', title: 'ReLU site: its units can die', testid: 'relu-badge' }, 'ReLU'));
  const shapes = h('td', { class: 'shapes' });
  l.outputShapes.forEach((s, i) => {
    if (i) shapes.append(h('br'));
    shapes.append(h('code', {}, s || '—'));
  });
  return h(
    'tr',
    { class: l.reluSite ? 'relu' : undefined, 'data-index': l.index },
    h('td', { class: 'num muted' }, l.index),
    h('td', { class: 'name' }, name),
    op,
    verdictCell(verdicts.get(l.index)),
    shapes,
    h('td', { class: 'num' }, l.parameters ? thousands(l.parameters) : ''),
  );
}
