// A minimal in-memory stand-in for the `vscode` module, enough for the extension glue under test
// (ModelStore, ModelViewerProvider, ReportPanels). `installFakeVscode()` makes `require('vscode')` return it.
import Module = require('node:module');
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...ds: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>) => {
    this.listeners.add(l);
    return new Disposable(() => this.listeners.delete(l));
  };
  fire(e: T): void {
    [...this.listeners].forEach((l) => l(e));
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string, readonly query = '') {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static from(c: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path, c.query ?? '');
  }
  static parse(s: string): Uri {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/)?([^?]*)(?:\?(.*))?$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1], decodeURIComponent(m[2]), m[3] ?? '');
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, path.posix.join(u.path, ...parts), u.query);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}`;
  }
}

export class RelativePattern {
  constructor(readonly base: Uri, readonly pattern: string) {}
}

/** A fake file watcher the test can trigger. */
export class FakeWatcher {
  readonly change = new EventEmitter<Uri>();
  readonly create = new EventEmitter<Uri>();
  readonly delete = new EventEmitter<Uri>();
  readonly onDidChange = this.change.event;
  readonly onDidCreate = this.create.event;
  readonly onDidDelete = this.delete.event;
  disposed = false;
  constructor(readonly pattern: RelativePattern) {}
  dispose(): void {
    this.disposed = true;
  }
}

export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 };

/** A fake webview: records what the host posts; `receive` plays a message from the page. */
export class FakeWebview {
  html = '';
  options: unknown = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(u: Uri): Uri {
    return Uri.from({ scheme: 'https', path: u.path });
  }
  postMessage(m: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(m)));
    return Promise.resolve(true);
  }
  receive(m: unknown): void {
    this.received.fire(m);
  }
}

/** A fake webview panel. */
export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  readonly viewColumn = 2;
  iconPath: unknown;
  revealed = 0;
  disposed = false;
  private readonly disposing = new EventEmitter<void>();
  readonly onDidDispose = this.disposing.event;
  constructor(readonly viewType: string, public title: string, readonly options: unknown) {}
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposing.fire();
  }
}

/** Test-controlled state behind the fake. */
export const fake = {
  files: new Map<string, Uint8Array>(),
  config: new Map<string, unknown>(),
  watchers: [] as FakeWatcher[],
  registered: [] as Array<{ viewType: string; provider: unknown; options: unknown }>,
  panels: [] as FakeWebviewPanel[],
  serializers: new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> | void }>(),
  commands: [] as unknown[][],
  messages: [] as Array<[string, string]>,
  saveDialogs: [] as unknown[],
  /** What the next save dialogs answer (undefined: cancelled). */
  saveAnswer: undefined as Uri | undefined,
  reset(): void {
    this.files.clear();
    this.config.clear();
    this.watchers.length = 0;
    this.registered.length = 0;
    this.panels.length = 0;
    this.serializers.clear();
    this.commands.length = 0;
    this.messages.length = 0;
    this.saveDialogs.length = 0;
    this.saveAnswer = undefined;
  },
};

export const commands = {
  async executeCommand(...args: unknown[]): Promise<unknown> {
    fake.commands.push(args);
    return undefined;
  },
};

export const workspace = {
  fs: {
    async stat(u: Uri) {
      const f = fake.files.get(u.path);
      if (!f) throw new Error(`ENOENT: ${u.path}`);
      return { size: f.byteLength, type: 1, ctime: 0, mtime: 0 };
    },
    async readFile(u: Uri) {
      const f = fake.files.get(u.path);
      if (!f) throw new Error(`ENOENT: ${u.path}`);
      return new Uint8Array(f);
    },
    async writeFile(u: Uri, bytes: Uint8Array) {
      fake.files.set(u.path, new Uint8Array(bytes));
    },
  },
  createFileSystemWatcher(p: RelativePattern) {
    const w = new FakeWatcher(p);
    fake.watchers.push(w);
    return w;
  },
  getConfiguration(section: string) {
    return { get: <T>(key: string, def: T): T => (fake.config.has(`${section}.${key}`) ? (fake.config.get(`${section}.${key}`) as T) : def) };
  },
};

export const window = {
  registerCustomEditorProvider(viewType: string, provider: unknown, options: unknown) {
    fake.registered.push({ viewType, provider, options });
    return new Disposable(() => undefined);
  },
  createWebviewPanel(viewType: string, title: string, _column: unknown, options: unknown) {
    const p = new FakeWebviewPanel(viewType, title, options);
    p.webview.options = options;
    fake.panels.push(p);
    return p;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> | void }) {
    fake.serializers.set(viewType, serializer);
    return new Disposable(() => fake.serializers.delete(viewType));
  },
  async showSaveDialog(options: unknown) {
    fake.saveDialogs.push(options);
    return fake.saveAnswer;
  },
  async showInformationMessage(text: string) {
    fake.messages.push(['info', text]);
    return undefined;
  },
  async showWarningMessage(text: string) {
    fake.messages.push(['warning', text]);
    return undefined;
  },
  async showErrorMessage(text: string) {
    fake.messages.push(['error', text]);
    return undefined;
  },
  createOutputChannel() {
    return { info: () => undefined, error: () => undefined, show: () => undefined, dispose: () => undefined };
  },
};

let installed = false;

/** Makes `require('vscode')` resolve to this module. */
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const m = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const original = m._resolveFilename;
  m._resolveFilename = function (req: string, ...rest: unknown[]) {
    return req === 'vscode' ? __filename : original.call(this, req, ...rest);
  };
}
