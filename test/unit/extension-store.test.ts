// The extension glue against a fake `vscode`: the model store's caching, size limit, retry and
// reload-on-change, and the viewer's ready → loading → init / error handshake.
import { strict as assert } from 'node:assert';
import { fake, installFakeVscode, Uri, EventEmitter } from './extension-fake-vscode';

installFakeVscode();
// Loaded after the fake is installed, so their `import * as vscode` gets the fake.
const { ModelStore } = require('../../src/extension/modelStore') as typeof import('../../src/extension/modelStore');
const { ModelViewerProvider } = require('../../src/extension/modelViewerProvider') as typeof import('../../src/extension/modelViewerProvider');

type Job = { type: string; path: string; bytes?: Uint8Array };

/** A pool stand-in: records jobs, answers from `answer`. */
function fakePool(answer: (job: Job, progress?: (d: string) => void) => Promise<unknown>) {
  const jobs: Job[] = [];
  return {
    jobs,
    run(job: Job, opts: { progress?: (d: string) => void } = {}) {
      jobs.push(job);
      return answer(job, opts.progress);
    },
  };
}

const summary = { nodeCount: 3, layers: [] as unknown[] };
const ok = (job: Job, progress?: (d: string) => void) => {
  progress?.('Decoding the model…');
  return Promise.resolve(job.type === 'text' ? { text: 'graph', layerLines: [1] } : { summary, byteLength: 10 });
};
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('extension: ModelStore', () => {
  beforeEach(() => {
    fake.reset();
    fake.files.set('/m/a.onnx', new Uint8Array(10));
    fake.files.set('/m/b.onnx', new Uint8Array(10));
  });

  it('loads a file model once by path in the worker and caches it', async () => {
    const pool = fakePool(ok);
    const store = new ModelStore(pool as never);
    const uri = Uri.file('/m/a.onnx') as never;
    const progress: string[] = [];
    const r1 = await store.summary(uri, (d) => progress.push(d));
    const r2 = await store.summary(uri);
    assert.equal(r1, r2);
    assert.deepEqual(pool.jobs, [{ type: 'summarize', path: '/m/a.onnx' }]);
    assert.deepEqual(progress, ['Reading 10 B…', 'Decoding the model…']);
    assert.equal(fake.watchers.length, 1);
    assert.equal(fake.watchers[0].pattern.pattern, 'a.onnx');
    assert.equal(fake.watchers[0].pattern.base.path, '/m');
    store.dispose();
  });

  it('reads non-file URIs itself and sends the bytes', async () => {
    const pool = fakePool(ok);
    const store = new ModelStore(pool as never);
    await store.summary(Uri.from({ scheme: 'git', path: '/m/a.onnx', query: 'ref' }) as never);
    assert.equal(pool.jobs[0].path, '/m/a.onnx');
    assert.equal(pool.jobs[0].bytes?.byteLength, 10);
    assert.equal(fake.watchers.length, 0);
    store.dispose();
  });

  it('refuses files above reluDoctor.maxModelSizeMB without starting a job', async () => {
    fake.files.set('/m/huge.onnx', new Uint8Array(3 * 1024 * 1024));
    fake.config.set('reluDoctor.maxModelSizeMB', 2);
    const pool = fakePool(ok);
    const store = new ModelStore(pool as never);
    await assert.rejects(store.summary(Uri.file('/m/huge.onnx') as never), /^Error: huge\.onnx is 3\.1 MB, above reluDoctor\.maxModelSizeMB \(2 MB\); raise the setting to open it\.$/);
    assert.equal(pool.jobs.length, 0);
    store.dispose();
  });

  it('names the file when it cannot be read', async () => {
    const store = new ModelStore(fakePool(ok) as never);
    await assert.rejects(store.summary(Uri.file('/m/gone.onnx') as never), /gone\.onnx: cannot read the file/);
    store.dispose();
  });

  it('retries after a failure instead of caching it', async () => {
    let fail = true;
    const pool = fakePool((job) => (fail ? Promise.reject(new Error('a.onnx: truncated')) : ok(job)));
    const store = new ModelStore(pool as never);
    const uri = Uri.file('/m/a.onnx') as never;
    await assert.rejects(store.summary(uri), /truncated/);
    fail = false;
    assert.equal((await store.summary(uri)).byteLength, 10);
    assert.equal(pool.jobs.length, 2);
    store.dispose();
  });

  it('reloads after the file changes and tells listeners once', async () => {
    const pool = fakePool(ok);
    const store = new ModelStore(pool as never);
    const uri = Uri.file('/m/a.onnx') as never;
    await store.summary(uri);
    await store.text(uri);
    const changed: string[] = [];
    store.onDidChange((u) => changed.push(u.toString()));
    fake.watchers[0].change.fire(uri);
    fake.watchers[0].change.fire(uri);
    await tick(350);
    assert.deepEqual(changed, ['file:///m/a.onnx']);
    await store.summary(uri);
    assert.deepEqual(pool.jobs.map((j) => j.type), ['summarize', 'text', 'summarize']);
    store.dispose();
  });

  it('keeps retained models and evicts old unretained ones (disposing their watchers)', async () => {
    const store = new ModelStore(fakePool(ok) as never);
    const held = store.retain(Uri.file('/m/a.onnx') as never);
    for (const n of ['b', 'c', 'd', 'e']) {
      fake.files.set(`/m/${n}.onnx`, new Uint8Array(1));
      await store.summary(Uri.file(`/m/${n}.onnx`) as never);
    }
    const alive = fake.watchers.filter((w) => !w.disposed).map((w) => w.pattern.pattern);
    assert.deepEqual(alive, ['a.onnx', 'd.onnx', 'e.onnx']);
    held.dispose();
    store.dispose();
    assert.ok(fake.watchers.every((w) => w.disposed));
  });
});

/** A fake webview panel recording what the provider posts. */
function fakePanel() {
  const received = new EventEmitter<unknown>();
  const posted: Array<{ type: string; [k: string]: unknown }> = [];
  const webview = {
    options: {} as { localResourceRoots?: Array<{ path: string }>; enableScripts?: boolean },
    html: '',
    cspSource: 'vscode-webview://x',
    asWebviewUri: (u: Uri) => Uri.from({ scheme: 'https', path: u.path }),
    postMessage: async (m: { type: string }) => {
      posted.push(m);
      return true;
    },
    onDidReceiveMessage: received.event,
  };
  const disposed = new EventEmitter<void>();
  const panel = { webview, active: true, onDidChangeViewState: new EventEmitter<unknown>().event, onDidDispose: disposed.event };
  return { panel, webview, posted, send: (m: unknown) => received.fire(m), close: () => disposed.fire() };
}

describe('extension: ModelViewerProvider', () => {
  beforeEach(() => {
    fake.reset();
    fake.files.set('/m/a.onnx', new Uint8Array(10));
  });

  function setup(answer: Parameters<typeof fakePool>[0]) {
    const store = new ModelStore(fakePool(answer) as never);
    const calls: string[] = [];
    const actions = {
      openAsText: (u: { path: string }) => calls.push(`text ${u.path}`),
      analyze: (u: { path: string }) => calls.push(`analyze ${u.path}`),
      revealLayer: (u: { path: string }, i: number) => calls.push(`reveal ${u.path} ${i}`),
    };
    const context = { extensionUri: Uri.file('/ext') };
    const { provider } = ModelViewerProvider.register(context as never, store, actions as never);
    const doc = provider.openCustomDocument(Uri.file('/m/a.onnx') as never);
    const p = fakePanel();
    provider.resolveCustomEditor(doc, p.panel as never);
    return { store, calls, p, provider, doc };
  }

  it('sets a locked-down webview and answers ready with loading then init', async () => {
    const { p, store, provider } = setup(ok);
    assert.equal(fake.registered[0].viewType, 'reluDoctor.modelViewer');
    assert.deepEqual(p.webview.options.localResourceRoots?.map((u) => u.path), ['/ext/dist/webview', '/ext/media']);
    assert.match(p.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.ok(!p.webview.html.includes('a.onnx'), 'no model data in the HTML');
    assert.equal(provider.activeModel?.path, '/m/a.onnx');
    p.send({ type: 'ready' });
    await tick();
    assert.deepEqual(p.posted.map((m) => m.type), ['loading', 'loading', 'loading', 'init']);
    assert.deepEqual(p.posted[p.posted.length - 1], { type: 'init', generation: 1, fileName: 'a.onnx', byteLength: 10, summary, layerCount: 0 });
    store.dispose();
  });

  it('sends the one-line error for a bad model', async () => {
    const { p, store } = setup(() => Promise.reject(new Error('a.onnx: not an ONNX model (bad wire type 7 at byte 3); re-export it')));
    p.send({ type: 'ready' });
    await tick();
    assert.deepEqual(p.posted[p.posted.length - 1], { type: 'error', fileName: 'a.onnx', message: 'a.onnx: not an ONNX model (bad wire type 7 at byte 3); re-export it' });
    store.dispose();
  });

  it('routes button messages to the actions and ignores malformed ones', async () => {
    const { p, calls, store } = setup(ok);
    p.send({ type: 'openAsText' });
    p.send({ type: 'analyze' });
    p.send({ type: 'revealLayer', index: 4 });
    p.send({ type: 'revealLayer', index: 'x' });
    p.send({ type: 'eval', code: '1' });
    assert.deepEqual(calls, ['text /m/a.onnx', 'analyze /m/a.onnx', 'reveal /m/a.onnx 4']);
    store.dispose();
  });

  it('sends a big model\'s layers after init, in order, all of one generation', async () => {
    const layers = Array.from({ length: 25_000 }, (_, index) => ({ index }));
    const big = { nodeCount: layers.length, layers };
    const { p, store } = setup(() => Promise.resolve({ summary: big, byteLength: 1 }));
    p.send({ type: 'ready' });
    await tick(10);
    const sent = p.posted.filter((m) => m.type === 'init' || m.type === 'layers') as Array<{ type: string; generation: number; layerCount?: number; summary?: { layers: Array<{ index: number }> }; layers?: Array<{ index: number }> }>;
    assert.deepEqual(sent.map((m) => m.type), ['init', 'layers', 'layers', 'layers']);
    assert.equal(sent[0].layerCount, 25_000);
    const got = [...sent[0].summary!.layers, ...sent.slice(1).flatMap((m) => m.layers!)].map((l) => l.index);
    assert.deepEqual(got, layers.map((l) => l.index));
    assert.ok(sent.every((m) => m.generation === 1));
    store.dispose();
  });

  it('stops posting after the panel closes', async () => {
    const { p, store } = setup(ok);
    p.close();
    p.send({ type: 'ready' });
    await tick();
    assert.equal(p.posted.length, 0);
    store.dispose();
  });
});
