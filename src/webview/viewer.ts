// The model viewer webview: renders what the host sends (loading, summary, error) and posts what
// the user does. It holds no model and computes no analysis (see src/protocol/viewer.ts).
import type { FromViewerMessage, InitMessage, ToViewerMessage, VerdictsMessage } from '../protocol/viewer';
import { clear, h } from './dom';
import { LayerList, layerSection, LayerState } from './layerTable';
import { docSection, histogramSection, ioSection, metadataSection, summarySection } from './sections';

interface VsCodeApi {
  postMessage(message: FromViewerMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

/** What survives the webview being hidden and re-created: the layer list state and the scroll offset. */
interface ViewState extends LayerState {
  scrollY: number;
}

function savedState(): ViewState {
  const s = vscode.getState() as Partial<ViewState> | undefined;
  return {
    query: typeof s?.query === 'string' ? s.query : '',
    reluOnly: s?.reluOnly === true,
    pages: typeof s?.pages === 'number' && s.pages >= 1 ? s.pages : 1,
    scrollY: typeof s?.scrollY === 'number' && s.scrollY >= 0 ? s.scrollY : 0,
  };
}

function saveState(patch: Partial<ViewState>): void {
  vscode.setState({ ...savedState(), ...patch });
}

function header(fileName: string, enabled: boolean): HTMLElement {
  const text = h('button', { id: 'open-text', testid: 'open-as-text', type: 'button', class: 'secondary', disabled: !enabled }, 'Open as Text');
  const analyze = h('button', { id: 'analyze', testid: 'analyze', type: 'button', disabled: !enabled }, 'Analyze Activations');
  text.addEventListener('click', () => vscode.postMessage({ type: 'openAsText' }));
  analyze.addEventListener('click', () => vscode.postMessage({ type: 'analyze' }));
  return h('header', { id: 'header', class: 'header' }, h('h1', { id: 'model-name', testid: 'model-name' }, fileName), h('div', { class: 'actions' }, text, analyze));
}

function showLoading(fileName: string, detail: string): void {
  current = undefined;
  clear(app);
  app.setAttribute('aria-busy', 'true');
  app.append(
    header(fileName, false),
    h('div', { id: 'status', testid: 'status', class: 'status', role: 'status' }, h('progress', { 'aria-label': 'Loading model' }), h('span', { id: 'status-detail' }, detail)),
  );
}

function showError(fileName: string, message: string): void {
  current = undefined;
  clear(app);
  app.removeAttribute('aria-busy');
  app.append(
    header(fileName, false),
    h('div', { id: 'status', testid: 'error', class: 'status error', role: 'alert' }, h('strong', {}, 'This model could not be opened. '), h('span', { id: 'error-message' }, message)),
  );
}

/** The layer list of the model on screen, and the generation its layers belong to. */
let current: { generation: number; list: LayerList } | undefined;
/** The latest analysis's verdicts (they may arrive before the model). */
let verdicts: VerdictsMessage | undefined;

function showModel(m: InitMessage): void {
  const s = m.summary;
  const saved = savedState();
  clear(app);
  app.removeAttribute('aria-busy');
  app.append(
    header(m.fileName, true),
    h('div', { class: 'grid' }, summarySection(s, m.byteLength), ioSection(s), histogramSection(s), metadataSection(s), docSection(s)),
  );
  const list = layerSection(s.layers, m.layerCount, saved, (st) => saveState(st), (index) => vscode.postMessage({ type: 'revealLayer', index }), verdicts);
  app.append(list.element);
  current = { generation: m.generation, list };
  window.scrollTo(0, saved.scrollY);
}

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  if (scrollTimer) clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => saveState({ scrollY: Math.round(window.scrollY) }), 200);
});

window.addEventListener('message', (e: MessageEvent<ToViewerMessage>) => {
  const m = e.data;
  switch (m?.type) {
    case 'loading': {
      const detail = document.getElementById('status-detail');
      if (detail && app.getAttribute('aria-busy') === 'true') detail.textContent = m.detail;
      else showLoading(m.fileName, m.detail);
      return;
    }
    case 'init':
      showModel(m);
      return;
    case 'layers':
      if (current?.generation === m.generation) current.list.append(m.layers);
      return;
    case 'error':
      showError(m.fileName, m.message);
      return;
    case 'verdicts':
      verdicts = m.verdicts.length ? m : undefined;
      current?.list.setVerdicts(verdicts);
      return;
  }
});

// "/" jumps to the layer search, as in many list UIs.
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (e.key === '/' && !(t instanceof HTMLInputElement) && !e.ctrlKey && !e.metaKey && !e.altKey) {
    const search = document.getElementById('layer-search');
    if (search) {
      e.preventDefault();
      search.focus();
    }
  }
});

vscode.postMessage({ type: 'ready' });
