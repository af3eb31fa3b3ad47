// Pure logic behind the editor features of an analysis (no `vscode` import, unit-tested): which
// diagnostics a report gives and on which text-view lines, the hover's Markdown, the quick-fixes a
// layer offers, and the one-line summaries the output channel and notifications show.
import type { LayerReport, Report } from '../analysis/report';

/** Diagnostic `source`. */
export const SOURCE = 'ReLU Doctor';

/** What a diagnostic reports: some units never fired, or some are proven unable to fire. */
export type FindingCode = 'dead-units' | 'proven-dead';

/** One diagnostic, independent of the editor API. Lines are 0-based; -1: not on a text-view line. */
export interface Finding {
  /** Index of the layer in `report.layers`. */
  layer: number;
  code: FindingCode;
  severity: 'error' | 'warning' | 'information';
  message: string;
  /** The ReLU node's line in the text view. */
  line: number;
  /** The producing layer's line, and a label for it, when there is a producer. */
  related?: { line: number; message: string };
}

/** Fix ids, as src/fixes names them. */
export type FixId = 'leaky-relu' | 'he-init' | 'revive' | 'prune';

/** A quick-fix a layer offers: a rewrite (fix id) or the PyTorch snippet. */
export interface FixAction {
  kind: FixId | 'pytorch';
  title: string;
  /** The preferred action for the diagnostic (shown first, applied by "auto fix"). */
  preferred?: boolean;
}

/** `n` of `total` as "n of total (p%)". */
function ofTotal(n: number, total: number): string {
  return `${n} of ${total}${total > 0 ? ` (${Math.round((100 * n) / total)}%)` : ''}`;
}

/** A one-line, control-character-free version of an untrusted string. */
export function oneLine(s: string, max = 200): string {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The line of main-graph node `index` in the text view, or -1. */
function lineOf(layerLines: readonly number[], graphPath: string, index: number | undefined): number {
  if (graphPath !== '' || index === undefined) return -1;
  return layerLines[index] ?? -1;
}

/** The diagnostics of a report: one per ReLU layer with dead units (observed or proven). */
export function findings(report: Report, layerLines: readonly number[]): Finding[] {
  const out: Finding[] = [];
  report.layers.forEach((l, i) => {
    const dead = new Set([...l.dead, ...l.provenDead]).size;
    if (dead === 0) return;
    const proven = l.provenDead.length;
    const parts = [`${l.op} '${oneLine(l.node)}': ${ofTotal(l.dead.length, l.units)} units dead on ${report.samples.count} ${report.samples.random ? 'random ' : ''}samples`];
    if (proven > 0) parts.push(`${proven} proven dead for every admissible input`);
    const cause = l.causes[0];
    const message = `${parts.join('; ')}${cause ? `. Cause: ${oneLine(cause.message, 300)}` : ''}`;
    const severity = l.severity === 'error' ? 'error' : l.severity === 'warning' ? 'warning' : 'information';
    const f: Finding = { layer: i, code: proven > 0 ? 'proven-dead' : 'dead-units', severity, message, line: lineOf(layerLines, l.graphPath, l.nodeIndex) };
    const pLine = l.producer ? lineOf(layerLines, l.graphPath, l.producer.nodeIndex) : -1;
    if (l.producer && pLine >= 0) f.related = { line: pLine, message: `producing layer ${l.producer.op} '${oneLine(l.producer.node)}'` };
    out.push(f);
  });
  return out;
}

/** The layer (index in `report.layers`) a text-view line shows: the ReLU node's line, else its producer's. */
export function layerAtLine(report: Report, layerLines: readonly number[], line: number): { layer: number; role: 'activation' | 'producer' } | undefined {
  const i = report.layers.findIndex((l) => lineOf(layerLines, l.graphPath, l.nodeIndex) === line);
  if (i >= 0) return { layer: i, role: 'activation' };
  const p = report.layers.findIndex((l) => l.producer && lineOf(layerLines, l.graphPath, l.producer.nodeIndex) === line);
  return p >= 0 ? { layer: p, role: 'producer' } : undefined;
}

/** Escapes text for Markdown: every ASCII punctuation character backslash-escaped, control characters flattened. */
export function escapeMarkdown(s: string): string {
  return oneLine(s, 500).replace(/[\\`*_{}[\]()#+\-.!|<>~"'&$:;=?@^%,/]/g, (c) => `\\${c}`);
}

/** Minimum, median and maximum of a list (zeros when empty). */
export function summary(values: readonly number[]): { min: number; median: number; max: number } {
  if (values.length === 0) return { min: 0, median: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, max: s[s.length - 1] };
}

/** A rate in [0, 1] as a short percentage. */
function pct(x: number): string {
  const p = 100 * x;
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p.toPrecision(2)}%`;
}

/** The `command:` link that opens the report at a layer (arguments: model URI string, layer index). */
export function showReportLink(modelUri: string, layer: number): string {
  return `command:reluDoctor.showReport?${encodeURIComponent(JSON.stringify([modelUri, layer]))}`;
}

/** A command link applying a quick-fix (reluDoctor.applyFix / copyPytorchFix) to a layer. */
export function fixLink(modelUri: string, layer: number, kind: FixAction['kind']): string {
  return kind === 'pytorch'
    ? `command:reluDoctor.copyPytorchFix?${encodeURIComponent(JSON.stringify([modelUri, layer]))}`
    : `command:reluDoctor.applyFix?${encodeURIComponent(JSON.stringify([modelUri, kind, layer]))}`;
}

/** Short link labels of the fixes (no model strings in them). */
function fixLabel(kind: FixAction['kind'], l: LayerReport, alpha: number): string {
  switch (kind) {
    case 'leaky-relu':
      return `Leaky ReLU (alpha ${alpha})`;
    case 'he-init':
      return 'He-initialize the producer (discards its training)';
    case 'revive':
      return `Revive ${l.dead.length} dead unit(s)`;
    case 'prune':
      return `Prune ${l.provenDead.length} proven-dead unit(s)`;
    case 'pytorch':
      return 'Copy the PyTorch fix';
  }
}

/**
 * The hover's Markdown for a layer (every model string escaped). Links: showReportLink, and one
 * fixLink per quick-fix in `fixes` (code actions are not offered in read-only editors such as the
 * text view, so the hover carries them).
 */
export function hoverMarkdown(report: Report, layer: number, role: 'activation' | 'producer', modelUri: string, fixes: readonly FixAction[] = [], alpha = 0.01): string {
  const l: LayerReport = report.layers[layer];
  const head = role === 'producer'
    ? `**ReLU Doctor** — ${escapeMarkdown(l.producer?.op ?? '')} ${escapeMarkdown(l.producer?.node ?? '')} feeds ${escapeMarkdown(l.op)} ${escapeMarkdown(l.node)}`
    : `**ReLU Doctor** — ${escapeMarkdown(l.op)} ${escapeMarkdown(l.node)}${l.producer ? ` after ${escapeMarkdown(l.producer.op)} ${escapeMarkdown(l.producer.node)}` : ''}`;
  const rate = summary(l.activationRate);
  const lines = [
    head,
    '',
    `- Units: ${l.units}`,
    `- Dead: ${ofTotal(l.dead.length, l.units)} (never fired on ${report.samples.count} ${report.samples.random ? 'random ' : ''}samples)`,
    `- Proven dead: ${l.proofAvailable ? ofTotal(l.provenDead.length, l.units) : 'not decided'}`,
    `- Dormant: ${ofTotal(l.dormant.length, l.units)}`,
    `- Activation rate: min ${pct(rate.min)}, median ${pct(rate.median)}, max ${pct(rate.max)}`,
    `- Severity: ${l.severity}`,
  ];
  if (l.causes[0]) lines.push(`- Main cause: ${escapeMarkdown(l.causes[0].message)}`);
  if (report.samples.random) lines.push('', '*Random inputs: these numbers describe random data, not yours.*');
  lines.push('', `[Open the report at this layer](${showReportLink(modelUri, layer)})`);
  if (fixes.length > 0) lines.push('', `Fix (writes a .fixed.onnx copy): ${fixes.map((f) => `[${fixLabel(f.kind, l, alpha)}](${fixLink(modelUri, layer, f.kind)})`).join(' · ')}`);
  return lines.join('\n');
}

/** Titles of the quick-fixes, by kind. */
export function fixTitle(kind: FixAction['kind'], l: LayerReport, alpha: number): string {
  const producer = l.producer ? `${l.producer.op} '${oneLine(l.producer.node, 80)}'` : 'the producing layer';
  switch (kind) {
    case 'leaky-relu':
      return `Replace with Leaky ReLU (alpha ${alpha}) → writes a .fixed.onnx copy`;
    case 'he-init':
      return `He-initialize ${producer} (discards that layer's training) → writes a .fixed.onnx copy`;
    case 'revive':
      return `Revive ${l.dead.length} dead unit(s): re-initialize them, outputs unchanged → writes a .fixed.onnx copy`;
    case 'prune':
      return `Prune ${l.provenDead.length} proven-dead unit(s) → writes a .fixed.onnx copy`;
    case 'pytorch':
      return 'Copy the PyTorch fix to the clipboard';
  }
}

/** The quick-fixes for a layer, given the fix ids the core says apply to it. */
export function fixActions(l: LayerReport, applicable: readonly string[], alpha: number): FixAction[] {
  const order: FixId[] = ['leaky-relu', 'revive', 'he-init', 'prune'];
  const out: FixAction[] = [];
  for (const id of order) {
    if (!applicable.includes(id)) continue;
    if (id === 'prune' && l.provenDead.length === 0) continue;
    if (id === 'revive' && l.dead.length === 0) continue;
    out.push({ kind: id, title: fixTitle(id, l, alpha) });
  }
  if (out[0]) out[0].preferred = true;
  out.push({ kind: 'pytorch', title: fixTitle('pytorch', l, alpha) });
  return out;
}

/** `model.onnx` → `model.fixed.onnx` (any other name: `name.fixed.onnx`). */
export function fixedName(fileName: string): string {
  const base = fileName.replace(/\.onnx$/i, '');
  return `${base}.fixed.onnx`;
}

/** One line summarizing a report: dead / proven dead / dormant of total units, samples, time. */
export function reportLine(r: Report): string {
  const t = r.totals;
  return `${t.dead} dead, ${t.provenDead} proven dead, ${t.dormant} dormant of ${t.units} units in ${t.layers} ReLU layer(s); ${r.samples.count} samples from ${r.samples.random ? 'RANDOM inputs' : oneLine(r.samples.source)}; ${r.timing.totalMs} ms`;
}

/** Before → after per layer (matched by node name, else by position), one line each. */
export function compareLines(before: Report, after: Report): string[] {
  const lines = [`total dead units: ${before.totals.dead} → ${after.totals.dead}; proven dead: ${before.totals.provenDead} → ${after.totals.provenDead}; dormant: ${before.totals.dormant} → ${after.totals.dormant}`];
  before.layers.forEach((b, i) => {
    const a = after.layers.find((x) => x.node === b.node) ?? (after.layers.length === before.layers.length ? after.layers[i] : undefined);
    if (!a) {
      const nd = after.nonDying.find((x) => x.node === b.node);
      lines.push(`${oneLine(b.node)}: ${b.dead.length} of ${b.units} dead → ${nd ? `${oneLine(nd.op)}, which cannot die` : 'no longer a ReLU layer'}`);
      return;
    }
    const name = a.node === b.node ? oneLine(b.node) : `${oneLine(b.node)} → ${oneLine(a.node)}`;
    lines.push(`${name}: ${b.dead.length} of ${b.units} dead → ${a.dead.length} of ${a.units} (${a.op})`);
  });
  return lines;
}
