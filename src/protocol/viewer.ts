// The messages between the extension host and the model viewer webview. Both sides import these
// types; the file holds only types and pure helpers, so the webview bundle pulls in no Node code.
import type { ModelSummary } from '../onnx/summary';

export type { ModelSummary, LayerSummary, ValueSummary } from '../onnx/summary';

/** The host is reading the model; the viewer shows a progress state. */
export interface LoadingMessage {
  readonly type: 'loading';
  /** The file's base name, for the heading. */
  readonly fileName: string;
  /** What is happening now, e.g. "Reading 312 MB…". */
  readonly detail: string;
}

/** The model was summarized; the viewer renders it (sent after `ready`, and again after the file changes). */
export interface InitMessage {
  readonly type: 'init';
  readonly fileName: string;
  /** File size in bytes. */
  readonly byteLength: number;
  readonly summary: ModelSummary;
}

/** The model could not be loaded; `message` is the loader's one-line error. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly fileName: string;
  readonly message: string;
}

/** Everything the host sends to the viewer. */
export type ToViewerMessage = LoadingMessage | InitMessage | ErrorMessage;

/** The viewer's script is running and wants its data (custom-editor-sample handshake). */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** The user asked for the model's textual form. */
export interface OpenAsTextMessage {
  readonly type: 'openAsText';
}

/** The user asked to analyze activations. */
export interface AnalyzeMessage {
  readonly type: 'analyze';
}

/** The user asked to see one layer (node) in the text view. */
export interface RevealLayerMessage {
  readonly type: 'revealLayer';
  /** Index of the node in the main graph. */
  readonly index: number;
}

/** Everything the viewer sends to the host. */
export type FromViewerMessage = ReadyMessage | OpenAsTextMessage | AnalyzeMessage | RevealLayerMessage;

/** Narrows an untrusted value posted by the webview to a FromViewerMessage, or undefined. */
export function parseFromViewer(value: unknown): FromViewerMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as { type?: unknown; index?: unknown };
  switch (m.type) {
    case 'ready':
    case 'openAsText':
    case 'analyze':
      return { type: m.type };
    case 'revealLayer':
      return Number.isSafeInteger(m.index) && (m.index as number) >= 0 ? { type: 'revealLayer', index: m.index as number } : undefined;
    default:
      return undefined;
  }
}
