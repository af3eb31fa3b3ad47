// The messages between the extension host and the model viewer webview. Both sides import these
// types; the file holds only types and pure helpers, so the webview bundle pulls in no Node code.
import type { LayerSummary, ModelSummary } from '../onnx/summary';
import type { Report } from '../analysis/report';

export type { ModelSummary, LayerSummary, ValueSummary } from '../onnx/summary';

/** The host is reading the model; the viewer shows a progress state. */
export interface LoadingMessage {
  readonly type: 'loading';
  /** The file's base name, for the heading. */
  readonly fileName: string;
  /** What is happening now, e.g. "Reading 312 MB…". */
  readonly detail: string;
}

/**
 * The model was summarized; the viewer renders it (sent after `ready`, and again after the file
 * changes). `summary.layers` holds only the first layers; the rest follow in `layers` messages.
 */
export interface InitMessage {
  readonly type: 'init';
  /** Increases with every send; `layers` messages of an older generation are stale. */
  readonly generation: number;
  readonly fileName: string;
  /** File size in bytes. */
  readonly byteLength: number;
  readonly summary: ModelSummary;
  /** How many layers the model has in all (≥ summary.layers.length). */
  readonly layerCount: number;
}

/** More layers of the model in `init`, in graph order, appended to those already sent. */
export interface LayersMessage {
  readonly type: 'layers';
  readonly generation: number;
  readonly layers: readonly LayerSummary[];
}

/** The model could not be loaded; `message` is the loader's one-line error. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly fileName: string;
  readonly message: string;
}

/** One ReLU layer's verdict from the latest analysis, keyed by its main-graph node index. */
export interface NodeVerdict {
  /** Index of the ReLU node in the main graph (LayerSummary.index). */
  readonly index: number;
  readonly units: number;
  readonly dead: number;
  readonly provenDead: number;
  readonly dormant: number;
  readonly severity: 'none' | 'warning' | 'error';
}

/** The verdicts of the latest analysis for the layer list (an empty list clears them). */
export interface VerdictsMessage {
  readonly type: 'verdicts';
  readonly verdicts: readonly NodeVerdict[];
  /** Where the samples came from, e.g. "360 samples from test.npy" ('' when clearing). */
  readonly source: string;
  /** The analysis ran on generated inputs. */
  readonly random: boolean;
}

/** Everything the host sends to the viewer. */
export type ToViewerMessage = LoadingMessage | InitMessage | LayersMessage | ErrorMessage | VerdictsMessage;

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

/** Layers in the `init` message: enough for the first screens, small enough to arrive at once. */
export const FIRST_LAYERS = 1000;
/** Layers per `layers` message after that. */
export const LAYER_CHUNK = 10000;

/**
 * Splits a summary for sending: the summary with its first `first` layers, then the remaining
 * layers in chunks of `chunk`. Large models (100k nodes) thus show at once and fill in after.
 */
export function splitLayers(summary: ModelSummary, first = FIRST_LAYERS, chunk = LAYER_CHUNK): { head: ModelSummary; chunks: LayerSummary[][] } {
  const head = { ...summary, layers: summary.layers.slice(0, first) };
  const chunks: LayerSummary[][] = [];
  for (let i = first; i < summary.layers.length; i += chunk) chunks.push(summary.layers.slice(i, i + chunk));
  return { head, chunks };
}

/** The viewer's verdicts message for a report (main-graph layers only), or the clearing one without a report. */
export function verdictsMessage(report: Report | undefined): VerdictsMessage {
  if (!report) return { type: 'verdicts', verdicts: [], source: '', random: false };
  const verdicts = report.layers
    .filter((l) => l.graphPath === '' && l.observation !== 'none')
    .map((l) => ({ index: l.nodeIndex, units: l.units, dead: l.dead.length, provenDead: l.provenDead.length, dormant: l.dormant.length, severity: l.severity }));
  const n = report.samples.count;
  return { type: 'verdicts', verdicts, source: `${n} sample${n === 1 ? '' : 's'} from ${report.samples.source}`, random: report.samples.random };
}

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
